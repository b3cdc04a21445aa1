"""The nightly prune (mobile_api.tasks.mobile_api_prune_task): idempotency keys after
IDEMPOTENCY_TTL_HOURS, delta-sync log rows that no answerable `since` needs after
SYNC_LOG_RETENTION_DAYS — and nothing else."""
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import beat_schedule
from mobile_api.models import CrewMemberInterval, IdempotencyKey, TaskChange, TaskListInterval
from mobile_api.tasks import mobile_api_prune_task

from .conftest import task_make

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_the_prune_nightly():
    entry = beat_schedule()["mobile-api-prune"]
    assert entry["task"] == "mobile_api.tasks.mobile_api_prune_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({4}, {10})


def test_old_idempotency_keys_and_sync_log_rows_are_deleted(world, settings):
    settings.MOBILE_API = {**settings.MOBILE_API, "IDEMPOTENCY_TTL_HOURS": 48, "SYNC_LOG_RETENTION_DAYS": 30}
    now = timezone.now()
    keys = {name: IdempotencyKey.objects.create(user=world.worker_a, key=name, request_hash="h", status_code=200,
                                                response_body={})
            for name in ("old-key-1", "fresh-key-1")}
    IdempotencyKey.objects.filter(pk=keys["old-key-1"].pk).update(created_at=now - timedelta(hours=49))
    IdempotencyKey.objects.filter(pk=keys["fresh-key-1"].pk).update(created_at=now - timedelta(hours=47))

    task_make(crew=world.crew_a, category=world.cat_a)  # its open interval (written by the trigger) stays
    open_ids = set(TaskListInterval.objects.values_list("id", flat=True))
    old_interval = TaskListInterval.objects.create(crew_id=1, report_id=2, entered_at=now - timedelta(days=90),
                                                   left_at=now - timedelta(days=31))
    recent_interval = TaskListInterval.objects.create(crew_id=1, report_id=3, entered_at=now - timedelta(days=90),
                                                      left_at=now - timedelta(days=29))
    old_open = TaskListInterval.objects.create(crew_id=1, report_id=4, entered_at=now - timedelta(days=90))
    old_member = CrewMemberInterval.objects.create(crew_id=1, user_id=2, joined_at=now - timedelta(days=90),
                                                   left_at=now - timedelta(days=31))
    members_kept = set(CrewMemberInterval.objects.exclude(pk=old_member.pk).values_list("id", flat=True))
    TaskChange.objects.create(report_id=900, changed_at=now - timedelta(days=31))
    TaskChange.objects.create(report_id=901, changed_at=now - timedelta(days=29))
    changes_kept = set(TaskChange.objects.exclude(report_id=900).values_list("report_id", flat=True))

    assert mobile_api_prune_task() == {"idempotency_keys": 1, "task_list_intervals": 1, "crew_member_intervals": 1,
                                       "task_changes": 1}

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh-key-1"]
    assert set(TaskListInterval.objects.values_list("id", flat=True)) == open_ids | {recent_interval.pk, old_open.pk}
    assert not TaskListInterval.objects.filter(pk=old_interval.pk).exists()
    assert set(CrewMemberInterval.objects.values_list("id", flat=True)) == members_kept
    assert set(TaskChange.objects.values_list("report_id", flat=True)) == changes_kept
    assert changes_kept == {901}
    # A second run finds nothing more.
    assert mobile_api_prune_task() == {"idempotency_keys": 0, "task_list_intervals": 0, "crew_member_intervals": 0,
                                       "task_changes": 0}


def test_a_delta_sync_inside_the_window_is_exact_after_pruning(world, client_a, settings):
    """Pruning removes only what a `since` the API still accepts cannot need."""
    from mobile_api.serializers import rfc3339
    from reporter.models import Report

    settings.MOBILE_API = {**settings.MOBILE_API, "SYNC_LOG_RETENTION_DAYS": 30}
    gone = task_make(crew=world.crew_a, category=world.cat_a)
    stays = task_make(crew=world.crew_a, category=world.cat_a)
    since = rfc3339(timezone.now() - timedelta(seconds=1))
    Report.objects.filter(pk=gone.pk).update(status="resolved")
    mobile_api_prune_task()
    body = client_a.get("/api/mobile/v1/tasks", {"since": since}).json()
    assert (sorted(t["id"] for t in body["results"]), body["removed"]) == ([stays.pk], [gone.pk])
