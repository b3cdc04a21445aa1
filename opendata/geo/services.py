"""Writes of the geodata ingest: reading an uploaded resource into `ResourceFeature` rows.

`geo_ingest_queue` is called where an upload is stored (`opendata.services.resource_file_store`,
also used by the admin) and when an upload is removed; it marks the resource "pending" (with
`queued_at`) and queues `opendata.tasks.resource_geo_ingest_task` on commit
(`config.queueing`). The task calls `geo_ingest_run`. An ingest whose task was lost (broker
outage, killed worker) is published again by beat (`geo_ingests_requeue_stale`).
Whatever a file does to the readers (too deeply nested JSON, NaN coordinates, a GDAL
crash), the resource ends in status "error" with a message, never "pending" for ever.

All or nothing: the old features are deleted and the new ones written in one transaction,
feature by feature as the file is read (`opendata.geo.reading`), so memory does not grow with
the file. Any problem rolls the transaction back; then, in a second transaction, the old
features are removed as well (they belong to a file that no longer exists) and
`geo_ingest` gets status "error" with the German message. Nothing else is half-written.

A dataset without a spatial extent gets the extent of the features (EPSG:4326), in a short
transaction after the ingest's (see `geo_ingest_run`).
Every write of a resource's features also gives the resource a new `features_version` (the
ETag of its vector tiles), on the resource's row, which the writer has locked before the
features: an ingest and an edit of a dataset (dataset row, then its resources' rows) meet on
that row only, in that order.
Resource fields read here: `srid` (integer EPSG code overriding the file's CRS; the CRS of a
CSV) and `layer` (the GeoPackage layer to read), both CKAN resource extras.
"""
import logging
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import Point, Polygon
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from config.queueing import task_enqueue, task_enqueue_on_commit

from ..models import Dataset, Resource, ResourceFeature
from ..touch import dataset_touch
from .errors import GeoIngestError
from .reading import geo_file_open, geo_kind_detect

__all__ = ["GEO_INGEST_STALE_AFTER", "geo_ingest_fields_refresh", "geo_ingest_queue", "geo_ingest_run",
           "geo_ingests_requeue_stale"]

logger = logging.getLogger(__name__)
# Features are written in batches of at most 1000 features or 200,000 vertices (about 10 MB
# of geometry), so memory does not grow with the file nor with one huge geometry's neighbours.
_BATCH = 1000
_BATCH_VERTICES = 200_000
# Named by path: opendata.tasks imports this module.
INGEST_TASK = "opendata.tasks.resource_geo_ingest_task"
# An ingest still pending this long after it was queued has lost its task (a broker outage,
# a killed worker). Reading a 140 MB GeoJSON takes a few minutes.
GEO_INGEST_STALE_AFTER = timedelta(minutes=15)
REQUEUE_BATCH = 100
# The resource's fields the ingest writes.
_INGEST_FIELDS = ("geo_ingest", "features_version")


def geo_ingest_queue(*, resource: Resource) -> None:
    """The upload of `resource` was stored, replaced or removed (not yet saved): mark its
    ingest pending and queue the ingest task after commit. The caller saves the resource."""
    kind = geo_kind_detect(filename=resource.filename, format=resource.format) if resource.upload else None
    if kind is None and not resource.geo_ingest:
        return
    resource.geo_ingest = _pending() if kind else {}
    task_enqueue_on_commit(INGEST_TASK, str(resource.pk), resource.hash if resource.upload else "")


def geo_ingest_fields_refresh(*, resource: Resource) -> None:
    """Lock the row of the existing `resource` and take the ingest's fields from it (`geo_ingest`,
    `features_version`): an ingest may have written them since `resource` was read, and saving
    the row as read would overwrite them. Call inside the transaction that saves it."""
    fresh = Resource.objects.select_for_update().filter(pk=resource.pk).values(*_INGEST_FIELDS).first()
    for name, value in (fresh or {}).items():
        setattr(resource, name, value)


