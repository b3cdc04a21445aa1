"""Beat's re-queue: a send whose task was lost (broker down at filing, a worker's queue wiped)
is queued again by `events_poll_task` once overdue, and then sent; one not yet overdue is
left alone. Tasks run eagerly here (the test process is the worker)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.services import case_create
from fitconnect_sender.models import FitConnectSubmission
from fitconnect_sender.tasks import events_poll_task

pytestmark = pytest.mark.django_db


def _file_without_queueing(registry_office, capture):
    with capture(execute=False):  # the on-commit publish never happens: the task is "lost"
        case, _created = case_create(service="anliegen", department=registry_office, data={"a": "b"})
    return FitConnectSubmission.objects.get(case=case)


def test_a_stalled_send_is_requeued_by_beat_and_sent(
        fitconnect_settings, registry_office, django_capture_on_commit_callbacks):
    stalled = _file_without_queueing(registry_office, django_capture_on_commit_callbacks)
    fresh = _file_without_queueing(registry_office, django_capture_on_commit_callbacks)
    assert (stalled.state, fresh.state) == ("pending", "pending")
    FitConnectSubmission.objects.filter(pk=stalled.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=11))

    events_poll_task()

    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert stalled.state == "submitted"
    assert stalled.submission_id is not None and stalled.attempts == 1
    assert [a.step for a in stalled.attempt_log.all()] == ["create", "submit"]
    assert (fresh.state, fresh.attempts) == ("pending", 0)  # due only 10 minutes after its last step
