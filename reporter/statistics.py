"""Reads for the public statistics page: every number is aggregated in PostgreSQL.

All figures count public reports only (moderation "hidden" is left out, as on the map).
Days and weeks are calendar days and ISO weeks (Monday to Sunday) in the site's time zone
(settings.TIME_ZONE), so a report filed at 00:30 on a Monday belongs to that Monday's week.
"today" is passed in by the caller rather than taken from the database clock, so tests can
freeze time. The statements run on `config.db_router.read_connection` (the read replica in a
GET that may use it), like the ORM's reads.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from config.db_router import read_connection

from .models import Report
from .service_levels import holidays_in

__all__ = [
    "WeeklyCategoryCounts", "DepartmentResolveTime", "CategoryTargetShare", "HeatPoint",
    "reports_per_category_per_week", "resolve_time_median_per_department",
    "resolved_within_target_per_category", "report_heat_points",
]


@dataclass(frozen=True)
class WeeklyCategoryCounts:
    category_slug: str
    category_name: str
    counts: tuple[int, ...]  # one per week, oldest first, same order as `weeks`

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def peak(self) -> int:
        return max(self.counts, default=0)


@dataclass(frozen=True)
class DepartmentResolveTime:
    department_name: str
    resolved: int  # resolved reports the median is taken over
    median: timedelta

    @property
    def median_days(self) -> float:
        return self.median.total_seconds() / 86400

    @property
    def median_whole_hours(self) -> int:
        return round(self.median.total_seconds() / 3600)


@dataclass(frozen=True)
class CategoryTargetShare:
    category_slug: str
    category_name: str
    target_days: int  # working days (Mon–Fri without public holidays)
    resolved: int
    within_target: int

    @property
    def share(self) -> float:
        """Share (0–1) of resolved reports that were resolved within the target time."""
        return self.within_target / self.resolved if self.resolved else 0.0


@dataclass(frozen=True)
class HeatPoint:
    lat: float  # WGS 84
    lon: float
    weight: float  # 0–1, relative to the busiest cell


def _tz() -> str:
    return timezone.get_current_timezone_name()


def _category_name_sql(language: str) -> str:
    # English names where a category has one; German otherwise (and for every other language).
    return "CASE WHEN c.name_en <> '' THEN c.name_en ELSE c.name END" if language[:2] == "en" else "c.name"


_WEEKLY_SQL = """
WITH weeks AS (
  SELECT generate_series(%(first_week)s::date, %(last_week)s::date, interval '7 days')::date AS week
), counts AS (
  SELECT r.category_id, date_trunc('week', r.created_at AT TIME ZONE %(tz)s)::date AS week, count(*) AS n
  FROM reporter_report r
  WHERE r.moderation <> 'hidden'
    AND r.created_at >= (%(first_week)s::date::timestamp AT TIME ZONE %(tz)s)
    AND r.created_at < ((%(last_week)s::date + 7)::timestamp AT TIME ZONE %(tz)s)
  GROUP BY 1, 2
)
SELECT c.slug, {name} AS name, array_agg(coalesce(counts.n, 0) ORDER BY w.week) AS counts
FROM routing_rules_category c
CROSS JOIN weeks w
LEFT JOIN counts ON counts.category_id = c.id AND counts.week = w.week
WHERE c.is_active OR c.id IN (SELECT category_id FROM counts)
GROUP BY c.id  -- the primary key: c.* are functionally dependent on it
ORDER BY c."order", name
"""


def reports_per_category_per_week(
    *, weeks: int = 12, today: date | None = None, language: str = "de"
) -> tuple[list[date], list[WeeklyCategoryCounts]]:
    """New reports per category in each of the last `weeks` ISO weeks, the current one included.

    Returns (the Mondays starting each week, oldest first; one row per active category and per
    inactive category with reports in the period, in display order). Weeks without reports
    count 0.
    """
    today = today or timezone.localdate()
    last_week = today - timedelta(days=today.weekday())
    first_week = last_week - timedelta(weeks=weeks - 1)
    sql = _WEEKLY_SQL.format(name=_category_name_sql(language))
    with read_connection(Report).cursor() as cursor:
        cursor.execute(sql, {"first_week": first_week, "last_week": last_week, "tz": _tz()})
        rows = [WeeklyCategoryCounts(slug, name, tuple(counts)) for slug, name, counts in cursor.fetchall()]
    return [first_week + timedelta(weeks=i) for i in range(weeks)], rows


_MEDIAN_SQL = """
SELECT d.name, count(*) AS resolved,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.closed_at - r.created_at) AS median
FROM reporter_report r
JOIN routing_rules_department d ON d.id = r.department_id
WHERE r.status = 'resolved' AND r.closed_at IS NOT NULL AND r.moderation <> 'hidden'
GROUP BY d.id, d.name
ORDER BY median, d.name
"""


def resolve_time_median_per_department() -> list[DepartmentResolveTime]:
    """Median time from filing to resolution (closed_at − created_at) per department, fastest first.

    Over all reports now in status "resolved"; reports closed otherwise (not fixable,
    duplicate, referred) are left out. The median is PostgreSQL's `percentile_cont(0.5)`:
    for an even number of reports it is the mean of the two middle durations.
    """
    with read_connection(Report).cursor() as cursor:
        cursor.execute(_MEDIAN_SQL)
        return [DepartmentResolveTime(name, n, median) for name, n, median in cursor.fetchall()]


# Weekdays (Mon–Fri) in [1900-01-01, d): 1900-01-01 was a Monday, so every full 7 days add
# 5 weekdays and the remainder (0–6 days, starting on a Monday) adds at most 5.
# ("%%" is the modulo operator, escaped for the DB-API's %-placeholders.)
_WEEKDAYS_BEFORE = "(5 * (({d} - DATE '1900-01-01') / 7) + LEAST(({d} - DATE '1900-01-01') %% 7, 5))"

_TARGET_SQL = """
WITH resolved AS (
  SELECT r.category_id,
         (r.created_at AT TIME ZONE %(tz)s)::date AS filed_on,
         (r.closed_at AT TIME ZONE %(tz)s)::date AS closed_on
  FROM reporter_report r
  WHERE r.status = 'resolved' AND r.closed_at IS NOT NULL AND r.moderation <> 'hidden'
), measured AS (
  SELECT category_id,
         {closed_before} - {filed_before}
         - (SELECT count(*) FROM unnest(%(holidays)s::date[]) AS h(day)
            WHERE h.day > filed_on AND h.day <= closed_on AND extract(isodow FROM h.day) < 6) AS working_days
  FROM resolved
)
SELECT c.slug, {name} AS name, c.sla_days, count(*) AS resolved,
       count(*) FILTER (WHERE m.working_days <= c.sla_days) AS within_target
