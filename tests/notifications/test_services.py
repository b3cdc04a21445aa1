"""The outbox: queue on commit, one attempt per call, backoff, final failure, signed webhooks,
broker outages and the guarantee that a row is never sent twice (Celery eager)."""
import contextlib
import json
import logging
import smtplib
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connections, transaction
from kombu.exceptions import OperationalError

from notifications import selectors, services
from notifications.models import Notification, NotificationAttempt
from notifications.senders import webhook_signature_create, webhook_signature_verify
from notifications.services import AttemptOutcome, notification_queue
from notifications.tasks import notification_send_task, notifications_requeue_stale
from tests.fixtures_worker import celery_broker

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SECRET = "whsec-3f1c9a"


@pytest.fixture
def max_attempts(settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "NOTIFICATION_MAX_ATTEMPTS": 3}
    return 3


@pytest.fixture
def smtp_down(monkeypatch):
    """The mail backend fails like a lost SMTP connection."""
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def queue_email(**overrides) -> Notification:
    fields = {"channel": Notification.Channel.EMAIL, "recipient": "tiefbau@stadt.example",
              "event": "report.created", "object_id": "42", "subject": "[Stadtmelder] Neue Meldung: #42 Schlagloch",
              "body": "Neue Meldung\n\nKategorie: Schlagloch"}
    return notification_queue(**{**fields, **overrides})


def queue_webhook(url: str, **overrides) -> Notification:
    fields = {"channel": Notification.Channel.WEBHOOK, "recipient": url, "event": "report.created",
              "object_id": "42", "payload": {"event": "report.created", "report": {"id": 42, "lon": 12.05,
                                                                                    "lat": 50.875,
                                                                                    "description": "Straße kaputt"}},
              "signing_secret": SECRET}
    return notification_queue(**{**fields, **overrides})


