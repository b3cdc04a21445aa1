"""SLA escalation: an open case past its due date is escalated once (event, `escalated_at`),
its lead department and the triage department are emailed through the outbox after commit;
closed or not yet due cases are left alone; a real Celery worker runs the beat task."""
import datetime
import time

import pytest
from django.utils import timezone

from cases.escalation import cases_escalate_overdue
from cases.models import Case, CaseEvent
from cases.services import case_status_change
from cases.tasks import cases_escalate_overdue_task
from config.celery import beat_schedule
from notifications.models import Notification
from services.anliegen.services import anliegen_file


def _overdue(org, *, key: str, topic: str = "ordnung", days: int = 3) -> Case:
    case, _created = anliegen_file(topic=topic, description="Seit Wochen laut, bitte kümmern.", submission_key=key,
                                   contact_email="kanarie@example.org")
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=days))
    case.refresh_from_db()
    return case


def test_the_beat_schedule_runs_the_task_hourly():
    entry = beat_schedule()["cases-escalate-overdue"]
    assert entry == {"task": "cases.tasks.cases_escalate_overdue_task", "schedule": datetime.timedelta(hours=1)}


@pytest.mark.django_db
def test_overdue_cases_are_escalated_once(org, django_capture_on_commit_callbacks, mailoutbox):
    late = _overdue(org, key="late")
    triaged = _overdue(org, key="triaged", topic="sonstiges")
    closed = _overdue(org, key="closed")
    case_status_change(case=closed, status="done", actor=org.otto)
    not_due, _created = anliegen_file(topic="ordnung", description="Noch nicht fällig, bitte prüfen.")
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_escalate_overdue_task() == 2
    assert set(Case.objects.filter(escalated_at__isnull=False).values_list("pk", flat=True)) == {late.pk, triaged.pk}
    event = late.events.get(kind="escalation")
    assert event.details == {"due_date": late.due_date.isoformat(),
                             "recipients": ["ordnung@stadt.example", "leitung-bs@stadt.example"]}
    assert triaged.events.get(kind="escalation").details["recipients"] == ["leitung-bs@stadt.example"]
    sent = sorted((m.to[0], m.subject) for m in mailoutbox)
    assert sent == [("leitung-bs@stadt.example", "Frist überschritten: 2 Vorgänge"),
                    ("ordnung@stadt.example", f"Frist überschritten: Vorgang {late.reference}")]
    body = next(m.body for m in mailoutbox if m.to == ["ordnung@stadt.example"])
    assert late.reference in body and f"/sachbearbeitung/vorgaenge/{late.pk}/" in body
    assert "kanarie" not in body and "laut" not in body  # no citizen's data in the email
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_escalate_overdue() == 0  # idempotent
    assert CaseEvent.objects.filter(kind="escalation").count() == 2
    assert Notification.objects.filter(event="case.overdue").count() == 2
    assert not_due.events.filter(kind="escalation").count() == 0


@pytest.mark.django_db
def test_escalation_is_shown_on_the_work_screen(client, org):
    late = _overdue(org, key="late")
    cases_escalate_overdue()
    client.force_login(org.otto)
    html = client.get(f"/sachbearbeitung/vorgaenge/{late.pk}/").content.decode()
    assert "Frist überschritten, eskaliert am" in html


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_escalates_and_delivers(org, celery_worker, smtp_server):
    late = _overdue(org, key="late-worker")
    cases_escalate_overdue_task.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Notification.objects.filter(event="case.overdue", state="sent").count() < 2:
        time.sleep(0.2)
    assert Notification.objects.filter(event="case.overdue", state="sent").count() == 2, celery_worker.log()
    late.refresh_from_db()
    assert late.escalated_at is not None
    received = sorted(m.rcpt_tos[0] for m in smtp_server.messages)
    assert received == ["leitung-bs@stadt.example", "ordnung@stadt.example"]
