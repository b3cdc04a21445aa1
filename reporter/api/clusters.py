"""`GET /api/v1/reports/clusters`: report counts aggregated on a zoom-dependent grid.

The map home switches to this endpoint when a view holds more reports than it can draw as
single markers: the response size then depends on the number of grid cells on screen, not
on the number of reports (see `reporter.selectors.report_clusters`).
"""
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from config.openapi import GeoJSONRenderer
from reporter import selectors

from .views import ReportListQuerySerializer

__all__ = ["ReportClusterView", "MAX_ZOOM"]

# Deepest zoom of the map (Leaflet/OSM tiles go to 19; beyond that cells are sub-metre).
MAX_ZOOM = 22


class ReportClusterQuerySerializer(ReportListQuerySerializer):
    bbox = serializers.CharField(help_text="minLon,minLat,maxLon,maxLat (WGS 84)")
    zoom = serializers.IntegerField(
        min_value=0, max_value=MAX_ZOOM, help_text="map zoom level (web mercator, 256-px tiles)",
        error_messages={
            "invalid": _("zoom: ganze Zahl von 0 bis 22 erwartet."),
            "min_value": _("zoom: ganze Zahl von 0 bis 22 erwartet."),
            "max_value": _("zoom: ganze Zahl von 0 bis 22 erwartet."),
        },
    )


class ReportClusterView(APIView):
    renderer_classes = [JSONRenderer, GeoJSONRenderer]  # Accept: application/geo+json is answered, not 406

    @extend_schema(
        parameters=[ReportClusterQuerySerializer],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
        summary=_("Meldungen je Rasterzelle gezählt (für die Kartenansicht)"),
    )
    def get(self, request):
        query = ReportClusterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        filters = selectors.ReportListFilter(
            bbox=q["bbox"], statuses=q.get("status", ()), category_ids=q.get("category", ()),
            created_after=q.get("created_after"), created_before=q.get("created_before"),
        )
        cells, cell_m = selectors.report_clusters(filters=filters, zoom=q["zoom"])
        features = [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
             "properties": {"count": c["count"], "report_id": c["report_id"]}}
            for c in cells
        ]
        body = {"type": "FeatureCollection", "numberMatched": sum(c["count"] for c in cells),
                "zoom": q["zoom"], "cellSize_m": round(cell_m, 3), "features": features}
        return JsonResponse(body, content_type="application/geo+json")
