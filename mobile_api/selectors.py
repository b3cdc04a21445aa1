"""Reads of the field-crew API: a crew member's tasks, one task, and what changed since a sync.

Tasks are returned as JSON text built by PostgreSQL (`mobile_api.task_json`) in one statement
with the query of the page's (id, distance) rows, which holds the access rule (`_IN_LIST_SQL`).

A user's task list holds the reports that are open (`Report.OPEN_STATUSES`), assigned to one
of the user's active crews, and in that crew's department. The same rule is written for the
ORM (`_task_filter`, the accessor of the transition) and in the triggers of migration 0002,
which log every entry into and exit from a crew's list (`TaskListInterval`) and every crew
membership (`CrewMemberInterval`); the delta sync reads that log, so it is exact whoever
changed the report, the crew or the membership. Changes of a task that stays in the list
are found by the report's `updated_at` and by the task change log (`TaskChange`, migration
0005: history entries, photos, writes without `updated_at`). The logs are kept for
MOBILE_API["SYNC_LOG_RETENTION_DAYS"] (`services.sync_log_prune`); an older `since` cannot
be answered exactly (`sync_window_start`, 410 Gone).

Distances are metres on the WGS 84 spheroid (`ST_Distance` on geography). Ordering by it
sorts the user's few hundred tasks after the crew filter (index on crew and status); the
GiST index on `location::geography` (reporter migration 0003) serves the metric radius
filter `within_m`.

Raw SQL here reads the primary (`django.db.connection`), not `config.db_router.read_connection`:
sync tokens, the change log and task ETags must be fresh, or a sync would skip a change for good.
"""
from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from reporter.models import Crew, Report

from .conf import mobile_setting
from .task_json import ORDER_BY_DISTANCE, ORDER_BY_DUE_DATE, TaskJSON, task_json_rows

__all__ = [
    "task_list_for_user", "task_page_json", "task_get_for_user", "task_json_get_for_user", "task_json_after_write",
    "task_ids_removed_since", "sync_token_now", "sync_window_start", "crews_for_user",
]

_GEOG_POINT = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography"

# The columns the transition service needs; the reporter's name, email and phone are never loaded.
_TASK_FIELDS = ("id", "status", "version", "department_id", "crew_id", "category_id")

# Report r is in the user's task list: open, assigned to an active crew of its department that
# the user is a member of. The same rule as `_task_filter` (ORM) and the triggers of migration
# 0002 (tests/mobile_api/test_sync.py checks that the three agree).
_IN_LIST_SQL = """r.status = ANY(%s) AND EXISTS (
  SELECT 1 FROM reporter_crew c JOIN reporter_crew_members m ON m.crew_id = c.id AND m.user_id = %s
  WHERE c.id = r.crew_id AND c.is_active AND c.department_id = r.department_id)"""

# Tasks that entered the user's list at or after `since`: a task interval and a membership
# interval, both still open, whose overlap began then.
_ENTERED_SQL = """
SELECT ti.report_id FROM mobile_api_tasklistinterval ti
JOIN mobile_api_crewmemberinterval mi ON mi.crew_id = ti.crew_id AND mi.user_id = %s
WHERE ti.left_at IS NULL AND mi.left_at IS NULL AND GREATEST(ti.entered_at, mi.joined_at) >= %s
"""

# Tasks that were in the user's list at some moment at or after `since` (a task interval and a
# membership interval overlapping each other and [since, ∞)) and are not in it now.
_REMOVED_SQL = """
SELECT DISTINCT ti.report_id FROM mobile_api_tasklistinterval ti
JOIN mobile_api_crewmemberinterval mi ON mi.crew_id = ti.crew_id AND mi.user_id = %(user)s
WHERE (ti.left_at IS NULL OR ti.left_at >= %(since)s) AND (mi.left_at IS NULL OR mi.left_at >= %(since)s)
  AND GREATEST(ti.entered_at, mi.joined_at, %(since)s)
      <= LEAST(COALESCE(ti.left_at, 'infinity'), COALESCE(mi.left_at, 'infinity'))
  AND NOT EXISTS (
    SELECT 1 FROM reporter_report r
    JOIN reporter_crew c ON c.id = r.crew_id AND c.is_active AND c.department_id = r.department_id
    JOIN reporter_crew_members m ON m.crew_id = c.id AND m.user_id = %(user)s
    WHERE r.id = ti.report_id AND r.status = ANY(%(open)s)
  )
ORDER BY 1
"""

# Tasks with a change logged by the triggers of migration 0005 at or after `since`.
_CHANGED_SQL = "SELECT report_id FROM mobile_api_taskchange WHERE changed_at >= %s"

# Writes whose timestamps lie before this moment are committed: it is the start of the oldest
# transaction of another session that has written something (and is still running), or now.
_SYNC_NOW_SQL = """
SELECT LEAST(clock_timestamp(), (
  SELECT min(xact_start) FROM pg_stat_activity
  WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
))
"""


def crews_for_user(*, user) -> QuerySet:
    """The active crews the user is a member of, with their department."""
    return Crew.objects.filter(members=user, is_active=True).select_related("department").order_by("name", "id")


def _task_filter(qs: QuerySet, *, user) -> QuerySet:
    member = Crew.members.through.objects.filter(crew_id=OuterRef("crew_id"), user_id=user.pk)
    return qs.filter(status__in=Report.OPEN_STATUSES, crew__is_active=True,
                     crew__department_id=F("department_id")).filter(Exists(member))


