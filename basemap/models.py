"""The basemap's tables: what `import_basemap` writes and the vector tiles read.

Geometries are stored in EPSG:3857 (Web Mercator, metres at the equator): tiles are cut in
that CRS, so `ST_TileEnvelope` meets the GiST index directly and no row is transformed per
request. Lines and areas are Multi* so OSM ways and GeoPackage multi-geometries fit alike.
Nothing here is personal data: an import keeps names and classes of public features only.
"""
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["RoadClass", "Road", "Railway", "Building", "WaterArea", "WaterLine", "GreenArea", "PlaceLabel",
           "BasemapImport", "FEATURE_MODELS"]

SRID = 3857


class RoadClass(models.TextChoices):
    """Road classes from major to minor; the style draws and the tiles thin them by class."""

    MOTORWAY = "motorway", _("Autobahn")
    TRUNK = "trunk", _("Schnellstraße")
    PRIMARY = "primary", _("Hauptstraße")
    SECONDARY = "secondary", _("Landstraße")
    TERTIARY = "tertiary", _("Verbindungsstraße")
    RESIDENTIAL = "residential", _("Wohnstraße")
    SERVICE = "service", _("Zufahrt")
    PATH = "path", _("Weg")


class _Feature(models.Model):
    """Common columns: a public name (may be empty) and a class within the layer."""

    name = models.CharField(_("Name"), max_length=200, blank=True, default="")
    kind = models.CharField(_("Art"), max_length=32, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self):
        return self.name or self.kind


class Road(_Feature):
    """A road or path centre line."""

    kind = models.CharField(_("Klasse"), max_length=32, choices=RoadClass.choices)
    geom = models.MultiLineStringField(srid=SRID)


class Railway(_Feature):
    """A railway, tram or subway track (kind: rail, light_rail, tram, subway, narrow_gauge)."""

    geom = models.MultiLineStringField(srid=SRID)


class Building(_Feature):
    """A building footprint."""

    geom = models.MultiPolygonField(srid=SRID)


class WaterArea(_Feature):
    """A water surface: river area, lake, pond, basin."""

    geom = models.MultiPolygonField(srid=SRID)


class WaterLine(_Feature):
    """A watercourse centre line (kind: river, stream, canal, ditch)."""

    geom = models.MultiLineStringField(srid=SRID)


class GreenArea(_Feature):
    """A green area (kind: park, forest, grass)."""

    geom = models.MultiPolygonField(srid=SRID)


class PlaceLabel(_Feature):
    """A place name (kind: city, town, village, suburb, quarter, neighbourhood, hamlet, locality, square)."""

    geom = models.PointField(srid=SRID)


class BasemapImport(models.Model):
    """One successful import: the basemap's version (tile ETags) and where it came from."""

    imported_at = models.DateTimeField(_("importiert am"), auto_now_add=True)
    source = models.CharField(_("Quelle"), max_length=255)
    source_format = models.CharField(_("Format"), max_length=16)
    attribution = models.CharField(_("Quellenangabe"), max_length=255, blank=True, default="")
    counts = models.JSONField(_("Anzahl je Ebene"), default=dict)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.source} ({self.imported_at:%Y-%m-%d %H:%M})"


# Target layer name (as the sources and the GeoPackage mapping call it) → model.
FEATURE_MODELS = {
    "roads": Road,
    "railways": Railway,
    "buildings": Building,
    "water_areas": WaterArea,
    "water_lines": WaterLine,
    "green_areas": GreenArea,
    "places": PlaceLabel,
}
