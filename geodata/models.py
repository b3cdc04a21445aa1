"""Reference geometries in EPSG:4326 (lon/lat): jurisdiction layers with their polygons, and
the gazetteer of named places, and the address list (house coordinates).

A layer has a *role*: exactly one layer should be the city `boundary` (a report outside it is
refused); `neighbour` layers name the authority responsible outside the city; all other
layers (`district`, `area`) are referenced by routing rules.

The gazetteer (`Place`) holds the streets, squares, landmarks and districts a citizen can
search for instead of using GPS or the map; each has one representative point.
An `Address` is one house number of a street with its official (or mapped) position: the
place search finds it exactly, and a report without an address gets the nearest one.
"""
import uuid

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["JurisdictionLayer", "JurisdictionArea", "Place", "Address"]


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
    # A new random value in the transaction of every change of the layer's areas (import,
    # edit, delete: `geodata.services`), so the layer's vector tiles carry it as their ETag
    # and revalidate without being rendered. Random, not a counter: a layer deleted and
    # imported again under the same slug never repeats a value.
    areas_version = models.UUIDField(_("Stand der Gebiete"), default=uuid.uuid4, editable=False)

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

    @property
    def choice_key(self) -> str:
        """The value a form sends to choose this place among search results (see `Address.choice_key`)."""
        return str(self.pk)


class Address(models.Model):
    """One house number of a street: "Rathausstraße 5a, 07545 Gera" with its position.

    `number` is the numeric part, `suffix` the addition ("a", as the HK-DE column ADZ), kept
    lower-case. Unique per street, number, suffix and postcode (one street name can exist in
    two postcode areas of a city); the import upserts by this key.
    """

    class Source(models.TextChoices):
        HK_DE = "hk-de", _("Amtliche Hauskoordinaten")
        OSM = "osm", _("OpenStreetMap")

    street = models.CharField(_("Straße"), max_length=200)
    number = models.PositiveIntegerField(_("Hausnummer"))
    suffix = models.CharField(_("Zusatz"), max_length=10, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    district = models.CharField(_("Ortsteil"), max_length=100, blank=True)
    # WGS 84 (lon, lat): the house coordinate (HK-DE: inside the building outline, ±0.5 m).
    point = models.PointField(_("Punkt"), srid=4326, spatial_index=True)
    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices)
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    class Meta:
        verbose_name = _("Adresse")
        verbose_name_plural = _("Adressen")
        ordering = ["street", "number", "suffix", "postcode"]
        constraints = [models.UniqueConstraint(fields=["street", "number", "suffix", "postcode"],
                                               name="address_unique_street_number_postcode")]
        indexes = [models.Index(fields=["street", "number"], name="address_street_number")]

    def __str__(self) -> str:
        return self.label

    @property
    def house_number(self) -> str:
        """"5", "5a"; a numeric addition is written after a slash ("5/1")."""
        if self.suffix[:1].isdigit():
            return f"{self.number}/{self.suffix}"
        return f"{self.number}{self.suffix}"

    @property
    def name(self) -> str:
        """Street and house number, the way people write it: "Rathausstraße 5a"."""
        return f"{self.street} {self.house_number}"

    @property
    def label(self) -> str:
        """Street, number, postcode and city: "Rathausstraße 5a, 07545 Gera"."""
        town = " ".join(p for p in (self.postcode, self.city) if p)
        return f"{self.name}, {town}" if town else self.name

    kind = "address"

    def get_kind_display(self) -> str:
        return str(_("Adresse"))

    @property
    def choice_key(self) -> str:
        """Form value choosing this address among search results; "a" keeps it apart from place ids."""
        return f"a{self.pk}"