def _tasks(*, user) -> QuerySet:
    return _task_filter(Report.objects.only(*_TASK_FIELDS), user=user)


def _ids_sql(
    *, user, near: Point | None = None, within_m: float | None = None, changed_since: datetime | None = None,
    pk: int | None = None,
) -> tuple[str, list, str]:
    """SQL of the (id, distance_m) rows of the user's tasks, its parameters and the order of
    its rows (for `task_json_rows`)."""
    select_params: list = []
    where, params = [_IN_LIST_SQL], [list(Report.OPEN_STATUSES), user.pk]
    if pk is not None:
        where.append("r.id = %s")
        params.append(pk)
    if changed_since is not None:
        where.append(f"(r.updated_at >= %s OR r.id IN ({_ENTERED_SQL}) OR r.id IN ({_CHANGED_SQL}))")
        params += [changed_since, user.pk, changed_since, changed_since]
    if near is None:
        distance, order, page_order = "NULL::float8", "r.due_date ASC NULLS LAST, r.id", ORDER_BY_DUE_DATE
    else:
        if near.srid != 4326:
            raise ValueError("the task list expects EPSG:4326")
        distance, order, page_order = f"ST_Distance(r.location::geography, {_GEOG_POINT})", "2, 1", ORDER_BY_DISTANCE
        select_params = [near.x, near.y]
        if within_m is not None:
            where.append(f"ST_DWithin(r.location::geography, {_GEOG_POINT}, %s)")
            params += [near.x, near.y, within_m]
    sql = (f"SELECT r.id, {distance} AS distance_m FROM reporter_report r WHERE {' AND '.join(where)} "
           f"ORDER BY {order}")
    return sql, [*select_params, *params], page_order


def task_list_for_user(
    *, user, near: Point | None = None, within_m: float | None = None, changed_since: datetime | None = None,
) -> list[tuple[int, float | None]]:
    """(id, distance_m) of all the user's tasks, nearest first when `near` (WGS 84 lon/lat) is
    given (`distance_m`, metres on the spheroid), else by due date (none last) and id;
    `distance_m` is None then.

    With `changed_since`, only tasks changed at or after it (`updated_at`, the task change
    log) or that entered the user's list at or after it. `task_page_json` renders a page.
    """
    sql, params, _order = _ids_sql(user=user, near=near, within_m=within_m, changed_since=changed_since)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def task_page_json(
    *, user, media_url: str, offset: int, limit: int, near: Point | None = None, within_m: float | None = None,
    changed_since: datetime | None = None,
) -> tuple[list[str], bool]:
    """A page of the user's tasks (see `task_list_for_user`) as JSON texts, and whether more follow.

    One statement: the page's ids and distances (the sort runs over these narrow rows, not
    over the joined task columns), then each task with its history and photos as JSON
    (`mobile_api.task_json`; `media_url` is the absolute base URL of public photos).
    """
    sql, params, order = _ids_sql(user=user, near=near, within_m=within_m, changed_since=changed_since)
    rows = task_json_rows(ids_sql=f"{sql} LIMIT %s OFFSET %s", ids_params=[*params, limit + 1, offset],
                          media_url=media_url, order=order)
    return [row.text for row in rows[:limit]], len(rows) > limit


def task_get_for_user(*, user, pk: int) -> Report | None:
    """One task of the user's list as a Report (the columns a transition needs), or None (also
    for reports that exist but are not theirs)."""
    return _tasks(user=user).filter(pk=pk).first()


def task_json_get_for_user(*, user, pk: int, media_url: str) -> TaskJSON | None:
    """One task of the user's list as JSON, or None (also for reports that exist but are not theirs)."""
    sql, params, order = _ids_sql(user=user, pk=pk)
    rows = task_json_rows(ids_sql=sql, ids_params=params, media_url=media_url, order=order)
    return rows[0] if rows else None


def task_json_after_write(*, pk: int, media_url: str) -> TaskJSON:
    """A task as JSON as it is after the user's own write — also when it has just left their
    list (done, handed back): the answer to that write. Not an accessor: check access first."""
    [row] = task_json_rows(ids_sql="SELECT r.id, NULL::float8 AS distance_m FROM reporter_report r WHERE r.id = %s",
                           ids_params=[pk], media_url=media_url, order=ORDER_BY_DUE_DATE)
    return row


def task_ids_removed_since(*, user, since: datetime) -> list[int]:
    """Ids of the reports that were in the user's task list at some moment at or after `since`
    and are not in it now (reassigned, closed, moved to another department, crew deactivated,
    the user left the crew, deleted)."""
    with connection.cursor() as cursor:
        cursor.execute(_REMOVED_SQL, {"user": user.pk, "since": since, "open": list(Report.OPEN_STATUSES)})
        return [row[0] for row in cursor.fetchall()]


def sync_token_now() -> datetime:
    """The moment a client passes as `since` next time: every change before it is visible now.

    Moved back by MOBILE_API["SYNC_MARGIN_SECONDS"] (see `mobile_api.conf`).
    """
    with connection.cursor() as cursor:
        cursor.execute(_SYNC_NOW_SQL)
        moment = cursor.fetchone()[0]
    return moment - timedelta(seconds=float(mobile_setting("SYNC_MARGIN_SECONDS")))


def sync_window_start() -> datetime:
    """The oldest `since` a delta sync can answer exactly: the logs are pruned after
    MOBILE_API["SYNC_LOG_RETENTION_DAYS"] days (`services.sync_log_prune`)."""
    return timezone.now() - timedelta(days=float(mobile_setting("SYNC_LOG_RETENTION_DAYS")))
