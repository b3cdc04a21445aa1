"""Writes of the generated datasets: `exports_rebuild` builds the reports dataset (`meldungen`)
and one dataset per jurisdiction layer (`zustaendigkeit-<layer slug>`), each with a GeoJSON,
a CSV and a GeoPackage resource, owned by the city's organisation.

A rebuild of one dataset:
1. takes a PostgreSQL advisory lock (a second rebuild of the same dataset skips it);
2. writes the three files into a temporary directory inside the resource storage (so the
   final rename stays on one file system; on object storage a local temporary directory),
   streamed from PostGIS (`writers`);
3. only if all three succeeded: in one transaction, creates or updates the dataset (licence
   dl-by-de/2.0, EU themes, spatial extent, temporal coverage, frequency DAILY,
   contributorID) and its resources (size, SHA-256, last_modified, metadata_modified), and
   renames each new file over the old one (`os.replace`, or on object storage a multipart
   upload streamed from the file, `config.storage.storage_file_replace`: readers see the old
   or the new file, never a partial one); unchanged files (same SHA-256) are left alone;
4. bumps the dataset's `metadata_modified` and search index (`dataset_touch`).
A failure at any step leaves the previous files and rows as they were.

Datasets of layers that no longer exist are marked deleted (CKAN's state "deleted").
"""
import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.storage import storage_file_exists, storage_file_replace, storage_is_local
from geodata.models import JurisdictionLayer
from reporter.public import PUBLIC_REPORT_VIEW, public_decimals

from ..conf import opendata_setting
from ..models import Dataset, Group, Organization, Resource, Tag, resource_upload_to
from ..services import dataset_touch
from ..vocabularies import DATA_THEMES
from .conf import export_setting
from .sources import ExportSource, layer_source, reports_source
from .writers import ExportWriteError, csv_write, geojson_write, gpkg_write

__all__ = ["ExportError", "ExportSpec", "RebuildResult", "city_organization_get", "export_specs",
           "exports_rebuild", "REPORTS_DATASET", "LAYER_DATASET_PREFIX"]

logger = logging.getLogger(__name__)

REPORTS_DATASET = "meldungen"
LAYER_DATASET_PREFIX = "zustaendigkeit-"
LICENSE_ID = "dl-by-de/2.0"
FREQUENCY = "DAILY"
_HASH_CHUNK = 1024 * 1024
# format, file suffix, media type; the resources of a generated dataset, in this order
FORMATS = (
    ("GeoJSON", "geojson", "application/geo+json"),
    ("CSV", "csv", "text/csv"),
    ("GPKG", "gpkg", "application/geopackage+sqlite3"),
)


class ExportError(Exception):
    """A generated dataset could not be rebuilt, or an unknown one was asked for."""


@dataclass(frozen=True)
class ExportSpec:
    """One generated dataset: its catalogue metadata and the SQL source of its files."""

    name: str
    title: str
    notes: str
    themes: tuple[str, ...]  # EU data theme codes → our groups
    tags: tuple[str, ...]
    source: ExportSource
    spatial_sql: str  # one row: an EPSG:4326 geometry (or NULL)
    temporal_sql: str = ""  # one row: (start date, end date), may be NULLs
    layer_id: int | None = None


@dataclass
class RebuildResult:
    name: str
    features: int = 0
    files: dict = field(default_factory=dict)  # format → (size in bytes, rewritten?)
    error: str = ""
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return not self.error

    def __str__(self) -> str:
        if self.error:
            return _("%(name)s: FEHLER – %(error)s") % {"name": self.name, "error": self.error}
        if self.skipped:
            return _("%(name)s: übersprungen, ein anderer Neuaufbau läuft") % {"name": self.name}
        files = ", ".join(f"{fmt} {size} B{'' if changed else ' ' + _('(unverändert)')}"
                          for fmt, (size, changed) in self.files.items())
        return ngettext("%(name)s: %(n)d Objekt; %(files)s", "%(name)s: %(n)d Objekte; %(files)s", self.features) % {
            "name": self.name, "n": self.features, "files": files}


# --- what is generated -----------------------------------------------------------------------

_BOUNDARY_EXTENT = ("SELECT ST_Envelope(ST_Collect(a.geom)) FROM geodata_jurisdictionarea a "
                    "JOIN geodata_jurisdictionlayer l ON l.id = a.layer_id WHERE l.role = 'boundary'")


