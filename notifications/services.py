"""Writes to the notification outbox: queue a message, make one send attempt, retry by hand.

Delivery is at least once. `notification_queue` writes the row inside the caller's transaction
and publishes the Celery task only after commit; if the broker is unreachable then, the row
stays pending and `notifications_requeue_stale` (beat, every minute) publishes it again. A send
attempt holds a row lock (`SELECT … FOR UPDATE SKIP LOCKED`) and re-checks state and due time
under it, so two workers, a duplicate task or a beat re-queue never send the same row twice.
Only if the database is lost between a successful send and the commit is a message repeated.
"""
import enum
import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from config.queueing import task_enqueue

from . import selectors
from .conf import RETRY_BASE_DELAY, RETRY_MAX_DELAY, notification_setting
from .models import Notification, NotificationAttempt
from .senders import DeliveryError, sender_for_channel

__all__ = [
    "AttemptOutcome",
    "notification_queue",
    "notification_enqueue",
    "notification_attempt",
    "notification_send",
    "notification_retry",
    "notification_retry_delay",
    "notifications_requeue_stale",
]

logger = logging.getLogger(__name__)

# Stored errors are for people reading the admin, not for full tracebacks.
ERROR_MAX_CHARS = 2000


class AttemptOutcome(enum.StrEnum):
    """What one call of `notification_attempt` did."""

    SENT = "sent"
    # Failed; another attempt is due at the row's next_attempt_at.
    RETRY = "retry"
    # Failed for the last time; the row is now `failed`.
    FAILED = "failed"
    # Nothing done: already sent or failed, not due yet, or another worker holds the row.
    SKIPPED = "skipped"


def notification_queue(
    *,
    channel: str,
    recipient: str,
    event: str,
    object_id: str = "",
    subject: str = "",
    body: str = "",
    payload: dict | None = None,
    signing_secret: str = "",
) -> Notification:
    """Write a pending notification and publish its send task once the transaction commits.

    Call it inside the transaction of the write the message is about: if that rolls back, the
    row disappears and nothing is sent. Never raises because of the broker.
    """
    # savepoint=False: joins the caller's transaction without extra queries; in autocommit
    # code it opens one, so the on-commit hook below still fires after the row is durable.
    with transaction.atomic(savepoint=False):
        notification = Notification.objects.create(
            channel=channel,
            recipient=recipient,
            event=event,
            object_id=str(object_id),
            subject=subject,
            body=body,
            payload=payload if payload is not None else {},
            signing_secret=signing_secret,
        )
        transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk))
    return notification


def notification_enqueue(*, notification_id: int, countdown: float | None = None) -> bool:
    """Publish the send task for one notification; False (and a log line) instead of raising.

    The row stays pending whatever happens here, so beat picks it up later.
    """
    from .tasks import notification_send_task  # tasks imports this module

    return task_enqueue(notification_send_task, notification_id, countdown=countdown)


def notification_retry_delay(*, attempts: int) -> timedelta:
    """Wait after the `attempts`-th failed attempt: 30 s, doubling, at most 1 h."""
    return min(RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


def notification_attempt(*, notification_id: int) -> AttemptOutcome:
    """Make one send attempt if the row is pending and due, and record it.

    The row stays locked while the sender talks to the mail server or the webhook receiver
    (bounded by EMAIL_TIMEOUT and WEBHOOK_TIMEOUT); concurrent callers skip it.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, state=Notification.State.PENDING)
            .first()
        )
        if notification is None:
            return AttemptOutcome.SKIPPED
        if notification.next_attempt_at is not None and notification.next_attempt_at > timezone.now():
            return AttemptOutcome.SKIPPED

        error, status_code = "", None
        try:
            status_code = sender_for_channel(notification.channel)(notification=notification)
        except DeliveryError as exc:
            error, status_code = str(exc), exc.status_code
        except Exception as exc:
            # A sender bug must not stop the outbox: recorded and retried like any failure.
            logger.exception("notification %s: sender raised unexpectedly", notification.pk)
            error = f"{type(exc).__name__}: {exc}"

        now = timezone.now()
        notification.attempts += 1
        NotificationAttempt.objects.create(
            notification=notification, ok=not error, error=error[:ERROR_MAX_CHARS], status_code=status_code)
        if not error:
            notification.state = Notification.State.SENT
            notification.sent_at = now
            notification.next_attempt_at = None
            notification.last_error = ""
            notification.signing_secret = ""  # no longer needed; keep fewer copies of the key
            outcome = AttemptOutcome.SENT
        elif notification.attempts >= notification_setting("NOTIFICATION_MAX_ATTEMPTS"):
            notification.state = Notification.State.FAILED
            notification.last_error = error[:ERROR_MAX_CHARS]
            notification.next_attempt_at = None
            logger.error("notification %s (%s → %s) failed for good after %s attempts: %s",
                         notification.pk, notification.event, notification.recipient, notification.attempts, error)
            outcome = AttemptOutcome.FAILED
        else:
            notification.last_error = error[:ERROR_MAX_CHARS]
            notification.next_attempt_at = now + notification_retry_delay(attempts=notification.attempts)
            logger.warning("notification %s: attempt %s failed, next at %s: %s",
                           notification.pk, notification.attempts, notification.next_attempt_at, error)
            outcome = AttemptOutcome.RETRY
        notification.save(update_fields=[
            "state", "attempts", "last_error", "next_attempt_at", "sent_at", "signing_secret"])
    return outcome


def notification_send(*, notification_id: int) -> bool:
    """One send attempt (see `notification_attempt`); True if this call delivered the message."""
    return notification_attempt(notification_id=notification_id) is AttemptOutcome.SENT


def notification_retry(*, notification_id: int) -> Notification | None:
    """Make a pending or failed notification due now and publish its task (admin "retry now").

    A failed row gets a fresh round of NOTIFICATION_MAX_ATTEMPTS; its earlier attempts stay in
    the attempt log. Sent rows are left alone (returns None).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, state__in=[Notification.State.PENDING, Notification.State.FAILED])
            .first()
        )
        if notification is None:
            return None
        if notification.state == Notification.State.FAILED:
            notification.attempts = 0
        notification.state = Notification.State.PENDING
        notification.next_attempt_at = timezone.now()
        notification.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk))
    return notification


def notifications_requeue_stale(*, now: datetime | None = None) -> int:
    """Publish the send task again for pending rows that are due or lost their task.

    Returns how many tasks were published. A duplicate of a task still waiting in the queue is
    harmless: `notification_attempt` skips rows that are locked, not due or no longer pending.
    """
    published = 0
    for notification_id in selectors.notification_ids_stale(now=now or timezone.now()):
        published += notification_enqueue(notification_id=notification_id)
    return published