FROM measured m
JOIN routing_rules_category c ON c.id = m.category_id
GROUP BY c.id
ORDER BY c."order", name
"""


_RESOLVED_SPAN_SQL = """
SELECT min((r.created_at AT TIME ZONE %(tz)s)::date), max((r.closed_at AT TIME ZONE %(tz)s)::date)
FROM reporter_report r
WHERE r.status = 'resolved' AND r.closed_at IS NOT NULL AND r.moderation <> 'hidden'
"""


def resolved_within_target_per_category(*, language: str = "de") -> list[CategoryTargetShare]:
    """Per category: resolved reports, and how many of them were resolved within its target time.

    The target (`Category.sla_days`) is counted in working days: Monday to Friday without
    the public holidays of STADTMELDER["HOLIDAY_STATE"] — the rule of the due dates
    (`reporter.service_levels`). The working days a report took are the working days after
    the day it was filed up to and including the day it was resolved: filed Friday, resolved
    Monday = 1 working day (0 if that Monday is Easter Monday); filed and resolved the same day
    = 0. A report is within target when that number is at most `sla_days`. Only reports now
    in status "resolved" count. The holidays are computed in Python for the years the resolved
    reports span and passed to the query as a date array.
    """
    sql = _TARGET_SQL.format(
        name=_category_name_sql(language),
        closed_before=_WEEKDAYS_BEFORE.format(d="(closed_on + 1)"),
        filed_before=_WEEKDAYS_BEFORE.format(d="(filed_on + 1)"),
    )
    with read_connection(Report).cursor() as cursor:
        cursor.execute(_RESOLVED_SPAN_SQL, {"tz": _tz()})
        first, last = cursor.fetchone()
        holidays = holidays_in(start=first, end=last) if first is not None else []
        cursor.execute(sql, {"tz": _tz(), "holidays": holidays})
        return [CategoryTargetShare(*row) for row in cursor.fetchall()]


# Heat-map cell edge in metres (ETRS89 / UTM 33N, EPSG:25833): fine enough for a city map,
# coarse enough that the embedded map stays small however many reports there are.
HEAT_CELL_M = 50
HEAT_MAX_POINTS = 5000

_HEAT_SQL = """
WITH cells AS (
  SELECT ST_SnapToGrid(ST_Transform(r.location, 25833), %(cell)s) AS node, count(*) AS n
  FROM reporter_report r
  WHERE r.moderation <> 'hidden'
  GROUP BY 1
)
SELECT ST_Y(ST_Transform(node, 4326)) AS lat, ST_X(ST_Transform(node, 4326)) AS lon,
       n::float / max(n) OVER () AS weight
FROM cells
ORDER BY n DESC, lat, lon
LIMIT %(limit)s
"""


def report_heat_points(*, cell_m: int = HEAT_CELL_M, limit: int = HEAT_MAX_POINTS) -> list[HeatPoint]:
    """Public reports counted per `cell_m` square (metric, EPSG:25833) as weighted heat-map points.

    Each point is the grid node of a cell (lat/lon, WGS 84) with its count relative to the
    busiest cell (0–1]; at most `limit` cells, the busiest first.
    """
    with read_connection(Report).cursor() as cursor:
        cursor.execute(_HEAT_SQL, {"cell": cell_m, "limit": limit})
        return [HeatPoint(round(lat, 6), round(lon, 6), round(weight, 4)) for lat, lon, weight in cursor.fetchall()]
