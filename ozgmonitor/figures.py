"""Key figures of the monitor, aggregated in PostgreSQL from the filings every service
declares with the hook ``register_filings_sql`` (`portal.hooks`; the cases of every case
type, the Mängelmelder's reports): counts and medians only, never a row, a name or a form's
content.

- Online applications per month: filings the service marks as online (cases through the web
  form, reports through the web or the app), per service and calendar month in the site's
  time zone.
- Median processing time per service: `closed_at − created_at` of closed filings,
  PostgreSQL's `percentile_cont(0.5)` (for an even number the mean of the two middle
  durations). Filings the service does not count (duplicates) are left out.

The statements run on `config.db_router.read_connection` (the read replica in a GET).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from config.db_router import read_connection
from portal import hooks
from portal.selectors import service_titles

from .models import OzgService
from .selectors import month_add

__all__ = ["MonthlyApplications", "ProcessingTime", "online_applications_per_month",
           "processing_time_median_per_service", "FILINGS_HOOK"]

FILINGS_HOOK = "register_filings_sql"


def _filed() -> str:
    """The UNION ALL of every service's filings (no service: an empty relation)."""
    parts = [f"({fn()})" for fn in hooks.get_hooks(FILINGS_HOOK)]
    return "\nUNION ALL\n".join(parts) or (
        "SELECT NULL::text AS service, NULL::timestamptz AS created_at, NULL::timestamptz AS closed_at, "
        "false AS online, false AS counted WHERE false")


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
    FROM ({_filed()}) f
    WHERE f.online AND f.created_at AT TIME ZONE %(tz)s >= %(first)s
      AND f.created_at AT TIME ZONE %(tz)s < %(end)s
    GROUP BY 1, 2
    """
    month_list = [month_add(first, i) for i in range(months)]
    position = {month: i for i, month in enumerate(month_list)}
    counts: dict[str, list[int]] = {}
    with read_connection(OzgService).cursor() as cursor:
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
    FROM ({_filed()}) f
    WHERE f.counted AND f.closed_at IS NOT NULL
    GROUP BY f.service
    """
    with read_connection(OzgService).cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    titles = service_titles()
    result = [ProcessingTime(slug, _title(slug, titles), n, median) for slug, n, median in rows]
    return sorted(result, key=lambda row: row.title.casefold())
