"""The notification outbox: every message is a row before it is sent.

A service writes the row in its transaction and queues the Celery task on commit; if Redis
is down at that moment, beat re-queues stale pending rows, so nothing is lost. Every send
attempt is recorded in `NotificationAttempt`.
"""
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Notification", "NotificationAttempt", "Subscription", "subscription_token_new"]


class Notification(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-Mail")
        WEBHOOK = "webhook", _("Webhook")

    class State(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("endgültig fehlgeschlagen")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Email address or webhook URL.
    recipient = models.CharField(max_length=500)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    # Webhook JSON payload (or structured context for an email).
    payload = models.JSONField(default=dict, blank=True)
    # HMAC-SHA256 key for a webhook's signature (Standard Webhooks), copied from the department
    # when queued so a retry signs with the key valid at the time of the event. Cleared once
    # the message is sent; never shown in the admin or any API.
    signing_secret = models.CharField(max_length=200, blank=True)
    # What triggered it, e.g. "report.created.department", and the object it is about.
    event = models.CharField(max_length=100)
    object_id = models.CharField(max_length=50, blank=True, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient} ({self.state})"


class NotificationAttempt(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField()
    error = models.TextField(blank=True)
    # HTTP status of a webhook, SMTP reply code where known.
    status_code = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        outcome = "ok" if self.ok else f"error {self.status_code or ''}".strip()
        return f"attempt {self.at.isoformat(timespec='seconds') if self.at else '–'} ({outcome})"


def subscription_token_new() -> str:
    """The secret of an unsubscribe link (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class Subscription(models.Model):
    """Someone who asked to be told about an object's news by email, e.g. a supporter of a report.

    `topic` names the kind of object ("report"), `object_id` the object. No double opt-in:
    every message carries the unsubscribe link with `token`, which removes the row (and
    with it the address). The address is personal data: it is not in any public output.
    """

    topic = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    email = models.EmailField()
    # Language of the messages (the page's language when subscribing).
    language = models.CharField(max_length=5, default="de")
    token = models.CharField(max_length=32, unique=True, default=subscription_token_new, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [models.UniqueConstraint(fields=["topic", "object_id", "email"],
                                               name="subscription_once_per_email")]
        indexes = [models.Index(fields=["topic", "object_id"])]

    def __str__(self) -> str:
        return f"{self.topic}:{self.object_id}"

