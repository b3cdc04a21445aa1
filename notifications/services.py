"""Writes to the notification outbox: queue a message, retry one by hand.

Delivery is at least once. `notification_queue` writes the row inside the caller's transaction
and publishes the Celery task only after commit; if the broker is unreachable then, the row
stays pending and `notifications_requeue_stale` (beat, every minute) publishes it again. A send
attempt (`delivery.notification_attempt`) holds a row lock and re-checks state and due time
under it, so two workers, a duplicate task or a beat re-queue never send the same row twice.
Only if the database is lost between a successful send and the commit is a message repeated.

Imports point one way: services → tasks → delivery (no module imports one that imports it).
"""
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from .delivery import AttemptOutcome, notification_attempt, notification_retry_delay, notification_send
from .models import Notification, Subscription
from .tasks import notification_enqueue, notifications_requeue_stale_now

__all__ = [
    "AttemptOutcome",
    "notification_queue",
    "notification_enqueue",
    "notification_attempt",
    "notification_send",
    "notification_retry",
    "notification_retry_delay",
    "notifications_requeue_stale",
    "subscription_add",
    "subscription_remove",
]

# The beat job's work, callable directly (tests, management shell).
notifications_requeue_stale = notifications_requeue_stale_now


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


def subscription_add(*, topic: str, object_id: str, email: str, language: str = "de") -> tuple[Subscription, bool]:
    """Subscribe `email` to an object's news; returns (subscription, created). Idempotent per email.

    The address is compared case-insensitively, so "Erika@…" and "erika@…" are one subscriber.
    """
    email = email.strip()
    existing = Subscription.objects.filter(topic=topic, object_id=str(object_id), email__iexact=email).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Subscription.objects.create(topic=topic, object_id=str(object_id), email=email,
                                               language=language if language in ("de", "en") else "de"), True
    except IntegrityError:  # a parallel request subscribed the same address
        return Subscription.objects.get(topic=topic, object_id=str(object_id), email=email), False


def subscription_remove(*, token: str) -> Subscription | None:
    """Delete the subscription with this unsubscribe token; returns it (unsaved) or None if unknown."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(token=token).first()
        if subscription is None:
            return None
        subscription.delete()
    return subscription

