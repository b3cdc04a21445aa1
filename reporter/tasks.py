"""Celery tasks of the report lifecycle.

Photo processing: `photo_process_task` is queued on commit by `services.report_create`;
`photos_process_pending` (beat, every minute) re-queues photos whose task was lost,
e.g. because the broker was down when the report was filed.
Service levels: `reports_escalate_overdue_task` (beat, hourly) escalates overdue reports.
"""
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from config.queueing import task_enqueue

from .models import ReportPhoto
from .photos import photo_process

# A photo still pending this long after upload has lost its task (processing takes seconds).
PHOTO_PENDING_GRACE = timedelta(minutes=2)
# Photos re-queued per beat run, oldest first; the rest follow in the next runs.
PHOTO_PENDING_BATCH = 200


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=300, retry_jitter=True, max_retries=5)
def photo_process_task(photo_id: int) -> None:
    """Make the public derivatives of one photo (see `photos.photo_process`).

    Storage errors (`OSError`) are retried with exponential backoff (about 1, 2, 4, 8, 16 s),
    five times at most; undecodable originals are marked failed and not retried.
    """
    photo = ReportPhoto.objects.filter(pk=photo_id).first()
    if photo is None:  # deleted with its report before a worker got to it
        return
    photo_process(photo=photo)


@shared_task
def photos_process_pending() -> int:
    """Re-queue photos pending for more than `PHOTO_PENDING_GRACE`; returns how many were queued."""
    cutoff = timezone.now() - PHOTO_PENDING_GRACE
    photo_ids = list(
        ReportPhoto.objects.filter(processing=ReportPhoto.Processing.PENDING, created_at__lt=cutoff)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:PHOTO_PENDING_BATCH]
    )
    published = 0
    for photo_id in photo_ids:
        if not task_enqueue(photo_process_task, photo_id):
            break  # the broker is (still) down: the next run tries again
        published += 1
    return published


@shared_task
def reports_escalate_overdue_task() -> int:
    """Escalate overdue reports to their department's lead (beat, hourly; see service_levels)."""
    from .service_levels import reports_escalate_overdue

    return reports_escalate_overdue()
