"""Recovery times of the task queue: a task of a killed worker is redelivered after 10
minutes, not Redis's default hour; a photo whose task was lost is re-queued within minutes."""
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.celery import PERIODIC_TASKS_HOOK, app, beat_schedule
from portal import hooks
from reporter import tasks


def test_visibility_timeout_is_ten_minutes_with_late_acks():
    assert app.conf.broker_transport_options == {"visibility_timeout": 600}
    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True


def test_lost_photos_are_found_within_three_minutes():
    entry = beat_schedule()["photos-process-pending"]
    assert entry["task"] == "reporter.tasks.photos_process_pending"
    assert entry["schedule"] + tasks.PHOTO_PENDING_GRACE <= timedelta(minutes=3)


def test_the_apps_bring_their_periodic_tasks_and_the_app_installs_them():
    """Every entry names a task that exists; the finalized Celery app carries the merged schedule."""
    app.loader.import_default_modules()  # what a worker and beat do first: the apps' tasks.py
    app.finalize()
    schedule = beat_schedule()
    assert {"photos-process-pending", "cases-escalate-overdue", "abmeldung-retention",
            "payments-expire", "fitconnect-events-poll"} <= set(schedule)
    assert sorted(app.conf.beat_schedule) == sorted(schedule)
    unknown = [entry["task"] for entry in schedule.values() if entry["task"] not in app.tasks]
    assert unknown == []


def test_a_plugged_in_service_adds_its_periodic_task_and_a_name_twice_is_refused():
    entry = {"task": "reporter.tasks.photos_process_pending", "schedule": timedelta(days=1)}
    with hooks.register_temporarily(PERIODIC_TASKS_HOOK, lambda: {"probe-nightly": entry}):
        assert beat_schedule()["probe-nightly"] == entry
    assert "probe-nightly" not in beat_schedule()
    with hooks.register_temporarily(PERIODIC_TASKS_HOOK, lambda: {"photos-process-pending": entry}):
        with pytest.raises(ImproperlyConfigured, match="'photos-process-pending' is registered twice"):
            beat_schedule()