def _reports_spec() -> ExportSpec:
    decimals = public_decimals()
    source = reports_source()
    tz = settings.TIME_ZONE.replace("'", "")
    return ExportSpec(
        name=REPORTS_DATASET,
        title=_("Meldungen aus dem Mängelmelder"),
        notes=_(
            "Die öffentlichen Meldungen von Bürgerinnen und Bürgern über Schäden und Störungen im "
            "öffentlichen Raum (Schlaglöcher, defekte Straßenbeleuchtung, illegale Müllablagerungen …) mit "
            "Kategorie, Bearbeitungsstand, zuständigem Fachbereich und Ort. Täglich aktualisiert.\n\n"
            "Anonymisiert: ohne Namen und Kontaktdaten, ohne Fotos und ohne die Originalbeschreibung; der "
            "Text ist die von der Verwaltung freigegebene öffentliche Beschreibung. Verborgene Meldungen "
            "fehlen. Die Koordinaten (WGS 84, Länge/Breite) sind auf %(decimals)d Nachkommastellen "
            "gerundet. Zeitangaben in UTC (ISO 8601).") % {"decimals": decimals},
        themes=("GOVE", "TRAN"),
        tags=("meldungen", "mängelmelder", "infrastruktur"),
        source=source,
        spatial_sql=(f"SELECT coalesce((SELECT ST_SetSRID(ST_Extent(r.location)::geometry, 4326) "
                     f"FROM {PUBLIC_REPORT_VIEW} r), ({_BOUNDARY_EXTENT}))"),
        temporal_sql=(f"SELECT min((r.created_at AT TIME ZONE '{tz}')::date), "
                      f"max((r.created_at AT TIME ZONE '{tz}')::date) FROM {PUBLIC_REPORT_VIEW} r"),
    )


def _layer_spec(layer: JurisdictionLayer) -> ExportSpec:
    return ExportSpec(
        name=layer_dataset_name(layer.slug),
        title=_("Zuständigkeitsgebiete: %(layer)s") % {"layer": layer.name},
        notes=(layer.description or _(
            "Die Gebiete der Ebene „%(layer)s“ (%(role)s), nach denen der Mängelmelder Meldungen dem "
            "zuständigen Fachbereich oder der zuständigen Behörde zuordnet: Name, Kennung, zuständige "
            "Behörde und weitere Attribute je Gebiet. Geometrien in WGS 84 (Länge/Breite).")
            % {"layer": layer.name, "role": layer.get_role_display()}),
        themes=("REGI", "GOVE"),
        tags=("zuständigkeit", "verwaltungsgebiete"),
        source=layer_source(layer_id=layer.pk, layer_slug=layer.slug),
        spatial_sql=(f"SELECT ST_Envelope(ST_Collect(a.geom)) FROM geodata_jurisdictionarea a "
                     f"WHERE a.layer_id = {int(layer.pk)}"),
        layer_id=layer.pk,
    )


def layer_dataset_name(slug: str) -> str:
    """The dataset name of a layer: CKAN names are lower case, 2–100 characters."""
    return (LAYER_DATASET_PREFIX + slug.lower().replace(".", "-"))[:100]


def export_specs() -> list[ExportSpec]:
    """Every generated dataset: the reports, then one per jurisdiction layer (by slug)."""
    return [_reports_spec(), *(_layer_spec(layer) for layer in JurisdictionLayer.objects.order_by("slug"))]


# --- rebuild -----------------------------------------------------------------------------------

def exports_rebuild(*, dataset_name: str | None = None) -> list[RebuildResult]:
    """Rebuild all generated datasets, or only `dataset_name`. One failing dataset does not
    stop the others; its result carries the error. Raises ExportError for an unknown name."""
    specs = export_specs()
    if dataset_name is not None:
        specs = [s for s in specs if s.name == dataset_name]
        if not specs:
            raise ExportError(_("„%(name)s“ ist kein erzeugter Datensatz; erzeugt werden: %(names)s.")
                              % {"name": dataset_name, "names": ", ".join(s.name for s in export_specs())})
    results = [dataset_rebuild(spec=spec) for spec in specs]
    if dataset_name is None:
        _layer_datasets_retire(keep={s.name for s in specs})
    return results


def dataset_rebuild(*, spec: ExportSpec) -> RebuildResult:
    """Build one generated dataset's files and publish them atomically (module docstring)."""
    result = RebuildResult(name=spec.name)
    if not _lock(spec.name):
        result.skipped = True
        return result
    storage = Resource._meta.get_field("upload").storage
    if storage_is_local(storage):
        work_root = Path(storage.path("opendata"))
        work_root.mkdir(parents=True, exist_ok=True)
    else:
        work_root = None  # object storage: build in the system's temporary directory, then upload
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=work_root))
    try:
        built = _files_build(spec=spec, work=work)
        result.features = built.pop("_count")
        with transaction.atomic():
            dataset = _dataset_upsert(spec=spec)
            result.files = _resources_publish(dataset=dataset, spec=spec, built=built)
        dataset_touch(dataset=dataset)
    except (ExportWriteError, OSError) as exc:
        result.error = str(exc)
    except Exception as exc:  # a database error: report it like the others, keep the old files
        logger.exception("rebuild of generated dataset %s failed", spec.name)
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
        _unlock(spec.name)
    return result


def _lock_key(name: str) -> str:
    return f"opendata-export:{name}"


def _lock(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [_lock_key(name)])
        return cursor.fetchone()[0]


def _unlock(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [_lock_key(name)])