def geo_ingests_requeue_stale(*, now: datetime | None = None, limit: int = REQUEUE_BATCH) -> int:
    """Publish the ingest task again for resources pending since more than
    `GEO_INGEST_STALE_AFTER` (the broker was down, or the worker was killed while reading);
    returns how many were published. Each one's `queued_at` is set to `now`, so a long
    ingest is re-queued at most once per period; a duplicate task is harmless (the ingest
    locks the resource, and the second run reads the same file again). If the broker is
    still down, the run stops at the first failure and the rest wait for the next run."""
    now = now or timezone.now()
    cutoff = (now - GEO_INGEST_STALE_AFTER).isoformat()
    stale = (Resource.objects.filter(geo_ingest__status="pending")
             .filter(Q(geo_ingest__queued_at__isnull=True) | Q(geo_ingest__queued_at__lt=cutoff))
             .order_by("created", "id").values_list("id", "hash")[:limit])
    published = 0
    for resource_id, upload_hash in stale:
        # Only if it is still pending: an ingest that just finished keeps its result.
        if not Resource.objects.filter(pk=resource_id, geo_ingest__status="pending").update(
                geo_ingest=_pending(now)):
            continue
        if not task_enqueue(INGEST_TASK, str(resource_id), upload_hash or ""):
            break
        published += 1
    return published


def _pending(now: datetime | None = None) -> dict:
    return {"status": "pending", "queued_at": (now or timezone.now()).isoformat()}


def geo_ingest_run(*, resource_id, upload_hash: str = "") -> str:
    """Read the upload of resource `resource_id` into features; returns the new status
    ("ok", "error", "" for a file that is not geodata, "stale" if the upload changed since
    the task was queued, "missing" if the resource is gone)."""
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        return "missing"
    if upload_hash and resource.hash != upload_hash:
        return "stale"  # a newer upload has queued its own task
    kind = geo_kind_detect(filename=resource.filename, format=resource.format) if resource.upload else None
    if kind is None:
        _result_store(resource=resource, result={})
        return ""
    try:
        with _local_copy(resource) as path, transaction.atomic():
            locked = Resource.objects.select_for_update().get(pk=resource.pk)
            if upload_hash and locked.hash != upload_hash:
                return "stale"
            result = _ingest(resource=locked, path=path, kind=kind)
    except GeoIngestError as exc:
        _result_store(resource=resource, result={"status": "error", "error": str(exc)})
        return "error"
    except GDALException:
        logger.exception("geo ingest of resource %s: GDAL failed", resource.pk)
        _result_store(resource=resource, result={"status": "error", "error": _(
            "Die Datei ist beschädigt und kann nicht vollständig gelesen werden.")})
        return "error"
    except FileNotFoundError:
        _result_store(resource=resource, result={"status": "error", "error": _("Die Datei fehlt im Speicher.")})
        return "error"
    except (OperationalError, InterfaceError, OSError):
        raise  # the database or the storage is away: the task is retried, the resource stays pending
    except Exception:  # noqa: BLE001 - whatever the file does to a reader, the resource must not stay pending
        logger.exception("geo ingest of resource %s failed unexpectedly", resource.pk)
        _result_store(resource=resource, result={"status": "error", "error": _(
            "Die Datei konnte nicht eingelesen werden (unerwarteter Fehler beim Lesen). Bitte die Datei prüfen "
            "oder dem Datenportal-Team melden.")})
        return "error"
    if result.get("status") == "ok":
        # After the ingest's commit, in a transaction of its own: the ingest holds the resource
        # row, an edit of the dataset takes the dataset row before its resources' rows, so
        # writing the dataset inside the ingest could deadlock with such an edit.
        with transaction.atomic():
            _dataset_extent_fill(dataset_id=resource.package_id, bbox=result["bbox"])
    return result.get("status", "")


