"""One send attempt of an outbox row: lock it, hand it to its channel's sender, record the outcome.

The row stays locked (`SELECT … FOR UPDATE SKIP LOCKED`) while the sender talks to the mail
server or webhook receiver, and state and due time are re-checked under the lock, so two
workers, a duplicate task or a beat re-queue never send the same row twice. This module
imports neither `services` nor `tasks`: both call it (no import circle).
"""
import enum
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .conf import RETRY_BASE_DELAY, RETRY_MAX_DELAY, notification_setting
from .models import Notification, NotificationAttempt
from .senders import DeliveryError, sender_for_channel

__all__ = ["AttemptOutcome", "notification_attempt", "notification_send", "notification_retry_delay",
           "ERROR_MAX_CHARS"]

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