def _files_build(*, spec: ExportSpec, work: Path) -> dict:
    """{format: (temporary path, size, sha256), "_count": features}, or an exception."""
    paths = {fmt: work / f"{spec.name}.{suffix}" for fmt, suffix, _mime in FORMATS}
    count = geojson_write(source=spec.source, path=paths["GeoJSON"])
    csv_write(source=spec.source, path=paths["CSV"])
    gpkg_write(source=spec.source, path=paths["GPKG"], title=spec.title, description=spec.notes.split("\n")[0])
    built = {fmt: (path, path.stat().st_size, _sha256(path)) for fmt, path in paths.items()}
    built["_count"] = count
    return built


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def city_organization_get() -> Organization:
    """The city's organisation (OPENDATA["CITY_ORGANIZATION"]), created if missing."""
    title = export_setting("CITY_ORGANIZATION_TITLE") or _("Stadt %(city)s") % {
        "city": getattr(settings, "FRONTEND", {}).get("CITY_NAME", "")}
    org, _created = Organization.objects.get_or_create(name=export_setting("CITY_ORGANIZATION"),
                                                       defaults={"title": title.strip()})
    return org


def _groups(themes) -> list[Group]:
    groups = []
    for code in themes:
        group, _created = Group.objects.get_or_create(
            name=code.lower(), defaults={"title": DATA_THEMES[code][0], "theme": code})
        groups.append(group)
    return groups


def _tags(names) -> list[Tag]:
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


def _one_row(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _dataset_upsert(*, spec: ExportSpec) -> Dataset:
    spatial = _one_row(f"SELECT ST_AsEWKB(g) FROM ({spec.spatial_sql}) s(g)")[0]
    temporal: tuple[date | None, date | None] = _one_row(spec.temporal_sql) if spec.temporal_sql else (None, None)
    if spec.layer_id is not None:
        imported = JurisdictionLayer.objects.filter(pk=spec.layer_id).values_list("imported_at", flat=True).first()
        temporal = (timezone.localdate(imported) if imported else None, None)
    dataset = Dataset.objects.select_for_update().filter(name=spec.name).first() or Dataset(name=spec.name)
    dataset.title, dataset.notes = spec.title, spec.notes
    dataset.owner_org = city_organization_get()
    dataset.license_id = LICENSE_ID
    dataset.private, dataset.state = False, Dataset.State.ACTIVE
    dataset.spatial = GEOSGeometry(memoryview(bytes(spatial))) if spatial is not None else None
    dataset.temporal_start, dataset.temporal_end = temporal
    dataset.frequency = FREQUENCY
    dataset.contributor_id = opendata_setting("CONTRIBUTOR_ID")
    dataset.metadata_modified = timezone.now()
    dataset.save()
    dataset.groups.set(_groups(spec.themes))
    dataset.tags.set(_tags(spec.tags))
    return dataset


_DESCRIPTIONS = {
    "GeoJSON": gettext_lazy("GeoJSON (RFC 7946), WGS 84."),
    "CSV": gettext_lazy("CSV, UTF-8, Kopfzeile; Spalten lon und lat in WGS 84 (Flächen: ein Punkt in der "
                        "Fläche, Geometrie als WKT in der Spalte wkt)."),
    "GPKG": gettext_lazy("GeoPackage, EPSG:4326, mit räumlichem Index."),
}


def _resources_publish(*, dataset: Dataset, spec: ExportSpec, built: dict) -> dict:
    """Create/update the three resources and move the new files into place (inside the
    caller's transaction, as its last step)."""
    storage = Resource._meta.get_field("upload").storage
    existing = {r.format: r for r in dataset.resources.order_by("position", "created")}
    now = timezone.now()
    files, moves = {}, []
    for position, (fmt, suffix, mimetype) in enumerate(FORMATS):
        temp_path, size, sha = built[fmt]
        resource = existing.get(fmt) or Resource(package=dataset)
        name = resource_upload_to(resource, f"{spec.name}.{suffix}")
        changed = not (resource.hash == sha and resource.upload.name == name and storage_file_exists(storage, name))
        resource.name = f"{spec.title} ({fmt})"
        resource.description = str(_DESCRIPTIONS[fmt])
        resource.format, resource.mimetype, resource.position = fmt, mimetype, position
        resource.url_type, resource.url = Resource.UrlType.UPLOAD, ""
        if changed:
            if resource.upload and resource.upload.name != name:
                old = resource.upload.name
                transaction.on_commit(lambda old=old: storage.delete(old))
            resource.upload.name = name
            resource.size, resource.hash, resource.last_modified = size, sha, now
            resource.metadata_modified = now
            moves.append((temp_path, name))
        resource.save()
        files[fmt] = (size, changed)
    for temp_path, name in moves:
        storage_file_replace(storage, name, temp_path)
    return files


def _layer_datasets_retire(*, keep: set[str]) -> None:
    """Mark the datasets of deleted layers as deleted (their files stay until deleted by hand)."""
    stale = (Dataset.objects.filter(name__startswith=LAYER_DATASET_PREFIX, state=Dataset.State.ACTIVE,
                                    owner_org__name=export_setting("CITY_ORGANIZATION"))
             .exclude(name__in=keep))
    for dataset in stale:
        Dataset.objects.filter(pk=dataset.pk).update(state=Dataset.State.DELETED)
        dataset_touch(dataset=dataset)