def _ingest(*, resource: Resource, path: Path, kind: str) -> dict:
    srid = _extra_srid(resource)
    layer = str(resource.extras.get("layer") or "").strip() or None
    ResourceFeature.objects.filter(resource=resource).delete()
    source = geo_file_open(path=path, kind=kind, srid=srid, layer=layer)
    if source is None:
        _result_write(resource_id=resource.pk, result={})
        return {}
    batch, vertices = [], 0
    for feature in source.features():
        batch.append(ResourceFeature(resource=resource, fid=feature.fid, geometry=feature.geometry,
                                     properties=feature.properties))
        vertices += feature.geometry.num_coords
        if len(batch) >= _BATCH or vertices >= _BATCH_VERTICES:
            ResourceFeature.objects.bulk_create(batch)
            batch, vertices = [], 0
    ResourceFeature.objects.bulk_create(batch)
    count, bbox = _features_extent(resource_id=resource.pk)
    result = {
        "status": "ok", "error": "", "geometry_type": source.geometry_type, "feature_count": count,
        "bbox": bbox, "source_srid": source.source_srid, "fields": source.fields, "encoding": source.encoding,
    }
    if source.layer and kind == "gpkg":
        result["layer"] = source.layer
    _result_write(resource_id=resource.pk, result=result)
    return result


def _extra_srid(resource: Resource) -> int | None:
    value = resource.extras.get("srid")
    if value in (None, ""):
        return None
    text = str(value).strip().upper().removeprefix("EPSG:")
    if not text.isdigit():
        raise GeoIngestError(_("„srid“ muss ein ganzzahliger EPSG-Code sein, z. B. 25833 (angegeben: „%(v)s“).")
                             % {"v": value})
    return int(text)


def _features_extent(*, resource_id) -> tuple[int, list[float]]:
    """Number of features and their bounding box [min lon, min lat, max lon, max lat] (exact:
    box3d is double precision, unlike the float4 boxes ST_Extent may use)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), min(ST_XMin(b)), min(ST_YMin(b)), max(ST_XMax(b)), max(ST_YMax(b)) "
            "FROM (SELECT geometry::box3d AS b FROM opendata_resourcefeature WHERE resource_id = %s) f",
            [resource_id])
        count, *bbox = cursor.fetchone()
    return count, [round(c, 7) for c in bbox]


def _dataset_extent_fill(*, dataset_id, bbox: list[float]) -> None:
    """Give a dataset without a spatial extent the bounding box of the features (EPSG:4326)."""
    x0, y0, x1, y1 = bbox
    if x0 == x1 and y0 == y1:
        extent = Point(x0, y0, srid=4326)
    else:
        # A horizontal or vertical line of features still gets an area (about 1 cm).
        pad_x, pad_y = (1e-7 if x0 == x1 else 0), (1e-7 if y0 == y1 else 0)
        extent = Polygon.from_bbox((x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y))
        extent.srid = 4326
    if Dataset.objects.filter(pk=dataset_id, spatial__isnull=True).update(spatial=extent):
        dataset_touch(dataset=Dataset(pk=dataset_id))


def _result_write(*, resource_id, result: dict) -> None:
    """The ingest's result and a new `features_version`, in the transaction that wrote the features."""
    Resource.objects.filter(pk=resource_id).update(geo_ingest=result, features_version=uuid.uuid4())


def _result_store(*, resource: Resource, result: dict) -> None:
    """Drop the features and store `result`; the resource's row first, as the ingest."""
    with transaction.atomic():
        if not Resource.objects.select_for_update().filter(pk=resource.pk).exists():
            return
        ResourceFeature.objects.filter(resource_id=resource.pk).delete()
        _result_write(resource_id=resource.pk, result=result)


@contextmanager
def _local_copy(resource: Resource):
    """A local path of the upload: the file itself on file-system storage, else a temporary copy
    (GDAL reads ZIP archives and GeoPackages by path)."""
    storage = resource.upload.storage
    try:
        path = Path(storage.path(resource.upload.name))
    except NotImplementedError:
        path = None
    if path is not None:
        if not path.exists():
            raise FileNotFoundError(str(path))
        yield path
        return
    suffix = Path(resource.upload.name).suffix
    with tempfile.TemporaryDirectory(prefix="geo-ingest-") as tmp:
        local = Path(tmp) / f"upload{suffix}"
        with resource.upload.open("rb") as src, local.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        yield local
