"""SLA escalation of cases: an open case past its due date is escalated once.

`cases_escalate_overdue` (Celery beat, hourly: `cases.tasks.cases_escalate_overdue_task`) works
for every service: it sets `escalated_at`, writes a `CaseEvent` of kind "escalation" and tells
the lead department (its lead's address, else its contact address) and the departments the
case type names in `escalation_departments` (e.g. the central triage team) through the
notification outbox, one email per recipient and run. The emails are sent after commit.

Rows are locked with SKIP LOCKED and only cases with `escalated_at` empty are taken, so two
parallel runs never escalate a case twice and a repeated run does nothing.
"""
from datetime import date

from django.db import transaction
from django.utils import timezone

from routing_rules.models import Department

from . import notify
from .models import Case, CaseEvent
from .selectors import closed_filter
from .types import case_type_list

__all__ = ["ESCALATION_BATCH", "cases_escalate_overdue"]

#: Cases escalated per run at most (the next run takes the rest).
ESCALATION_BATCH = 500


def _recipients(case: Case, extra: dict[str, Department]) -> list[str]:
    addresses = [case.department.lead_email or case.department.email]
    for department in extra.values():
        addresses.append(department.lead_email or department.email)
    return list(dict.fromkeys(a for a in addresses if a))


def cases_escalate_overdue(*, today: date | None = None) -> int:
    """Escalate the open cases due before `today` (default: today) not escalated yet; returns
    how many were escalated in this run."""
    today = today or timezone.localdate()
    now = timezone.now()
    services = [ct.slug for ct in case_type_list()]
    extra_slugs = {ct.slug: ct.escalation_departments for ct in case_type_list()}
    departments = {d.slug: d for d in Department.objects.filter(
        slug__in={slug for slugs in extra_slugs.values() for slug in slugs}, is_active=True)}
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(skip_locked=True, of=("self",)).select_related("department")
            .filter(service__in=services, due_date__lt=today, escalated_at__isnull=True)
            .exclude(closed_filter())
            .order_by("due_date", "pk")[:ESCALATION_BATCH]
        )
        digests: dict[str, list[Case]] = {}
        events = []
        for case in cases:
            extra = {slug: departments[slug] for slug in extra_slugs.get(case.service, ()) if slug in departments}
            recipients = _recipients(case, extra)
            for recipient in recipients:
                digests.setdefault(recipient, []).append(case)
            events.append(CaseEvent(case=case, kind=CaseEvent.Kind.ESCALATION, details={
                "due_date": case.due_date.isoformat(), "recipients": recipients}))
        Case.objects.filter(pk__in=[c.pk for c in cases]).update(escalated_at=now)
        CaseEvent.objects.bulk_create(events)
        for recipient, overdue in digests.items():
            notify.notify_cases_overdue(recipient=recipient, cases=overdue, today=today)
    return len(cases)
