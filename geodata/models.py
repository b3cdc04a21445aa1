"""Reference geometries in EPSG:4326 (lon/lat): jurisdiction layers with their polygons, and
the gazetteer of named places.

A layer has a *role*: exactly one layer should be the city `boundary` (a report outside it is
refused); `neighbour` layers name the authority responsible outside the city; all other
layers (`district`, `area`) are referenced by routing rules.

The gazetteer (`Place`) holds the streets, squares, landmarks and districts a citizen can
search for instead of using GPS or the map; each has one representative point.
"""
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["JurisdictionLayer", "JurisdictionArea", "Place"]


class JurisdictionLayer(models.Model):
    class Role(models.TextChoices):
        BOUNDARY = "boundary", _("Stadtgrenze")
        NEIGHBOUR = "neighbour", _("Nachbarbehörden")
        DISTRICT = "district", _("Stadtteile")
        AREA = "area", _("Zuständigkeitsgebiete")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("Name"), max_length=200)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.AREA)
    description = models.TextField(_("Beschreibung"), blank=True)
    source = models.CharField(_("Quelle"), max_length=500, blank=True)
    source_srid = models.PositiveIntegerField(_("Quell-EPSG"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importiert am"), null=True, blank=True)
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    class Meta:
        verbose_name = _("Zuständigkeitsebene")
        verbose_name_plural = _("Zuständigkeitsebenen")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class JurisdictionArea(models.Model):
    layer = models.ForeignKey(JurisdictionLayer, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("Name"), max_length=200)
    code = models.CharField(_("Kennung"), max_length=100, blank=True)
    # For neighbour layers: the authority responsible inside this polygon.
    authority = models.CharField(_("zuständige Behörde"), max_length=300, blank=True)
    attributes = models.JSONField(_("Attribute"), default=dict, blank=True)
    geom = models.MultiPolygonField(_("Geometrie"), srid=4326, spatial_index=True)

    class Meta:
        verbose_name = _("Zuständigkeitsgebiet")
        verbose_name_plural = _("Zuständigkeitsgebiete")
        ordering = ["layer", "name"]
        indexes = [models.Index(fields=["layer", "code"])]

    def __str__(self) -> str:
        return f"{self.layer.slug}: {self.name}"


class Place(models.Model):
    """A named place of the city: a street, square, landmark or district (gazetteer entry)."""

    class Kind(models.TextChoices):
        STREET = "street", _("Straße")
        SQUARE = "square", _("Platz")
        LANDMARK = "landmark", _("Ort von Interesse")
        DISTRICT = "district", _("Stadtteil")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    # Other names the place is known by (old names, abbreviations), one per line.
    alt_names = models.TextField(_("weitere Namen"), blank=True, help_text=_("einer pro Zeile"))
    # WGS 84 (lon, lat). One representative point: for a street a point on it near its
    # middle, for a district its centre. Good enough to start a report, not an address.
    point = models.PointField(_("Punkt"), srid=4326, spatial_index=True)
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    class Meta:
        verbose_name = _("Ort (Ortsverzeichnis)")
        verbose_name_plural = _("Ortsverzeichnis")
        ordering = ["name", "kind"]
        # The import upserts by (name, kind): street names are unique within a municipality.
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="place_unique_name_kind")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def alt_name_list(self) -> list[str]:
        return [n.strip() for n in self.alt_names.splitlines() if n.strip()]