def committed(django_capture_on_commit_callbacks, queue, *args, **kwargs) -> Notification:
    """Queue inside a transaction and run the on-commit hooks as a real commit would."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        return queue(*args, **kwargs)


# --- email ------------------------------------------------------------------------------

def test_email_is_sent_after_commit_and_the_attempt_recorded(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notification = queue_email()
            assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "[Stadtmelder] Neue Meldung: #42 Schlagloch"
    assert mail.to == ["tiefbau@stadt.example"]
    assert mail.from_email == "stadtmelder@example.invalid"
    assert mail.body == "Neue Meldung\n\nKategorie: Schlagloch"
    assert mail.extra_headers["Auto-Submitted"] == "auto-generated"

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.next_attempt_at is None
    assert list(notification.attempt_log.values("ok", "error", "status_code")) == [
        {"ok": True, "error": "", "status_code": None}]


def test_smtp_failure_backs_off_then_fails_for_good(
        django_capture_on_commit_callbacks, mailoutbox, smtp_down, max_attempts, time_machine, caplog):
    time_machine.move_to(T0, tick=False)
    notification = committed(django_capture_on_commit_callbacks, queue_email)

    notification.refresh_from_db()
    assert notification.state == Notification.State.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at == T0 + timedelta(seconds=30)
    assert notification.last_error == "SMTP: SMTPServerDisconnected: Connection unexpectedly closed"
    assert list(notification.attempt_log.values("ok", "error", "status_code")) == [
        {"ok": False, "error": "SMTP: SMTPServerDisconnected: Connection unexpectedly closed", "status_code": None}]

    # Not due yet: a second call (a duplicate task, beat) does nothing.
    assert services.notification_send(notification_id=notification.pk) is False
    assert NotificationAttempt.objects.filter(notification=notification).count() == 1

    time_machine.move_to(T0 + timedelta(seconds=30), tick=False)
    assert services.notification_attempt(notification_id=notification.pk) is AttemptOutcome.RETRY
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.next_attempt_at == T0 + timedelta(seconds=30 + 60)

    time_machine.move_to(T0 + timedelta(seconds=90), tick=False)
    with caplog.at_level(logging.ERROR, logger="notifications.delivery"):
        assert services.notification_attempt(notification_id=notification.pk) is AttemptOutcome.FAILED
    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    assert notification.attempts == 3
    assert notification.next_attempt_at is None
    assert notification.sent_at is None
    assert [r.ok for r in notification.attempt_log.all()] == [False, False, False]
    assert any(r.levelno == logging.ERROR and f"notification {notification.pk} " in r.getMessage()
               and "failed for good after 3 attempts" in r.getMessage() for r in caplog.records)
    assert mailoutbox == []

    # Failed rows are not picked up again by beat.
    time_machine.move_to(T0 + timedelta(hours=2), tick=False)
    assert notifications_requeue_stale() == 0


def test_smtp_reply_code_is_recorded(django_capture_on_commit_callbacks, monkeypatch, mailoutbox):
    def send_messages(self, messages):
        raise smtplib.SMTPResponseException(451, b"4.3.0 Mail server temporarily rejected message")

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    notification = committed(django_capture_on_commit_callbacks, queue_email)

    attempt = notification.attempt_log.get()
    assert (attempt.ok, attempt.status_code) == (False, 451)
    assert attempt.error == "SMTP 451: 4.3.0 Mail server temporarily rejected message"


def test_retry_delay_doubles_and_is_capped():
    delays = [services.notification_retry_delay(attempts=n).total_seconds() for n in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


# --- webhooks ---------------------------------------------------------------------------

def test_webhook_is_posted_as_signed_json(django_capture_on_commit_callbacks, webhook_receiver):
    webhook_receiver.status = 204
    before = int(time.time())
    notification = committed(django_capture_on_commit_callbacks, queue_webhook, webhook_receiver.url)

    assert len(webhook_receiver.requests) == 1
    request = webhook_receiver.requests[0]
    assert request.path == "/hooks/stadtmelder"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Stadtmelder-Event"] == "report.created"
    assert request.headers["X-Stadtmelder-Delivery"] == str(notification.pk)
    timestamp = request.headers["X-Stadtmelder-Timestamp"]
    assert before <= int(timestamp) <= int(time.time())
    assert request.json() == {"event": "report.created",
                              "report": {"id": 42, "lon": 12.05, "lat": 50.875, "description": "Straße kaputt"}}

    signature = request.headers["X-Stadtmelder-Signature"]
    assert signature.startswith("sha256=") and len(signature) == len("sha256=") + 64
    assert webhook_signature_verify(secret=SECRET, timestamp=timestamp, body=request.body, signature=signature)
    assert webhook_signature_verify(secret=SECRET, timestamp=timestamp, body=request.body, signature=signature,
                                    max_age=60)
    assert not webhook_signature_verify(secret="other", timestamp=timestamp, body=request.body, signature=signature)
    assert not webhook_signature_verify(secret=SECRET, timestamp=int(timestamp) + 1, body=request.body,
                                        signature=signature)
    assert not webhook_signature_verify(secret=SECRET, timestamp=timestamp, body=request.body + b" ",
                                        signature=signature)

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.signing_secret == ""  # the key is not kept once delivered
    assert list(notification.attempt_log.values("ok", "error", "status_code")) == [
        {"ok": True, "error": "", "status_code": 204}]


@pytest.mark.parametrize("secret", [SECRET, "whsec_" + "c2VjcmV0LWtleS1ieXRlcy0xMjM0NTY3ODkw"])
def test_webhook_verifies_with_the_standard_webhooks_library(django_capture_on_commit_callbacks, webhook_receiver,
                                                              secret):
    """Standard Webhooks (https://www.standardwebhooks.com): checked with the reference library."""
    from standardwebhooks.webhooks import Webhook, WebhookVerificationError

    webhook_receiver.status = 200
    notification = committed(django_capture_on_commit_callbacks, queue_webhook, webhook_receiver.url,
                             signing_secret=secret)
    request = webhook_receiver.requests[0]
    assert request.headers["webhook-id"] == str(notification.pk)
    assert request.headers["webhook-timestamp"] == request.headers["X-Stadtmelder-Timestamp"]
    assert request.headers["webhook-signature"].startswith("v1,")
    # whsec_ secrets are base64 (the library decodes them); others are the UTF-8 bytes of the text.
    library_secret = secret if secret.startswith("whsec_") else secret.encode()
    headers = dict(request.headers)
    assert Webhook(library_secret).verify(request.body, headers) == request.json()
    with pytest.raises(WebhookVerificationError):
        Webhook(b"another key").verify(request.body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(library_secret).verify(request.body + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(library_secret).verify(request.body, {**headers, "webhook-id": "999999"})
    # The deprecated header stays for one release.
    assert webhook_signature_verify(secret=secret, timestamp=request.headers["X-Stadtmelder-Timestamp"],
                                    body=request.body, signature=request.headers["X-Stadtmelder-Signature"])


def test_webhook_without_secret_is_unsigned(django_capture_on_commit_callbacks, webhook_receiver):
    webhook_receiver.status = 200
    committed(django_capture_on_commit_callbacks, queue_webhook, webhook_receiver.url, signing_secret="")
    headers = {k.lower() for k in webhook_receiver.requests[0].headers}
    assert {"webhook-id", "webhook-timestamp"} <= headers
    assert "webhook-signature" not in headers and "x-stadtmelder-signature" not in headers


def test_standard_signature_matches_the_specification_example():
    """The reference signature of the `standardwebhooks` package's own test suite."""
    from notifications.senders import standard_webhook_signature

    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"test": 2432232314}'
    assert standard_webhook_signature(secret=secret, message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
                                      timestamp=1614265330, body=body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = json.dumps({"a": 1}).encode()
    # Reference value computed independently: printf '1700000000.{"a": 1}' | openssl dgst -sha256 -hmac key
    import hashlib
    import hmac

    expected = hmac.new(b"key", b'1700000000.{"a": 1}', hashlib.sha256).hexdigest()
    assert webhook_signature_create(secret="key", timestamp=1700000000, body=body) == f"sha256={expected}"
    assert webhook_signature_verify(secret="key", timestamp="1700000000", body=body.decode(),
                                    signature=f"sha256={expected}")
    assert not webhook_signature_verify(secret="key", timestamp=1700000000, body=body,
                                        signature=f"sha256={expected}", max_age=300)
    assert not webhook_signature_verify(secret="", timestamp=1700000000, body=body, signature=f"sha256={expected}")


def test_webhook_500_is_a_recorded_failure(django_capture_on_commit_callbacks, webhook_receiver, time_machine):
    time_machine.move_to(T0, tick=False)
    webhook_receiver.status = 500
    notification = committed(django_capture_on_commit_callbacks, queue_webhook, webhook_receiver.url)

    assert len(webhook_receiver.requests) == 1
    notification.refresh_from_db()
    assert notification.state == Notification.State.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at == T0 + timedelta(seconds=30)
    assert notification.last_error == "HTTP 500"
    assert notification.signing_secret == SECRET  # still needed for the retry
    assert list(notification.attempt_log.values("ok", "status_code")) == [{"ok": False, "status_code": 500}]

    # The receiver recovers; the retry is signed with the same key and gets through.
    webhook_receiver.status = 200
    time_machine.move_to(T0 + timedelta(seconds=31), tick=False)
    assert services.notification_send(notification_id=notification.pk) is True
    retry = webhook_receiver.requests[1]
    assert webhook_signature_verify(secret=SECRET, timestamp=retry.headers["X-Stadtmelder-Timestamp"],
                                    body=retry.body, signature=retry.headers["X-Stadtmelder-Signature"])
    assert [(a.ok, a.status_code) for a in notification.attempt_log.all()] == [(False, 500), (True, 200)]


def test_webhook_timeout_is_a_failure(django_capture_on_commit_callbacks, webhook_receiver, settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "WEBHOOK_TIMEOUT": 0.2}
    webhook_receiver.delay = 1.0
    notification = committed(django_capture_on_commit_callbacks, queue_webhook, webhook_receiver.url)

    attempt = notification.attempt_log.get()
    assert (attempt.ok, attempt.status_code) == (False, None)
    assert attempt.error.startswith("HTTP: timeout: ")


def test_webhook_without_secret_is_sent_unsigned(django_capture_on_commit_callbacks, webhook_receiver):
    committed(django_capture_on_commit_callbacks, queue_webhook, webhook_receiver.url, signing_secret="")
    assert "X-Stadtmelder-Signature" not in webhook_receiver.requests[0].headers


# --- transactions and the broker --------------------------------------------------------

def test_rolled_back_transaction_leaves_no_row_and_sends_nothing(
        django_capture_on_commit_callbacks, mailoutbox, monkeypatch):
    published = []
    monkeypatch.setattr(notification_send_task, "apply_async", lambda *a, **kw: published.append((a, kw)))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            queue_email()
            raise RuntimeError("the report could not be saved")

    assert callbacks == []
    assert published == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_broker_down_leaves_row_pending_and_beat_sends_it_later(
        django_capture_on_commit_callbacks, mailoutbox, monkeypatch, time_machine, caplog):
    time_machine.move_to(T0, tick=False)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(notification_send_task, "apply_async", broker_down)
        with caplog.at_level(logging.WARNING, logger="config.queueing"):
            notification = committed(django_capture_on_commit_callbacks, queue_email)  # does not raise

    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.PENDING, 0)
    assert mailoutbox == []
    assert f"could not queue notifications.tasks.notification_send_task({notification.pk},)" in caplog.text

    # Beat leaves fresh rows alone (their task may still be on its way) …
    time_machine.move_to(T0 + timedelta(minutes=1), tick=False)
    assert notifications_requeue_stale() == 0
    # … and re-queues them once they are stale; the broker is back.
    time_machine.move_to(T0 + timedelta(minutes=2, seconds=1), tick=False)
    assert notifications_requeue_stale() == 1

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert [m.subject for m in mailoutbox] == ["[Stadtmelder] Neue Meldung: #42 Schlagloch"]
    assert notifications_requeue_stale() == 0


def test_unreachable_redis_does_not_fail_the_caller(django_capture_on_commit_callbacks, mailoutbox, caplog):
    """A real publish to a closed port: kombu's retry policy gives up quickly and we only log."""
    started = time.monotonic()
    with celery_broker("redis://127.0.0.1:1/0"), caplog.at_level(logging.WARNING, logger="config.queueing"):
        notification = committed(django_capture_on_commit_callbacks, queue_email)
    assert time.monotonic() - started < 10

    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.PENDING, 0)
    assert mailoutbox == []
    assert "left pending for beat's re-queue" in caplog.text


def test_due_retries_are_requeued_by_beat(django_capture_on_commit_callbacks, mailoutbox, monkeypatch, time_machine):
    time_machine.move_to(T0, tick=False)
    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", lambda self, messages: (_ for _ in ()).throw(
            smtplib.SMTPServerDisconnected("gone")))
        notification = committed(django_capture_on_commit_callbacks, queue_email)
    assert notifications_requeue_stale() == 0  # retry not due yet

    time_machine.move_to(T0 + timedelta(seconds=30), tick=False)
    assert notifications_requeue_stale() == 1
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.SENT, 2)
    assert len(mailoutbox) == 1


