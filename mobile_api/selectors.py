"""Reads of the field-crew API: a crew member's tasks, one task, and what changed since a sync.

A user's task list holds the reports that are open (`Report.OPEN_STATUSES`), assigned to one
of the user's active crews, and in that crew's department. The same rule is written in SQL
in the triggers of migration 0002, which log every entry into and exit from a crew's list
(`TaskListInterval`) and every crew membership (`CrewMemberInterval`); the delta sync reads
that log, so it is exact whoever changed the report, the crew or the membership.

Distances are metres on the WGS 84 spheroid (`ST_Distance` on geography). Ordering by it
sorts the user's few hundred tasks after the crew filter (index on crew and status); the
GiST index on `location::geography` (reporter migration 0003) serves the metric radius
filter `within_m`.
"""
from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from reporter.models import Crew, Report, ReportPhoto, StatusChange

from .conf import mobile_setting

__all__ = [
    "task_list_for_user", "task_page_load", "task_get_for_user", "task_get_after_write", "task_ids_removed_since",
    "sync_token_now", "crews_for_user",
]

_GEOG_POINT = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography"

# The columns a task needs; the reporter's name, email and phone are never loaded.
_TASK_FIELDS = (
    "id", "location", "address", "location_text", "description", "status", "due_date", "version", "updated_at",
    "created_at", "assigned_at", "department_id", "crew_id", "category__slug", "category__name",
    "category__name_en", "category__icon", "crew__name", "department__slug", "department__name",
)

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


def _task_base() -> QuerySet:
    photos = (ReportPhoto.objects.filter(processing=ReportPhoto.Processing.DONE)
              .exclude(moderation=ReportPhoto.Moderation.REJECTED)
              .only("id", "report_id", "kind", "image", "thumbnail", "created_at").order_by("id"))
    history = StatusChange.objects.only(
        "id", "report_id", "kind", "from_status", "to_status", "note_public", "note_internal", "created_at"
    ).order_by("created_at", "id")
    return (
        Report.objects.select_related("category", "crew", "department")
        .only(*_TASK_FIELDS)
        .prefetch_related(Prefetch("photos", queryset=photos, to_attr="crew_photos"),
                          Prefetch("history", queryset=history, to_attr="crew_history"))
    )


def _task_filter(qs: QuerySet, *, user) -> QuerySet:
    member = Crew.members.through.objects.filter(crew_id=OuterRef("crew_id"), user_id=user.pk)
    return qs.filter(status__in=Report.OPEN_STATUSES, crew__is_active=True,
                     crew__department_id=F("department_id")).filter(Exists(member))


def _tasks(*, user) -> QuerySet:
    return _task_filter(_task_base(), user=user)


def task_list_for_user(
    *, user, near: Point | None = None, within_m: float | None = None, changed_since: datetime | None = None,
) -> QuerySet:
    """The ids of the user's tasks (`values_list("id", "distance_m")`), nearest first when `near`
    (WGS 84 lon/lat) is given (`distance_m`, metres on the spheroid), else by due date (none
    last) and id; `distance_m` is None then.

    With `changed_since`, only tasks changed at or after it (`updated_at`) or that entered
    the user's list at or after it. Slice it, then load the page with `task_page_load`: the
    sort runs over narrow rows (id, distance), not over the joined task columns.
    """
    qs = _task_filter(Report.objects.all(), user=user)
    if changed_since is not None:
        qs = qs.filter(Q(updated_at__gte=changed_since) | Q(id__in=RawSQL(_ENTERED_SQL, (user.pk, changed_since))))
    if near is None:
        return (qs.annotate(distance_m=Value(None, output_field=FloatField()))
                .order_by(F("due_date").asc(nulls_last=True), "id").values_list("id", "distance_m"))
    if near.srid != 4326:
        raise ValueError("task_list_for_user expects EPSG:4326")
    xy = (near.x, near.y)
    if within_m is not None:
        qs = qs.extra(where=[f"ST_DWithin(reporter_report.location::geography, {_GEOG_POINT}, %s)"],
                      params=[*xy, within_m])
    return (qs.annotate(distance_m=RawSQL(f"ST_Distance(reporter_report.location::geography, {_GEOG_POINT})", xy,
                                          output_field=FloatField()))
            .order_by("distance_m", "id").values_list("id", "distance_m"))


def task_page_load(rows) -> list[Report]:
    """The tasks of a page of `task_list_for_user` rows, in its order, with `distance_m` set."""
    rows = list(rows)
    tasks = _task_base().in_bulk([pk for pk, _d in rows])
    page = []
    for pk, distance in rows:
        task = tasks.get(pk)
        if task is not None:  # gone between the two queries
            task.distance_m = distance
            page.append(task)
    return page


def task_get_for_user(*, user, pk: int) -> Report | None:
    """One task of the user's list, or None (also for reports that exist but are not theirs)."""
    return _tasks(user=user).filter(pk=pk).first()


def task_get_after_write(*, pk: int) -> Report:
    """A task as it is after the user's own write — also when it has just left their list
    (done, handed back): the answer to that write. Not an accessor: check access first."""
    return _task_base().get(pk=pk)


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
