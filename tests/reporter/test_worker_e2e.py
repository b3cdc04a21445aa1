"""A report filed through the API is delivered end to end by a real Celery worker:
request commit → Redis → `celery worker` → the city's mail server (aiosmtpd), and its photo is
turned into public derivatives by the same worker."""
import time

import pytest
from rest_framework.test import APIClient

from notifications.models import Notification
from reporter.models import Report, ReportPhoto
from tests.factories import city_build
from tests.reporter.images import jpeg_bytes, upload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until(predicate, *, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def test_report_created_via_api_is_delivered_by_worker(celery_worker, smtp_server, mailoutbox):
    city_build()
    response = APIClient().post(
        "/api/v1/reports/",
        {"category": "schlagloch", "lon": 12.05, "lat": 50.875, "email": "erika@example.org",
         "description": "Tiefes Loch", "photos": [upload(jpeg_bytes(size=(64, 48)))]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get()

    assert wait_until(lambda: Notification.objects.filter(state="sent").count() == 2), (
        list(Notification.objects.values_list("event", "state", "last_error")), celery_worker.log())
    assert mailoutbox == []  # delivered by the worker, not in this process
    received = sorted((m.rcpt_tos[0], m.message["Subject"]) for m in smtp_server.messages)
    assert received == [
        ("erika@example.org", f"Ihre Meldung #{report.pk} ist eingegangen"),
        ("tiefbau@stadt.example", f"[Stadtmelder] Neue Meldung: #{report.pk} Schlagloch"),
    ]

    assert wait_until(lambda: ReportPhoto.objects.get().processing == "done"), celery_worker.log()
    photo = ReportPhoto.objects.get()
    assert photo.image.name.startswith(f"reports/{report.pk}/") and photo.thumbnail.name
