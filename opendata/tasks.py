"""Celery tasks of the open data catalogue.

- `resource_geo_ingest_task`: reads an uploaded vector resource into features
  (`opendata.geo.services.geo_ingest_run`), queued on commit by `geo_ingest_queue`.
- `resources_geo_ingest_requeue_task`: beat, every 5 minutes: re-queues ingests left pending
  because their task was lost (`opendata.geo.services.geo_ingests_requeue_stale`).
- `opendata_exports_rebuild_task`: rebuilds the generated datasets (reports, jurisdiction
  layers) as GeoJSON, CSV and GeoPackage files (`opendata.exports.services`); beat runs it daily.
- `upstream_push_task`: one attempt of a push to the upstream CKAN (`opendata.upstream`),
  retried with exponential backoff on network and server errors.
- `upstream_pushes_requeue_stale_task`: beat, every 5 minutes: re-queues pending pushes
  whose task was lost (`opendata.upstream.upstream_pushes_requeue_stale`).
- `report_cells_refresh_task`, `report_cells_rebuild_task`: the report counts of the
  low-zoom vector tiles (`opendata.ogc.tiles.tasks`, imported here so Celery finds them).

This module imports the services; they name their tasks by dotted path when they queue them
(`config.queueing`), so imports point one way.
"""
import logging

from celery import shared_task

from .conf import opendata_setting
from .exports.services import exports_rebuild
from .geo.services import geo_ingest_run, geo_ingests_requeue_stale
from .ogc.tiles.tasks import report_cells_rebuild_task, report_cells_refresh_task  # noqa: F401
from .upstream import UpstreamRetry, upstream_push_attempt, upstream_pushes_requeue_stale

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=5)
def resource_geo_ingest_task(resource_id: str, upload_hash: str = "") -> str:
    """Read one resource's upload into `ResourceFeature` rows; storage errors are retried."""
    return geo_ingest_run(resource_id=resource_id, upload_hash=upload_hash)


@shared_task(name="opendata.tasks.resources_geo_ingest_requeue_task", ignore_result=True)
def resources_geo_ingest_requeue_task() -> int:
    """Beat: publish the ingest task again for resources whose ingest lost its task."""
    published = geo_ingests_requeue_stale()
    if published:
        logger.info("re-queued %s pending geodata ingests", published)
    return published


@shared_task
def opendata_exports_rebuild_task(dataset_name: str | None = None) -> list[str]:
    """Rebuild the generated datasets (or only `dataset_name`); returns one line per dataset."""
    return [str(result) for result in exports_rebuild(dataset_name=dataset_name)]


def _upstream_retry_options() -> dict:
    """Bounded retries with exponential backoff for upstream pushes (read at import)."""
    return {
        "autoretry_for": (UpstreamRetry,), "retry_backoff": opendata_setting("UPSTREAM_RETRY_BACKOFF"),
        "retry_backoff_max": opendata_setting("UPSTREAM_RETRY_BACKOFF_MAX"), "retry_jitter": True,
        "max_retries": opendata_setting("UPSTREAM_MAX_RETRIES"),
    }


@shared_task(bind=True, name="opendata.tasks.upstream_push_task", ignore_result=True, **_upstream_retry_options())
def upstream_push_task(self, push_id: int) -> str:
    """One attempt of an upstream push (opendata.upstream); transient failures are retried
    until the last allowed attempt, which records the push as failed instead of raising."""
    push = upstream_push_attempt(push_id=push_id, final=self.request.retries >= self.max_retries)
    return push.status if push is not None else "missing"


@shared_task(name="opendata.tasks.upstream_pushes_requeue_stale_task", ignore_result=True)
def upstream_pushes_requeue_stale_task() -> int:
    """Beat: publish the push task again for pending pushes that lost theirs; returns how many."""
    published = upstream_pushes_requeue_stale()
    if published:
        logger.info("re-queued %s pending upstream pushes", published)
    return published
