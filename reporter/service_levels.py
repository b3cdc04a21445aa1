"""Service levels: due dates in working days, overdue reports and their escalation.

A category's target (`Category.sla_days`) is counted in working days: Monday to Friday
without the public holidays of the city's federal state (`STADTMELDER["HOLIDAY_STATE"]`,
an ISO 3166-2:DE subdivision code such as "TH" for Thuringia, from the `holidays` package).
The days counted are those *after* the day a report was filed: filed on Friday with a
target of 1 working day, it is due on Monday (on Tuesday if Monday is Easter Monday).
The same rule measures "resolved within target" in `reporter.statistics`.

Overdue means: still open (submitted, open, in progress) and `due_date` before today
(the site's time zone). `reports_escalate_overdue` (Celery beat, hourly) writes one digest
email per lead and run (all reports that became overdue for them) into the notification
outbox and sets `escalated_at`, so a report is escalated once.
"""
import functools
from datetime import date, datetime, timedelta

import holidays
from django.db import transaction
from django.utils import timezone

from . import notify
from .conf import stadtmelder_setting
from .history import history_entry, history_record_many, reports_update
from .models import Report

__all__ = [
    "holidays_in", "working_day_is", "working_days_add", "working_days_between", "due_date_for",
    "report_is_overdue", "reports_escalate_overdue",
]

_SATURDAY = 5  # date.weekday(): Monday = 0 … Sunday = 6


@functools.lru_cache(maxsize=64)
def _holidays_of_year(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year))


def holidays_in(*, start: date, end: date, state: str | None = None) -> list[date]:
    """Public holidays of the federal state in [start, end], sorted (weekend holidays included)."""
    state = state or stadtmelder_setting("HOLIDAY_STATE")
    days = set()
    for year in range(start.year, end.year + 1):
        days |= _holidays_of_year(state, year)
    return sorted(d for d in days if start <= d <= end)


def working_day_is(day: date, *, state: str | None = None) -> bool:
    """True for Monday to Friday unless the day is a public holiday in the federal state."""
    state = state or stadtmelder_setting("HOLIDAY_STATE")
    return day.weekday() < _SATURDAY and day not in _holidays_of_year(state, day.year)


def working_days_add(start: date, days: int, *, state: str | None = None) -> date:
    """The `days`-th working day after `start` (`start` itself for 0)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while days:
        current += timedelta(days=1)
        if working_day_is(current, state=state):
            days -= 1
    return current


def working_days_between(start: date, end: date, *, state: str | None = None) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += working_day_is(current, state=state)
    return count


def _local_date(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
    return moment


def due_date_for(*, category, filed_at: datetime | date) -> date:
    """The date a report of `category` filed at `filed_at` is due: `sla_days` working days later.

    `filed_at` is taken as a date in the site's time zone (settings.TIME_ZONE).
    """
    return working_days_add(_local_date(filed_at), category.sla_days)


def report_is_overdue(report: Report, *, today: date | None = None) -> bool:
    """Open and due before today."""
    today = today or timezone.localdate()
    return report.is_open and report.due_date is not None and report.due_date < today


# Reports escalated per run; the rest follow in the next (hourly) runs.
ESCALATION_BATCH = 500


def reports_escalate_overdue(*, today: date | None = None) -> int:
    """Tell the departments' leads about overdue, not yet escalated reports; returns how many.

    One transaction: rows are locked with SKIP LOCKED (a parallel run takes other rows or
    none), `escalated_at` is set and one digest email per recipient is queued in the outbox,
    so a report is never escalated twice and a lead gets one message per run. The recipient
    is the department's `lead_email`, or its contact email where no lead is set. A history
    entry (kind "escalation") per report records it.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        reports = list(
            Report.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("category", "department")
            .filter(status__in=Report.OPEN_STATUSES, due_date__lt=today, escalated_at__isnull=True)
            .order_by("due_date", "id")[:ESCALATION_BATCH]
        )
        digests: dict[str, list[tuple[Report, int]]] = {}
        for report in reports:
            recipient = report.department.lead_email or report.department.email
            digests.setdefault(recipient, []).append((report, working_days_between(report.due_date, today)))
        reports_update([r.pk for r in reports], escalated_at=now)
        history_record_many([
            history_entry(report, kind="escalation",
                          details={"recipient": recipient, "due_date": report.due_date.isoformat()})
            for recipient, items in digests.items() for report, _days in items])
        for recipient, items in digests.items():
            notify.notify_escalated_digest(recipient=recipient, overdue=items)
    return len(reports)
