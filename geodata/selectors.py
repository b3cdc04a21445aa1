"""Reads: jurisdiction layers and the area of a layer that covers a point."""
from django.contrib.gis.db.models.functions import Area
from django.contrib.gis.geos import Point
from django.db.models import Count, QuerySet

from .models import JurisdictionArea, JurisdictionLayer

__all__ = ["layer_list", "area_at_point"]


def layer_list(*, role: str | None = None) -> QuerySet[JurisdictionLayer]:
    """Layers by slug, each annotated with `area_count`; optionally only one role."""
    qs = JurisdictionLayer.objects.annotate(area_count=Count("areas")).order_by("slug")
    return qs.filter(role=role) if role else qs


def area_at_point(*, layer: JurisdictionLayer | str, point: Point) -> JurisdictionArea | None:
    """The area of `layer` (instance or slug) covering `point` (EPSG:4326, lon/lat), or None.

    ST_Covers counts the boundary as inside, so a point on a shared edge is covered by both
    neighbours; like the routing query, the smaller polygon wins, then the lower id. The area
    is compared in square degrees: enough to order neighbouring polygons, not a measurement.
    """
    if point.srid != 4326:
        raise ValueError("area_at_point expects a point in EPSG:4326 (lon, lat)")
    qs = JurisdictionArea.objects.select_related("layer").filter(geom__covers=point)
    qs = qs.filter(layer__slug=layer) if isinstance(layer, str) else qs.filter(layer=layer)
    return qs.annotate(size=Area("geom")).order_by("size", "id").first()
