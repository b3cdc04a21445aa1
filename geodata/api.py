"""HTTP endpoint of the gazetteer: `GET /api/v1/places?q=` — places matching a typed name.

Used by the report form's place search (suggestions while typing). Coordinates are WGS 84
lon/lat rounded to 6 decimals (≈ 0.1 m); at most 20 results.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Place
from .selectors import PLACE_LIMIT_MAX, PLACE_QUERY_MIN, place_search

__all__ = ["PlaceSearchView"]


class PlaceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="name of a street, square, landmark or district")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=PLACE_LIMIT_MAX, default=10)

    def validate_q(self, value):
        if len(value.strip()) < PLACE_QUERY_MIN:
            raise serializers.ValidationError(_("Bitte mindestens %(n)d Zeichen eingeben.") % {"n": PLACE_QUERY_MIN})
        return value


class PlaceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = ["id", "name", "kind", "kind_label", "lon", "lat"]

    def get_lon(self, obj) -> float:
        return round(obj.point.x, 6)

    def get_lat(self, obj) -> float:
        return round(obj.point.y, 6)


class PlaceResultsSerializer(serializers.Serializer):
    """The answer of /api/v1/places: `{"results": [place, …]}`."""

    results = PlaceSerializer(many=True)


class PlaceSearchView(APIView):
    @extend_schema(parameters=[PlaceQuerySerializer], responses=PlaceResultsSerializer,
                   summary=gettext_lazy("Ortsverzeichnis durchsuchen (Straßen, Plätze, Orte, Stadtteile)"))
    def get(self, request):
        query = PlaceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        places = place_search(q=query.validated_data["q"], limit=query.validated_data["limit"])
        return Response({"results": PlaceSerializer(places, many=True).data})
