"""Celery tasks of the Sozialcard: the daily renewal reminders (beat schedule
"sozialcard-renewal-reminders" in config/settings.py)."""
from celery import shared_task

from .renewal import renewal_reminders_send

__all__ = ["sozialcard_renewal_reminders_task"]


@shared_task(name="services.sozialcard.tasks.sozialcard_renewal_reminders_task")
def sozialcard_renewal_reminders_task() -> int:
    """Remind owners of cards that end soon (once per card); returns how many were queued."""
    return renewal_reminders_send()
