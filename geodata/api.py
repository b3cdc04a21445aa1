"""HTTP endpoint of the gazetteer and address list: `GET /api/v1/places?q=` — places and
addresses matching a typed name or address.

Used by the report form's place search (suggestions while typing). Each result says how it
matches (`match`): `exact`, `partial`, `suggestion` (only similar: "Meinten Sie …?"),
`street` (the street typed, whose house number does not exist) or `nearby_number` (another
house number of that street). `house_number_found` is false when the number typed does not
exist; `suggestion` is true when every result is only similar. Clients take an `exact`
result and let the user choose anything else. Coordinates are WGS 84 lon/lat rounded to
6 decimals (≈ 0.1 m); at most 20 results.
"""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import PLACE_LIMIT_MAX, PLACE_QUERY_MIN, location_search

__all__ = ["PlaceSearchView"]


class PlaceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="street with or without house number, square, landmark "
                                                        "or district, e.g. 'Rathausstraße 5a'")
    limit = serializers.IntegerField(required=False, min_value=1, max_value=PLACE_LIMIT_MAX, default=10)

    def validate_q(self, value):
        if len(value.strip()) < PLACE_QUERY_MIN:
            raise serializers.ValidationError(_("Bitte mindestens %(n)d Zeichen eingeben.") % {"n": PLACE_QUERY_MIN})
        return value


class PlaceSerializer(serializers.Serializer):
    """A place (gazetteer) or an address; `key` is the value that chooses it in the report form."""

    id = serializers.IntegerField(source="pk")
    key = serializers.CharField(source="choice_key")
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    match = serializers.ChoiceField(choices=["exact", "partial", "suggestion", "street", "nearby_number"])
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()

    # Addresses only (kind "address"); a place has none of these attributes, so DRF leaves them out.
    street = serializers.CharField(required=False)
    house_number = serializers.CharField(required=False, help_text="'5', '5a', '5/1'")
    postcode = serializers.CharField(required=False)
    city = serializers.CharField(required=False)

    def get_lon(self, obj) -> float:
        return round(obj.point.x, 6)

    def get_lat(self, obj) -> float:
        return round(obj.point.y, 6)


class PlaceSearchResponseSerializer(serializers.Serializer):
    results = PlaceSerializer(many=True)
    house_number = serializers.CharField(help_text="the house number typed, '' if none")
    house_number_found = serializers.BooleanField(allow_null=True, help_text="false: the street exists, the "
                                                                             "number does not")
    suggestion = serializers.BooleanField(help_text="true: nothing matches, the results are only similar")
    message = serializers.CharField(help_text="what to tell the user, '' if an exact match was found")


class PlaceSearchView(APIView):
    @extend_schema(parameters=[PlaceQuerySerializer], responses=PlaceSearchResponseSerializer,
                   summary=gettext_lazy("Ortsverzeichnis durchsuchen (Straßen, Plätze, Orte, Stadtteile)"),
                   description="Streets with or without house number ('Rathausstraße 5a'), squares, landmarks, "
                               "districts. Take a result whose `match` is `exact`; let the user choose any other.")
    def get(self, request):
        query = PlaceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        search = location_search(q=query.validated_data["q"], limit=query.validated_data["limit"])
        return Response({
            "results": PlaceSerializer(search.results, many=True).data,
            "house_number": search.house_number,
            "house_number_found": search.house_number_found,
            "suggestion": search.is_suggestion,
            "message": search_message(search),
        })


def search_message(search) -> str:
    """The sentence for the user when the search did not find exactly what was typed ('' otherwise)."""
    if search.house_number_found is False:
        return _("Hausnummer %(n)s in %(s)s nicht gefunden. Bitte wählen Sie die Straße oder eine "
                 "Hausnummer in der Nähe.") % {"n": search.house_number, "s": search.street}
    if search.is_suggestion:
        names = ", ".join(r.name for r in search.results[:3])
        return _("Nicht gefunden. Meinten Sie %(names)s? Bitte wählen Sie aus.") % {"names": names}
    return ""
