"""Recovery times of the task queue: a task of a killed worker is redelivered after 10
minutes, not Redis's default hour; a photo whose task was lost is re-queued within minutes."""
from datetime import timedelta

from django.conf import settings

from config.celery import app
from reporter import tasks


def test_visibility_timeout_is_ten_minutes_with_late_acks():
    assert app.conf.broker_transport_options == {"visibility_timeout": 600}
    assert app.conf.task_acks_late is True and app.conf.task_reject_on_worker_lost is True


def test_lost_photos_are_found_within_three_minutes():
    entry = settings.CELERY_BEAT_SCHEDULE["photos-process-pending"]
    assert entry["task"] == "reporter.tasks.photos_process_pending"
    assert entry["schedule"] + tasks.PHOTO_PENDING_GRACE <= timedelta(minutes=3)