# --- never twice --------------------------------------------------------------------------

def test_a_row_is_never_sent_twice(django_capture_on_commit_callbacks, mailoutbox):
    notification = committed(django_capture_on_commit_callbacks, queue_email)
    assert len(mailoutbox) == 1

    assert services.notification_send(notification_id=notification.pk) is False
    assert services.notification_attempt(notification_id=notification.pk) is AttemptOutcome.SKIPPED
    notification_send_task.delay(notification.pk)
    assert notifications_requeue_stale() == 0

    assert len(mailoutbox) == 1
    assert NotificationAttempt.objects.filter(notification=notification).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped(mailoutbox, monkeypatch):
    monkeypatch.setattr(notification_send_task, "apply_async", lambda *a, **kw: None)  # queue only
    notification = queue_email()
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=notification.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert services.notification_attempt(notification_id=notification.pk) is AttemptOutcome.SKIPPED
    finally:
        release.set()
        thread.join(10)
    assert mailoutbox == []
    assert services.notification_send(notification_id=notification.pk) is True
    assert len(mailoutbox) == 1


# --- retry now, selectors -----------------------------------------------------------------

def test_retry_now_gives_a_failed_row_a_fresh_round(
        django_capture_on_commit_callbacks, mailoutbox, smtp_down, settings, monkeypatch):
    settings.STADTMELDER = {**settings.STADTMELDER, "NOTIFICATION_MAX_ATTEMPTS": 1}
    notification = committed(django_capture_on_commit_callbacks, queue_email)
    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED

    monkeypatch.undo()  # the mail server is back
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notification_retry(notification_id=notification.pk) is not None

    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.SENT, 1)
    assert [a.ok for a in notification.attempt_log.all()] == [False, True]
    assert len(mailoutbox) == 1
    assert services.notification_retry(notification_id=notification.pk) is None  # sent rows stay sent


def test_notification_list_for_object(django_capture_on_commit_callbacks, django_assert_num_queries, mailoutbox):
    committed(django_capture_on_commit_callbacks, queue_email)
    committed(django_capture_on_commit_callbacks, queue_email, event="report.status.reporter",
              recipient="anna@example.org")
    committed(django_capture_on_commit_callbacks, queue_email, object_id="43")

    with django_assert_num_queries(2):
        rows = list(selectors.notification_list_for_object(object_id=42))
        assert [(n.event, len(n.attempt_log.all())) for n in rows] == [
            ("report.status.reporter", 1), ("report.created", 1)]
    assert [n.recipient for n in selectors.notification_list_for_object(object_id="42", event_prefix="report.status")
            ] == ["anna@example.org"]
