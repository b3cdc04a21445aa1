"""Reads of `fitconnect_sender`: the destination of a department's service, submissions to work on."""
from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import FitConnectDestination, FitConnectSubmission

__all__ = ["destination_for", "submissions_waiting", "submissions_stalled"]


def destination_for(*, department, service: str) -> FitConnectDestination | None:
    """The active destination of `department` for `service`, or None (one indexed query)."""
    return (FitConnectDestination.objects.filter(department=department, service=service, is_active=True)
            .only("pk", "destination_id").first())


def submissions_waiting(*, submission_ids=None, case_ids=None) -> QuerySet[FitConnectSubmission]:
    """Submitted submissions still waiting for the specialist system's answer, optionally only
    those named (by FIT-Connect submission or case id, as a callback names them)."""
    queryset = FitConnectSubmission.objects.filter(state__in=FitConnectSubmission.WAITING)
    if submission_ids is not None or case_ids is not None:
        queryset = queryset.filter(Q(submission_id__in=list(submission_ids or []))
                                   | Q(remote_case_id__in=list(case_ids or [])))
    return queryset.select_related("case").order_by("pk")


def submissions_stalled(*, older_than: timedelta = timedelta(minutes=10)) -> QuerySet[FitConnectSubmission]:
    """Submissions still to be sent whose task is overdue (the broker lost it, or it was never
    queued because the broker was down): beat queues them again."""
    cutoff = timezone.now() - older_than
    return (FitConnectSubmission.objects.filter(state__in=FitConnectSubmission.SENDING)
            .filter(Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, updated_at__lt=cutoff))
            .order_by("pk"))
