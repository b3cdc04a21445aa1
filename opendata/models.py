"""The open data catalogue: organisations (publishers), groups (EU data themes), datasets
("packages" in CKAN's words), their resources (files or links), tags and API tokens.

Field names follow CKAN where a CKAN field exists, so the Action API maps one to one.
What DCAT-AP.de needs beyond CKAN's core (spatial extent, temporal coverage, update
frequency, contributorID) are real columns, not free-form extras, so DCAT, OGC API and the
exports can query them. Geometries are EPSG:4326 with (lon, lat) axis order.

Writes go through `opendata.services`; `metadata_modified` and the search vector are set
there, not in `save()`.
"""
import hashlib
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .licenses import LICENSES
from .vocabularies import DATA_THEMES, FREQUENCIES

__all__ = [
    "ApiToken", "Dataset", "Group", "Organization", "OrganizationMember", "Resource", "ResourceFeature", "Tag",
    "UpstreamPush",
    "resource_storage", "resource_upload_to",
]

# CKAN's name rule (ckan/logic/validators.py name_validator): 2–100 characters, lower-case
# ASCII letters, digits, "-" and "_".
NAME_MAX_LENGTH = 100
name_validator = RegexValidator(
    r"^[a-z0-9_\-]{2,100}$",
    _("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"),
)


class Organization(models.Model):
    """A publisher: the city or one of its departments (CKAN organisation)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name (URL)"), max_length=NAME_MAX_LENGTH, unique=True, validators=[name_validator])
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    image_url = models.URLField(_("Bild-URL"), max_length=500, blank=True)
    # Contact for DCAT publisher/contactPoint.
    email = models.EmailField(_("E-Mail"), blank=True)
    homepage = models.URLField(_("Webseite"), max_length=500, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganizationMember", related_name="opendata_organizations",
        verbose_name=_("Mitglieder"), blank=True,
    )
    created = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["title"]

    def __str__(self):
        return self.title


class OrganizationMember(models.Model):
    """A user's role in an organisation, with CKAN's capacities: admins and editors may
    create and edit the organisation's datasets; members may read its private ones."""

    class Capacity(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Redakteur")
        MEMBER = "member", _("Mitglied")

    EDIT_CAPACITIES = (Capacity.ADMIN, Capacity.EDITOR)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opendata_memberships")
    capacity = models.CharField(_("Rolle"), max_length=10, choices=Capacity.choices, default=Capacity.EDITOR)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="opendata_member_unique")]

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.capacity})"


