"""The outbox admin: list with filters, attempt log inline, no secret shown, "retry now"."""
import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_webhook(django_capture_on_commit_callbacks, settings, monkeypatch):
    settings.STADTMELDER = {**settings.STADTMELDER, "NOTIFICATION_MAX_ATTEMPTS": 1}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification = notification_queue(
            channel=Notification.Channel.WEBHOOK, recipient="http://127.0.0.1:1/hook", event="report.created",
            object_id="42", payload={"report": {"id": 42}}, signing_secret="whsec-not-for-eyes")
    notification.refresh_from_db()
    assert notification.state == Notification.State.FAILED
    return notification


def test_changelist_filters_and_change_page_hide_the_secret(admin_client, failed_webhook):
    response = admin_client.get(reverse("admin:notifications_notification_changelist"), {"state": "failed"})
    assert response.status_code == 200
    assert "http://127.0.0.1:1/hook" in response.content.decode()

    response = admin_client.get(reverse("admin:notifications_notification_change", args=[failed_webhook.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "HTTP: ConnectionError: " in html  # the attempt log inline
    assert "whsec-not-for-eyes" not in html

    assert admin_client.get(reverse("admin:notifications_notification_add")).status_code == 403


def test_retry_now_action(admin_client, django_capture_on_commit_callbacks, mailoutbox, monkeypatch, settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "NOTIFICATION_MAX_ATTEMPTS": 1}
    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", lambda self, messages: (_ for _ in ()).throw(
            smtplib.SMTPServerDisconnected("gone")))
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notification = notification_queue(channel=Notification.Channel.EMAIL, recipient="tiefbau@stadt.example",
                                              event="report.created", subject="Neue Meldung", body="…")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:notifications_notification_changelist"), {
            "action": "retry_now", "_selected_action": [notification.pk]}, follow=True)
    assert response.status_code == 200
    assert "1 Benachrichtigung wird erneut gesendet." in response.content.decode()

    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert [m.subject for m in mailoutbox] == ["Neue Meldung"]
