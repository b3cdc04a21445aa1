"""Delivery of one notification over its channel: email through Django's mail backend, webhooks
as signed JSON POSTs.

A sender either returns (delivered; the SMTP or HTTP status code where known) or raises
`DeliveryError`. It does not touch the database; `services.notification_attempt` records the
outcome.

Webhook signature, for receivers, the Standard Webhooks way (https://www.standardwebhooks.com,
so off-the-shelf libraries such as the `standardwebhooks` package verify it):
``webhook-id`` is the notification id (the same across retries, so a receiver can drop
duplicates: delivery is at least once), ``webhook-timestamp`` Unix seconds at the time of the
attempt (a receiver rejects replays), and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"<webhook-id>.<webhook-timestamp>.<raw body>">``. The key is the department's secret: a
``whsec_<base64>`` secret is base64-decoded, any other secret is used as its UTF-8 bytes
(receivers pass ``secret.encode()`` to their library).

Deprecated, kept for one release (receivers written against it still work):
``X-Stadtmelder-Signature: sha256=<hex HMAC-SHA256 of "<X-Stadtmelder-Timestamp>.<raw body>">``
with ``X-Stadtmelder-Timestamp`` and ``X-Stadtmelder-Delivery`` (same values as above).
"""
import base64
import binascii
import hashlib
import hmac
import json
import smtplib
import time
from collections.abc import Callable

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .conf import notification_setting
from .models import Notification

__all__ = [
    "DeliveryError",
    "email_send",
    "webhook_send",
    "webhook_signature_create",
    "webhook_signature_verify",
    "standard_webhook_key",
    "standard_webhook_signature",
    "sender_for_channel",
]

SIGNATURE_PREFIX = "sha256="
# Prefix of base64-encoded secrets in Standard Webhooks.
STANDARD_SECRET_PREFIX = "whsec_"
# How much of a receiver's error response is kept in the attempt log.
ERROR_BODY_MAX_CHARS = 300


class DeliveryError(Exception):
    """The message was not delivered; `status_code` is the SMTP or HTTP code where known."""

    def __init__(self, message: str, *, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


def email_send(*, notification: Notification) -> int | None:
    """Send the notification as a plain-text email from DEFAULT_FROM_EMAIL; raises DeliveryError."""
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        connection=connection,
        headers=_email_headers(notification),
    )
    try:
        sent = message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        code = next((code for code, _reason in exc.recipients.values()), None)
        raise DeliveryError(f"SMTP: recipient refused: {exc.recipients}", status_code=code) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}", status_code=exc.smtp_code) from exc
    except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, timeout, TLS, DNS
        raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from exc
    if sent != 1:
        raise DeliveryError("SMTP: the mail backend accepted no message")
    return None


# Headers a queued email may set through its payload ("email_headers"): threading and where
# replies go (the mail intake of the general request finds the case by our Message-ID).
_PAYLOAD_HEADERS = ("Message-ID", "In-Reply-To", "References", "Reply-To")


def _email_headers(notification: Notification) -> dict[str, str]:
    """RFC 3834 Auto-Submitted (auto-responders do not answer); for messages to subscribers
    the unsubscribe link as List-Unsubscribe with RFC 8058 one-click (payload "unsubscribe_url");
    the threading headers of payload "email_headers" (only those of `_PAYLOAD_HEADERS`)."""
    extra = (notification.payload or {}).get("email_headers") or {}
    headers = {name: str(extra[name]) for name in _PAYLOAD_HEADERS if extra.get(name)}
    headers["Auto-Submitted"] = "auto-generated"
    unsubscribe_url = (notification.payload or {}).get("unsubscribe_url")
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def webhook_signature_create(*, secret: str, timestamp: int | str, body: bytes | str) -> str:
    """The deprecated X-Stadtmelder-Signature value for a body sent at `timestamp` (Unix seconds)."""
    body_bytes = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body_bytes, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def webhook_signature_verify(
    *, secret: str, timestamp: int | str, body: bytes | str, signature: str, max_age: float | None = None
) -> bool:
    """True if `signature` is valid for timestamp and body (constant-time comparison).

    With `max_age` (seconds), a timestamp further than that from now is rejected as a replay.
    """
    if not secret or not signature:
        return False
    if max_age is not None:
        try:
            if abs(time.time() - int(timestamp)) > max_age:
                return False
        except (TypeError, ValueError):
            return False
    expected = webhook_signature_create(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected.encode(), signature.encode())


def standard_webhook_key(secret: str) -> bytes:
    """The HMAC key of a secret: base64-decoded for ``whsec_…`` secrets, else the UTF-8 bytes."""
    if secret.startswith(STANDARD_SECRET_PREFIX):
        try:
            return base64.b64decode(secret[len(STANDARD_SECRET_PREFIX):], validate=True)
        except (binascii.Error, ValueError):
            pass  # not valid base64: the whole text is the key
    return secret.encode()


def standard_webhook_signature(*, secret: str, message_id: str, timestamp: int | str, body: bytes | str) -> str:
    """The ``webhook-signature`` value (Standard Webhooks, version 1) for one message."""
    body_bytes = body.encode() if isinstance(body, str) else body
    signed = f"{message_id}.{timestamp}.".encode() + body_bytes
    digest = hmac.new(standard_webhook_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_send(*, notification: Notification) -> int:
    """POST the payload as JSON to the recipient URL; any non-2xx answer raises DeliveryError."""
    body = json.dumps(notification.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    message_id = str(notification.pk)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Stadtmelder-Webhook/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "X-Stadtmelder-Event": notification.event,
        # Deprecated names of webhook-timestamp and webhook-id (one more release).
        "X-Stadtmelder-Timestamp": str(timestamp),
        "X-Stadtmelder-Delivery": message_id,
    }
    # Without a secret the request goes out unsigned rather than signed with an empty key,
    # which a receiver could not tell apart from a forgery anyway.
    if notification.signing_secret:
        headers["webhook-signature"] = standard_webhook_signature(
            secret=notification.signing_secret, message_id=message_id, timestamp=timestamp, body=body)
        headers["X-Stadtmelder-Signature"] = webhook_signature_create(
            secret=notification.signing_secret, timestamp=timestamp, body=body)
    try:
        response = requests.post(
            notification.recipient, data=body, headers=headers,
            timeout=notification_setting("WEBHOOK_TIMEOUT"),
            # A redirect is an answer, not a delivery: the body must not be re-sent elsewhere.
            allow_redirects=False,
        )
    except requests.Timeout as exc:
        raise DeliveryError(f"HTTP: timeout: {exc}") from exc
    except requests.RequestException as exc:
        raise DeliveryError(f"HTTP: {type(exc).__name__}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        excerpt = response.text[:ERROR_BODY_MAX_CHARS].strip()
        raise DeliveryError(f"HTTP {response.status_code}" + (f": {excerpt}" if excerpt else ""),
                            status_code=response.status_code)
    return response.status_code


SENDERS: dict[str, Callable[..., int | None]] = {
    Notification.Channel.EMAIL: email_send,
    Notification.Channel.WEBHOOK: webhook_send,
}


def sender_for_channel(channel: str) -> Callable[..., int | None]:
    """The send function for a channel; unknown channels raise DeliveryError."""
    try:
        return SENDERS[channel]
    except KeyError:
        raise DeliveryError(f"unknown channel {channel!r}") from None


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
