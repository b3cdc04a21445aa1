"""Celery tasks of the Sozialcard: `sozialcard_datasets_task` (beat, nightly) rebuilds the open
datasets of the partners and of the check counts (`dataset`); the daily renewal reminders
(`renewal`); `used_codes_prune` (every five minutes) deletes the used dynamic codes a till
check no longer needs (`verification`). Their beat entries are the app's own (`portal_hooks`)."""
from celery import shared_task

from .dataset import sozialcard_datasets_rebuild
from .renewal import renewal_reminders_send
from .verification import used_codes_delete_old

__all__ = ["sozialcard_datasets_task", "sozialcard_renewal_reminders_task", "used_codes_prune"]


@shared_task(name="sozialcard.tasks.sozialcard_datasets_task", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def sozialcard_datasets_task() -> str:
    """Rebuild the datasets; returns which files were rewritten."""
    return sozialcard_datasets_rebuild()


@shared_task(name="services.sozialcard.tasks.sozialcard_renewal_reminders_task")
def sozialcard_renewal_reminders_task() -> int:
    """Remind owners of cards that end soon (once per card); returns how many were queued."""
    return renewal_reminders_send()


@shared_task(name="services.sozialcard.tasks.used_codes_prune")
def used_codes_prune() -> int:
    """Delete the used codes older than the replay lookback; returns how many."""
    return used_codes_delete_old()
