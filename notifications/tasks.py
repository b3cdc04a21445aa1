"""Celery tasks of the outbox: send one notification, and the beat job that re-queues stale ones."""
import logging

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Notification

__all__ = ["notification_send_task", "notifications_requeue_stale"]

logger = logging.getLogger(__name__)


@shared_task(name="notifications.tasks.notification_send_task", ignore_result=True)
def notification_send_task(notification_id: int) -> str:
    """One send attempt; after a failed one, publishes itself again for the due time.

    Only the task that made the failed attempt schedules the next one, so duplicates (from
    beat, a redelivery or "retry now") do not multiply; they find the row not due and stop.
    """
    outcome = services.notification_attempt(notification_id=notification_id)
    if outcome is services.AttemptOutcome.RETRY:
        next_attempt_at = (
            Notification.objects.filter(pk=notification_id).values_list("next_attempt_at", flat=True).first())
        if next_attempt_at is not None:
            countdown = max((next_attempt_at - timezone.now()).total_seconds(), 0.0)
            # If this publish fails, beat re-queues the row once it is due.
            services.notification_enqueue(notification_id=notification_id, countdown=countdown)
    return outcome.value


@shared_task(name="notifications.tasks.notifications_requeue_stale", ignore_result=True)
def notifications_requeue_stale() -> int:
    """Beat, every minute: publish send tasks for pending rows that are due or lost their task."""
    published = services.notifications_requeue_stale()
    if published:
        logger.info("re-queued %s pending notifications", published)
    return published
