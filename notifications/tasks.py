"""Celery tasks of the outbox: send one notification, and the beat job that re-queues stale ones.

`notification_enqueue` is the one place that publishes a send task; it never raises, so a
broker outage leaves the row pending for beat. This module imports `delivery` and
`selectors`, never `services` (which imports it).
"""
import logging
from datetime import datetime

from celery import shared_task
from django.utils import timezone

from config.queueing import task_enqueue

from . import selectors
from .delivery import AttemptOutcome, notification_attempt
from .models import Notification

__all__ = ["notification_send_task", "notifications_requeue_stale", "notification_enqueue",
           "notifications_requeue_stale_now"]

logger = logging.getLogger(__name__)


@shared_task(name="notifications.tasks.notification_send_task", ignore_result=True)
def notification_send_task(notification_id: int) -> str:
    """One send attempt; after a failed one, publishes itself again for the due time.

    Only the task that made the failed attempt schedules the next one, so duplicates (from
    beat, a redelivery or "retry now") do not multiply; they find the row not due and stop.
    """
    outcome = notification_attempt(notification_id=notification_id)
    if outcome is AttemptOutcome.RETRY:
        next_attempt_at = (
            Notification.objects.filter(pk=notification_id).values_list("next_attempt_at", flat=True).first())
        if next_attempt_at is not None:
            countdown = max((next_attempt_at - timezone.now()).total_seconds(), 0.0)
            # If this publish fails, beat re-queues the row once it is due.
            notification_enqueue(notification_id=notification_id, countdown=countdown)
    return outcome.value


def notification_enqueue(*, notification_id: int, countdown: float | None = None) -> bool:
    """Publish the send task for one notification; False (and a log line) instead of raising.

    The row stays pending whatever happens here, so beat picks it up later.
    """
    return task_enqueue(notification_send_task, notification_id, countdown=countdown)


def notifications_requeue_stale_now(*, now: datetime | None = None) -> int:
    """Publish the send task again for pending rows that are due or lost their task.

    Returns how many tasks were published. A duplicate of a task still waiting in the queue is
    harmless: `notification_attempt` skips rows that are locked, not due or no longer pending.
    """
    published = 0
    for notification_id in selectors.notification_ids_stale(now=now or timezone.now()):
        published += notification_enqueue(notification_id=notification_id)
    return published


@shared_task(name="notifications.tasks.notifications_requeue_stale", ignore_result=True)
def notifications_requeue_stale() -> int:
    """Beat, every minute: publish send tasks for pending rows that are due or lost their task."""
    published = notifications_requeue_stale_now()
    if published:
        logger.info("re-queued %s pending notifications", published)
    return published
