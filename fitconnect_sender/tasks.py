"""Celery tasks of the FIT-Connect sender: send one submission (retried with exponential
backoff), the beat job that reads the event logs of submitted cases and re-queues sends
whose task was lost, and the one that fetches replies (also queued by the `new-replies`
callback).

The number of attempts is counted on the row (`FitConnectSubmission.attempts`), not in the
task message, so a worker restart or a re-queue by beat does not reset the backoff; after
`MAX_ATTEMPTS` the submission is given up (internal note, the back office works the case).
"""
import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from config.queueing import task_enqueue

from . import replies, selectors, services
from .client import ClientError
from .conf import fitconnect_setting
from .models import FitConnectSubmission

__all__ = ["submission_send_task", "events_poll_task", "replies_poll_task", "retry_countdown"]

logger = logging.getLogger(__name__)


def retry_countdown(attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failed ones: RETRY_BACKOFF doubled per
    attempt, at most RETRY_BACKOFF_MAX."""
    base, cap = float(fitconnect_setting("RETRY_BACKOFF")), float(fitconnect_setting("RETRY_BACKOFF_MAX"))
    return min(base * 2 ** max(attempts - 1, 0), cap)


@shared_task(bind=True, name="fitconnect_sender.tasks.submission_send_task", max_retries=None, acks_late=True,
             ignore_result=True)
def submission_send_task(self, pk: int) -> str:
    """Send submission `pk` from its stored step; a transient error retries with backoff."""
    try:
        return services.submission_send(pk=pk)
    except ClientError as exc:
        attempts = FitConnectSubmission.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 0
        if attempts >= int(fitconnect_setting("MAX_ATTEMPTS")):
            services.submission_give_up(pk=pk, reason=f"{attempts} Versuche ohne Erfolg, zuletzt: {exc}")
            return "failed"
        countdown = retry_countdown(attempts)
        services.submission_schedule(pk=pk, at=timezone.now() + timedelta(seconds=countdown))
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="fitconnect_sender.tasks.events_poll_task", ignore_result=True)
def events_poll_task(submission_ids=None, case_ids=None) -> int:
    """Apply new events of submitted cases (all, or those a callback named) and re-queue sends
    whose task was lost; returns how many events changed a case."""
    if not services.sending_configured():
        return 0
    changed = 0
    for submission in selectors.submissions_waiting(submission_ids=submission_ids, case_ids=case_ids):
        try:
            changed += services.events_apply(pk=submission.pk)
        except ClientError as exc:  # the next poll tries again
            logger.warning("FIT-Connect event log of submission %s not read: %s", submission.pk, exc)
    if submission_ids is None and case_ids is None:
        for submission in selectors.submissions_stalled():
            task_enqueue(submission_send_task, submission.pk)
    return changed


@shared_task(name="fitconnect_sender.tasks.replies_poll_task", ignore_result=True)
def replies_poll_task() -> int:
    """Apply the replies waiting for us (`replies.replies_fetch`); returns how many became a
    message. A network error leaves them for the next poll."""
    if not services.sending_configured():
        return 0
    try:
        return replies.replies_fetch()
    except ClientError as exc:
        logger.warning("FIT-Connect replies not read: %s", exc)
        return 0
