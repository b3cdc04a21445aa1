"""Retention: form contents and documents of a deregistration are deleted RETENTION_DAYS after
completion by the Celery task (beat entry "abmeldung-retention"); the case, its history and
other services' cases stay; open cases and recent ones are kept; a second run changes nothing.
One test runs the task on a real Celery worker."""
import time
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.services import case_create, case_message_add, case_status_change
from config.celery import beat_schedule
from services.abmeldung.retention import RETENTION_MARKER, abmeldung_retention_apply
from services.abmeldung.tasks import abmeldung_retention_task

from .conftest import PDF, upload

DATA = {"move_date": "2026-01-01", "person": {"given_name": "Erika"}, "new_address": {"city": "Wien"}}


def _case(office, key: str, *, closed_days_ago: int | None, service: str = "abmeldung") -> Case:
    case, _created = case_create(service=service, department=office.buergeramt, title="Abmeldung ins Ausland",
                                 data=dict(DATA), submission_key=key, attachments=[upload("pass.pdf", PDF)])
    if closed_days_ago is not None:
        status = "confirmed" if service == "abmeldung" else "issued"
        case_status_change(case=case, status=status, actor=office.mia)
        case_message_add(case=case, body="Ihre Abmeldebestätigung", direction="to_citizen", author=office.mia,
                         attachments=[upload("bestaetigung.pdf", PDF)])
        Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=closed_days_ago))
    return case


def test_the_beat_schedule_runs_the_task_nightly():
    entry = beat_schedule()["abmeldung-retention"]
    assert entry["task"] == "services.abmeldung.tasks.abmeldung_retention_task"
    assert abmeldung_retention_task.name == entry["task"]


@pytest.mark.django_db(transaction=True)
def test_contents_and_documents_go_the_case_and_its_history_stay(office):
    old = _case(office, "old", closed_days_ago=31)
    recent = _case(office, "recent", closed_days_ago=29)
    still_open = _case(office, "open", closed_days_ago=None)
    other_service = _case(office, "mb", closed_days_ago=60, service="meldebescheinigung")
    files = [a.file.name for a in old.attachments.all()]
    assert len(files) == 2 and all(storages["private"].exists(name) for name in files)
    events_before = old.events.count()

    assert abmeldung_retention_task.delay().get() == 1  # eager in tests: the task's own code path
    old.refresh_from_db()
    assert list(old.data) == [RETENTION_MARKER] and old.description == ""
    assert old.attachments.count() == 0 and not any(storages["private"].exists(name) for name in files)
    assert (old.status, old.reference[:3], old.closed_at is not None) == ("confirmed", "AB-", True)
    assert old.events.count() == events_before + 1
    note = old.events.last()
    assert (note.kind, note.note_internal, note.details) == (
        CaseEvent.Kind.NOTE, "Formularinhalte und Dokumente nach Ablauf der Aufbewahrungsfrist gelöscht.",
        {"retention": {"files": 2}})
    assert old.messages.get().body == "Ihre Abmeldebestätigung"  # the history keeps the message
    for kept in (recent, still_open, other_service):
        kept.refresh_from_db()
        assert kept.data == DATA and kept.attachments.count() >= 1
    assert abmeldung_retention_apply() == 0  # idempotent


@pytest.mark.django_db(transaction=True)
def test_the_retention_period_is_a_setting(office, settings):
    settings.ABMELDUNG = {"RETENTION_DAYS": 10}
    case = _case(office, "ten", closed_days_ago=11)
    assert abmeldung_retention_apply() == 1
    case.refresh_from_db()
    assert RETENTION_MARKER in case.data


@pytest.mark.django_db(transaction=True)
def test_the_task_on_a_real_worker(office, celery_worker):
    case = _case(office, "worker", closed_days_ago=40)
    files = [a.file.name for a in case.attachments.all()]
    abmeldung_retention_task.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and RETENTION_MARKER not in Case.objects.get(pk=case.pk).data:
        time.sleep(0.2)
    case.refresh_from_db()
    assert RETENTION_MARKER in case.data, celery_worker.log()
    assert case.attachments.count() == 0 and not any(storages["private"].exists(name) for name in files)
