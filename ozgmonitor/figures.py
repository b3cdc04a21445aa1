"""Key figures of the monitor, aggregated in PostgreSQL from the cases of every service
(`cases_case`) and the Mängelmelder's reports (`reporter_report`, the service
`maengelmelder`): counts and medians only, never a row, a name or a form's content.

- Online applications per month: cases filed through the web (channel "web"), reports filed
  through the web or the app, per service and calendar month in the site's time zone.
- Median processing time per service: `closed_at − created_at` of closed cases and reports,
  PostgreSQL's `percentile_cont(0.5)` (for an even number the mean of the two middle
  durations). Duplicates are left out (cases merged into another, reports closed as
  duplicate), as are reports hidden by moderation (as on every public page).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.selectors import service_titles

from .selectors import month_add

__all__ = ["MonthlyApplications", "ProcessingTime", "online_applications_per_month",
           "processing_time_median_per_service", "REPORTS_SERVICE"]

#: The catalogue slug under which the Mängelmelder's reports count.
REPORTS_SERVICE = "maengelmelder"

_FILED = f"""
SELECT c.service, c.created_at, c.closed_at, c.channel IN ('web') AS online, c.merged_into_id IS NULL AS counted
FROM cases_case c
UNION ALL
SELECT '{REPORTS_SERVICE}', r.created_at, r.closed_at, r.channel IN ('web', 'app'),
       r.status <> 'duplicate'
FROM reporter_report r WHERE r.moderation <> 'hidden'
"""


@dataclass(frozen=True)
class MonthlyApplications:
    service: str
    title: str
    counts: tuple[int, ...]  # one per month, oldest first

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ProcessingTime:
    service: str
    title: str
    closed: int
    median: timedelta

    @property
    def median_days(self) -> float:
        return self.median.total_seconds() / 86400


def _title(slug: str, titles: dict) -> str:
    return str(titles.get(slug, slug))


def online_applications_per_month(*, months: int = 12, today: date | None = None
                                  ) -> tuple[list[date], list[MonthlyApplications]]:
    """Online applications per service in each of the last `months` calendar months (the
    current one included). Returns (the months' first days, oldest first; one row per service
    with at least one application in the period, by title)."""
    today = today or timezone.localdate()
    last = today.replace(day=1)
    first = month_add(last, -(months - 1))
    sql = f"""
    SELECT f.service, date_trunc('month', f.created_at AT TIME ZONE %(tz)s)::date AS month, count(*)
    FROM ({_FILED}) f
    WHERE f.online AND f.created_at AT TIME ZONE %(tz)s >= %(first)s
      AND f.created_at AT TIME ZONE %(tz)s < %(end)s
    GROUP BY 1, 2
    """
    month_list = [month_add(first, i) for i in range(months)]
    position = {month: i for i, month in enumerate(month_list)}
    counts: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tz": settings.TIME_ZONE, "first": first, "end": month_add(last, 1)})
        for service, month, n in cursor.fetchall():
            counts.setdefault(service, [0] * months)[position[month]] = n
    titles = service_titles()
    rows = [MonthlyApplications(slug, _title(slug, titles), tuple(values)) for slug, values in counts.items()]
    return month_list, sorted(rows, key=lambda row: row.title.casefold())


def processing_time_median_per_service() -> list[ProcessingTime]:
    """Median time from filing to closing per service over every closed case or report
    (duplicates left out), by title."""
    sql = f"""
    SELECT f.service, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY f.closed_at - f.created_at)
    FROM ({_FILED}) f
    WHERE f.counted AND f.closed_at IS NOT NULL
    GROUP BY f.service
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    titles = service_titles()
    result = [ProcessingTime(slug, _title(slug, titles), n, median) for slug, n, median in rows]
    return sorted(result, key=lambda row: row.title.casefold())
