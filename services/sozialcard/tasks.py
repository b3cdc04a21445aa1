"""Celery tasks of the Sozialcard: `sozialcard_datasets_task` (beat, nightly) rebuilds the open
datasets of the partners and of the check counts (`dataset`); the daily renewal reminders
(`renewal`). Their beat entries are the app's own (`portal_hooks`)."""
from celery import shared_task

from .dataset import sozialcard_datasets_rebuild
from .renewal import renewal_reminders_send

__all__ = ["sozialcard_datasets_task", "sozialcard_renewal_reminders_task"]


@shared_task(name="sozialcard.tasks.sozialcard_datasets_task", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def sozialcard_datasets_task() -> str:
    """Rebuild the datasets; returns which files were rewritten."""
    return sozialcard_datasets_rebuild()


@shared_task(name="services.sozialcard.tasks.sozialcard_renewal_reminders_task")
def sozialcard_renewal_reminders_task() -> int:
    """Remind owners of cards that end soon (once per card); returns how many were queued."""
    return renewal_reminders_send()