class Group(models.Model):
    """A thematic group; ours are the EU data themes (DCAT-AP dcat:theme)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name (URL)"), max_length=NAME_MAX_LENGTH, unique=True, validators=[name_validator])
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    image_url = models.URLField(_("Bild-URL"), max_length=500, blank=True)
    # EU data theme code (TRAN, ENVI, …); empty for groups that are not a theme.
    theme = models.CharField(
        _("EU-Datenthema"), max_length=4, blank=True, choices=[(k, v[0]) for k, v in DATA_THEMES.items()]
    )
    created = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Gruppe")
        verbose_name_plural = _("Gruppen")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Tag(models.Model):
    """A free keyword (CKAN tags without vocabulary)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("Schlagwort")
        verbose_name_plural = _("Schlagwörter")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Dataset(models.Model):
    """A dataset (CKAN "package") with DCAT-AP.de metadata."""

    class State(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        DELETED = "deleted", _("gelöscht")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("Name (URL)"), max_length=NAME_MAX_LENGTH, unique=True, validators=[name_validator])
    title = models.CharField(_("Titel"), max_length=1000)
    notes = models.TextField(_("Beschreibung"), blank=True)
    license_id = models.CharField(
        _("Lizenz"), max_length=50, blank=True, choices=[(k, v.title) for k, v in LICENSES.items()]
    )
    owner_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="datasets", verbose_name=_("Organisation")
    )
    private = models.BooleanField(_("privat"), default=False)
    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.ACTIVE)
    tags = models.ManyToManyField(Tag, related_name="datasets", blank=True, verbose_name=_("Schlagwörter"))
    groups = models.ManyToManyField(Group, related_name="datasets", blank=True, verbose_name=_("Gruppen"))
    author = models.CharField(_("Autor"), max_length=200, blank=True)
    author_email = models.EmailField(_("E-Mail Autor"), blank=True)
    maintainer = models.CharField(_("Ansprechpartner"), max_length=200, blank=True)
    maintainer_email = models.EmailField(_("E-Mail Ansprechpartner"), blank=True)
    url = models.URLField(_("Quelle"), max_length=1000, blank=True)
    version = models.CharField(_("Version"), max_length=100, blank=True)
    # Spatial extent, EPSG:4326 (lon, lat): Polygon or MultiPolygon, a Point for point-like data.
    spatial = models.GeometryField(_("räumliche Ausdehnung"), srid=4326, null=True, blank=True, spatial_index=True)
    temporal_start = models.DateField(_("Zeitraum von"), null=True, blank=True)
    temporal_end = models.DateField(_("Zeitraum bis"), null=True, blank=True)
    frequency = models.CharField(
        _("Aktualisierung"), max_length=20, blank=True, choices=list(FREQUENCIES.items())
    )
    # DCAT-AP.de dcatde:contributorID, e.g. http://dcat-ap.de/def/contributors/<id>.
    contributor_id = models.CharField(_("Contributor-ID"), max_length=300, blank=True)
    # CKAN's free key/value extras: {key: string}. The DCAT fields above are not in here.
    extras = models.JSONField(_("Extras"), default=dict, blank=True)
    creator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    metadata_created = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    metadata_modified = models.DateTimeField(_("geändert am"), default=timezone.now, db_index=True, editable=False)
    # Full-text index over title (A), name and tags (B), notes and resources (C); German
    # stemming plus unstemmed words (opendata.search.index).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("Datensatz")
        verbose_name_plural = _("Datensätze")
        ordering = ["name"]
        indexes = [GinIndex(fields=["search_vector"], name="opendata_dataset_search")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temporal_start__isnull=True) | models.Q(temporal_end__isnull=True)
                | models.Q(temporal_start__lte=models.F("temporal_end")),
                name="opendata_dataset_temporal_order",
            ),
        ]

    def __str__(self):
        return self.title or self.name

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE


def resource_storage():
    """Uploaded resources live in the private storage and are served only through the
    download view, which checks that the dataset is visible to the requester."""
    from config.storage import private_storage

    return private_storage


def resource_upload_to(instance: "Resource", filename: str) -> str:
    return f"opendata/{instance.package_id}/{instance.id}/{filename}"


