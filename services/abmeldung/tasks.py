"""Celery tasks of the deregistration abroad: the nightly retention run (beat schedule
"abmeldung-retention" in config/settings.py)."""
from celery import shared_task

from .retention import abmeldung_retention_apply

__all__ = ["abmeldung_retention_task"]


@shared_task(name="services.abmeldung.tasks.abmeldung_retention_task")
def abmeldung_retention_task() -> int:
    """Delete form contents and documents of cases completed more than RETENTION_DAYS ago."""
    return abmeldung_retention_apply()
