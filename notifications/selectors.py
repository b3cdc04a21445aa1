"""Reads from the notification outbox."""
from datetime import datetime

from django.db.models import Q, QuerySet

from .conf import STALE_AFTER
from .models import Notification, Subscription

__all__ = ["notification_list_for_object", "notification_ids_stale", "subscription_list", "subscription_get",
           "REQUEUE_BATCH_SIZE"]

# At most this many rows per beat run (every minute); the rest follow in the next runs.
REQUEUE_BATCH_SIZE = 500


def notification_list_for_object(*, object_id: str, event_prefix: str = "") -> QuerySet[Notification]:
    """Notifications about one object (e.g. a report id), newest first, with their attempt log.

    `event_prefix` narrows by event, e.g. "report.status".
    """
    queryset = Notification.objects.filter(object_id=str(object_id)).defer("signing_secret")
    if event_prefix:
        queryset = queryset.filter(event__startswith=event_prefix)
    return queryset.prefetch_related("attempt_log")


def notification_ids_stale(*, now: datetime, limit: int = REQUEUE_BATCH_SIZE) -> list[int]:
    """Ids of pending rows whose retry is due, or that were never attempted STALE_AFTER after
    they were written (their task was lost), oldest first."""
    return list(
        Notification.objects.filter(state=Notification.State.PENDING)
        .filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, attempts=0, created_at__lte=now - STALE_AFTER)
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def subscription_list(*, topic: str, object_id: str) -> QuerySet[Subscription]:
    """The subscribers of one object, oldest first."""
    return Subscription.objects.filter(topic=topic, object_id=str(object_id)).order_by("created_at", "id")


def subscription_get(*, token: str) -> Subscription | None:
    """The subscription an unsubscribe link names, or None."""
    return Subscription.objects.filter(token=token).first()