class Resource(models.Model):
    """A distribution of a dataset: an uploaded file or a link."""

    class UrlType(models.TextChoices):
        LINK = "", _("Link")
        UPLOAD = "upload", _("Upload")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    package = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources",
                                verbose_name=_("Datensatz"))
    name = models.CharField(_("Name"), max_length=1000, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    url_type = models.CharField(_("Art"), max_length=10, blank=True, choices=UrlType.choices, default=UrlType.LINK)
    # For links; uploads get their URL from the download view.
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    upload = models.FileField(_("Datei"), storage=resource_storage, upload_to=resource_upload_to, max_length=500,
                              blank=True)
    format = models.CharField(_("Format"), max_length=100, blank=True)
    mimetype = models.CharField(_("Medientyp"), max_length=200, blank=True)
    size = models.BigIntegerField(_("Größe (Bytes)"), null=True, blank=True)
    # Hex SHA-256 of an uploaded file; free text for links (CKAN's `hash`).
    hash = models.CharField(_("Prüfsumme"), max_length=200, blank=True)
    last_modified = models.DateTimeField(_("Daten geändert am"), null=True, blank=True)
    position = models.PositiveIntegerField(_("Position"), default=0)
    resource_type = models.CharField(_("Ressourcentyp"), max_length=100, blank=True)
    # CKAN keeps unknown resource fields and returns them flat in the resource dict.
    extras = models.JSONField(_("Extras"), default=dict, blank=True)
    # Result of reading an uploaded vector file into ResourceFeature rows (opendata.geo):
    # {"status": "pending"|"ok"|"error", "error": str, "geometry_type": str,
    #  "feature_count": int, "bbox": [minx, miny, maxx, maxy] (WGS 84), "source_srid": int,
    #  "fields": [{"name": str, "type": str}], "encoding": str}. Empty for other resources.
    geo_ingest = models.JSONField(_("Geodaten-Einlesung"), default=dict, blank=True, editable=False)
    # A new random value in the transaction of every write of the resource's features (the
    # ingest, `opendata.geo.services`): the ETag of the resource's vector tiles. Random, not a
    # counter: a resource created again with the same id never repeats a value.
    features_version = models.UUIDField(_("Stand der Geoobjekte"), default=uuid.uuid4, editable=False)
    created = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    metadata_modified = models.DateTimeField(_("geändert am"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Ressource")
        verbose_name_plural = _("Ressourcen")
        ordering = ["package", "position", "created"]
        indexes = [models.Index(fields=["package", "position"], name="opendata_resource_position")]

    def __str__(self):
        return self.name or str(self.id)

    @property
    def filename(self) -> str:
        """The file name of an upload as it appears in the download URL."""
        return self.upload.name.rsplit("/", 1)[-1] if self.upload else ""


class ResourceFeature(models.Model):
    """One feature of an uploaded vector resource (GeoJSON, CSV with lon/lat, zipped
    Shapefile, GeoPackage), read into PostGIS so that the OGC API, previews and exports
    are SQL over an indexed table. Geometry in WGS 84 (EPSG:4326, lon/lat)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="features")
    # Position in the source file, from 1: the feature's stable id within the resource.
    fid = models.PositiveIntegerField()
    geometry = models.GeometryField(srid=4326, spatial_index=True)
    properties = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("Geoobjekt")
        verbose_name_plural = _("Geoobjekte")
        ordering = ["resource", "fid"]
        constraints = [models.UniqueConstraint(fields=["resource", "fid"], name="opendata_feature_unique_fid")]

    def __str__(self):
        return f"{self.resource_id}#{self.fid}"


class ApiToken(models.Model):
    """A CKAN-style API token. Only the SHA-256 of the token is stored; the token itself
    is shown once, when it is created (admin message or `manage.py create_api_token`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opendata_api_tokens",
                             verbose_name=_("Benutzer"))
    name = models.CharField(_("Bezeichnung"), max_length=200)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # First characters of the token, so people can tell their tokens apart.
    prefix = models.CharField(_("Anfang"), max_length=8, editable=False)
    created = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    last_used = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("widerrufen"), default=False)

    class Meta:
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(raw_token: str) -> str:
        """Hex SHA-256 of a token: what is stored and looked up."""
        return hashlib.sha256(raw_token.encode()).hexdigest()


class UpstreamPush(models.Model):
    """One push of a dataset to the upstream CKAN (opendata.upstream), with its attempts.

    `action` is what the push does upstream: create or update for a public active
    dataset, delete when it became private or deleted here, skip when there was nothing
    to delete. Status "pending" while attempts remain, then "ok" or "failed"."""

    class Action(models.TextChoices):
        CREATE = "create", _("anlegen")
        UPDATE = "update", _("aktualisieren")
        DELETE = "delete", _("löschen")
        SKIP = "skip", _("nichts zu tun")

    class Status(models.TextChoices):
        PENDING = "pending", _("ausstehend")
        OK = "ok", _("erfolgreich")
        FAILED = "failed", _("fehlgeschlagen")

    dataset = models.ForeignKey(Dataset, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="upstream_pushes", verbose_name=_("Datensatz"))
    # Kept when the dataset row is removed; the name upstream carries the configured prefix.
    dataset_name = models.CharField(_("Datensatz (Name)"), max_length=NAME_MAX_LENGTH)
    upstream_name = models.CharField(_("Name im Zielportal"), max_length=200)
    upstream_id = models.CharField(_("ID im Zielportal"), max_length=100, blank=True)
    action = models.CharField(_("Aktion"), max_length=10, choices=Action.choices)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    error = models.TextField(_("Fehler"), blank=True)
    created = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    last_attempt_at = models.DateTimeField(_("letzter Versuch"), null=True, blank=True)
    finished_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Übertragung ins Zielportal")
        verbose_name_plural = _("Übertragungen ins Zielportal")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["dataset", "-created"], name="opendata_push_dataset_recent"),
                   models.Index(fields=["status", "-created"], name="opendata_push_status_recent")]

    def __str__(self):
        return f"{self.upstream_name}: {self.action} ({self.status})"


# The tables of the vector tiles live beside their code (opendata.ogc.tiles).
from .ogc.tiles.models import ReportCell, ReportCellDirty, TileVersion  # noqa: E402, F401
