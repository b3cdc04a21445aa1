"""`GET /api/v1/services/`: the service catalogue as JSON, filtered like the page
(`?q=` words, `?lebenslage=` slug); bad input is a 400 in the API's error format
(`{"detail", "errors"}`, see `reporter.api.errors`). `ServiceSerializer` also writes the
`/leistungen.json` download."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .catalogue import TrustLevel
from .forms import QUERY_MAX_LENGTH, validate_lebenslage, validate_no_control_characters, validate_query_length
from .selectors import service_list, service_url

__all__ = ["ServiceListView", "ServiceQuerySerializer", "ServiceSerializer"]


class LebenslageSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Stable key, usable as ?lebenslage=")
    title = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    """One `portal.catalogue.Service`; `url` is absolute when the request is in the context."""

    slug = serializers.CharField(help_text="Stable key of the service")
    title = serializers.CharField()
    short_description = serializers.CharField()
    audience = serializers.CharField(help_text="Who the service is for")
    trust_level = serializers.ChoiceField(
        choices=TrustLevel.values,
        help_text="Login level required: none (anonymous use), basisregistrierung, substanziell, hoch (eIDAS)")
    trust_level_label = serializers.SerializerMethodField()
    fees = serializers.CharField()
    processing_time = serializers.CharField()
    leika_key = serializers.CharField(allow_null=True,
                                      help_text="Key in the federal service catalogue (LeiKa), null if none")
    lebenslagen = LebenslageSerializer(many=True, help_text="Life situations the service is listed under")
    keywords = serializers.ListField(child=serializers.CharField())
    icon = serializers.CharField(allow_null=True)
    is_spatial = serializers.BooleanField(help_text="Whether a case of this service has a place on the map")
    url = serializers.SerializerMethodField()

    def get_trust_level_label(self, service) -> str:
        return str(TrustLevel(service.trust_level).label)

    def get_url(self, service) -> str:
        path = service_url(service)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def to_representation(self, service):
        data = super().to_representation(service)
        data["leika_key"] = data["leika_key"] or None
        data["icon"] = data["icon"] or None
        return data


class ServiceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True,
                              validators=[validate_query_length, validate_no_control_characters],
                              help_text="Words that must all occur in a service's texts or keywords")
    lebenslage = serializers.CharField(required=False, allow_blank=True,
                                       help_text="Slug of a Lebenslage (see lebenslagen[].slug)")

    def validate_lebenslage(self, value):
        if value:
            validate_lebenslage(value)
        return value


class ServiceListView(APIView):
    """Every service of the portal, sorted by order and title."""

    @extend_schema(parameters=[ServiceQuerySerializer], responses=ServiceSerializer(many=True),
                   summary=_("Leistungen"),
                   description="The portal's services (the catalogue at /leistungen/), in the request's "
                               "language. 400 on bad input (a query with control characters or "
                               f"longer than {QUERY_MAX_LENGTH} characters, an unknown Lebenslage).")
    def get(self, request):
        query = ServiceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services = service_list(query=query.validated_data.get("q"),
                                lebenslage=query.validated_data.get("lebenslage"))
        return Response(ServiceSerializer(services, many=True, context={"request": request}).data)
