"""End to end through the real infrastructure: commit → Redis → `celery worker` → SMTP server.

The test process publishes to Redis (db 14, not eager); a worker subprocess on the pytest test
database takes the task and delivers to an aiosmtpd server started here.
"""
import time

import pytest
import redis
from django.db import transaction

from notifications.models import Notification, NotificationAttempt
from notifications.services import notification_queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

POLL_TIMEOUT = 30.0


def wait_for_state(notification_id: int, state: str, *, timeout: float = POLL_TIMEOUT) -> Notification:
    deadline = time.monotonic() + timeout
    while True:
        notification = Notification.objects.get(pk=notification_id)
        if notification.state == state or time.monotonic() > deadline:
            return notification
        time.sleep(0.2)


def test_worker_sends_email_through_redis_and_smtp(celery_worker, smtp_server, mailoutbox, monkeypatch):
    published = []
    from notifications.tasks import notification_send_task

    original_apply_async = notification_send_task.apply_async

    def spy(*args, **kwargs):
        result = original_apply_async(*args, **kwargs)
        published.append(result.id)
        return result

    monkeypatch.setattr(notification_send_task, "apply_async", spy)

    with transaction.atomic():
        notification = notification_queue(
            channel=Notification.Channel.EMAIL, recipient="tiefbau@stadt.example", event="report.created",
            object_id="42", subject="[Stadtmelder] Neue Meldung: #42 Schlagloch", body="Neue Meldung")
        assert published == []  # not before the commit
    assert len(published) == 1

    notification = wait_for_state(notification.pk, Notification.State.SENT)
    assert notification.state == Notification.State.SENT, (
        f"state {notification.state}, last error {notification.last_error!r}")

    # The worker delivered it, not this process: the task went through Redis.
    assert mailoutbox == []
    assert f"Task notifications.tasks.notification_send_task[{published[0]}] received" in celery_worker.log()
    assert redis.Redis.from_url(celery_worker.broker_url).llen("celery") == 0

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == ["tiefbau@stadt.example"]
    assert received.mail_from == "stadtmelder@example.invalid"
    assert received.message["Subject"] == "[Stadtmelder] Neue Meldung: #42 Schlagloch"
    assert received.message["To"] == "tiefbau@stadt.example"
    assert received.message.get_payload(decode=True).decode().strip() == "Neue Meldung"

    assert list(NotificationAttempt.objects.filter(notification=notification).values_list("ok", flat=True)) == [True]
    assert notification.attempts == 1
