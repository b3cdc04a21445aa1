"""Celery task of the OZG monitor: `ozgmonitor_daily_task` (beat, daily) adds entries for new
plug-in services, retires those of removed ones, and rebuilds the open dataset `ozg-monitor`."""
from celery import shared_task

from .dataset import monitor_dataset_rebuild
from .services import portal_services_sync


@shared_task(name="ozgmonitor.tasks.ozgmonitor_daily_task", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def ozgmonitor_daily_task() -> str:
    """Sync the plug-in services, then rebuild the dataset; returns a one-line summary."""
    portal_services_sync()
    return str(monitor_dataset_rebuild())
