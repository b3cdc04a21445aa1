"""The crew app's task JSON, built by PostgreSQL (`json_build_object`/`json_agg`) in one statement.

A page of 50 tasks with their history and photos rendered through the ORM and Python took
two thirds of the request (three queries, ~1,800 model instances, per-field formatting);
here the database returns each task as JSON text and the view joins the texts
(bench/bench_tasks.py), as `reporter.selectors.report_list_geojson` does for the public map.

The output is field for field what `serializers.TaskSerializer` documents and renders:
timestamps as DRF writes them (ISO 8601 in the current time zone, microseconds only when
non-zero, "Z" for UTC — `config.sql_time`), labels and
category names in the active language, coordinates with 6 decimals (ST_AsGeoJSON, ≈ 0.1 m),
`distance_m` rounded to 0.1 m in numeric arithmetic (a tie of the last digit may round up
where Python's float `round` rounds to even). Photo URLs are the storage's base URL plus the
file name: true for FileSystemStorage and any storage whose `url(name)` is a fixed prefix
plus the (URL-safe, generated: `reports/<id>/<hex>.jpg`) name, not for signed URLs.

Which tasks, and in which order, is decided by the caller's query of (id, distance_m) rows
(`selectors`, which holds the access rule), used here as a subquery.
"""
import json
from typing import NamedTuple

from django.utils.translation import get_language

from config.sql_time import local_time_rows, rfc3339
from reporter.models import Report, ReportPhoto

from .actions import actions_allowed
from .serializers import COORD_PRECISION

# The timestamps of the statement, written as DRF writes them.
_TIMESTAMPS = {f"ts_{column.replace('.', '_')}": rfc3339(column) for column in (
    "r.assigned_at", "r.created_at", "r.updated_at", "h.created_at", "ph.created_at")}

__all__ = ["TaskJSON", "task_json_rows", "ORDER_BY_DISTANCE", "ORDER_BY_DUE_DATE"]

# Positional parameters throughout (%s), like the caller's subquery.
_SQL = """
SELECT r.id, r.version, json_build_object(
  'id', r.id,
  'category', json_build_object(
    'slug', c.slug,
    'name', CASE WHEN ctx.english AND c.name_en <> '' THEN c.name_en ELSE c.name END,
    'icon', c.icon),
  'status', r.status,
  'status_label', ctx.labels ->> r.status,
  'location', ST_AsGeoJSON(r.location, {precision})::json,
  'address', r.address,
  'location_text', r.location_text,
  'description', r.description,
  'crew', CASE WHEN r.crew_id IS NULL THEN NULL ELSE json_build_object('id', r.crew_id, 'name', cr.name) END,
  'department', json_build_object('slug', d.slug, 'name', d.name),
  'due_date', r.due_date,
  'assigned_at', {ts_r_assigned_at},
  'created_at', {ts_r_created_at},
  'updated_at', {ts_r_updated_at},
  'version', r.version,
  'allowed_actions', CASE WHEN r.crew_id IS NULL THEN '[]'::jsonb
                          ELSE coalesce(ctx.actions -> r.status, '[]'::jsonb) END,
  'distance_m', round(p.distance_m::numeric, 1),
  'notes', coalesce((
    SELECT json_agg(json_build_object(
      'kind', h.kind, 'from_status', h.from_status, 'to_status', h.to_status, 'note_public', h.note_public,
      'note_internal', h.note_internal, 'created_at', {ts_h_created_at}
    ) ORDER BY h.created_at, h.id)
    FROM reporter_statuschange h WHERE h.report_id = r.id), '[]'),
  'photos', coalesce((
    SELECT json_agg(json_build_object(
      'id', ph.id, 'kind', ph.kind, 'url', ctx.media || nullif(ph.image, ''),
      'thumbnail_url', ctx.media || nullif(ph.thumbnail, ''), 'created_at', {ts_ph_created_at}
    ) ORDER BY ph.id)
    FROM reporter_reportphoto ph
    WHERE ph.report_id = r.id AND ph.processing = %s AND ph.moderation <> %s), '[]')
)::text
FROM (SELECT %s::boolean AS english, %s::jsonb AS labels, %s::jsonb AS actions, %s::text AS media) ctx
CROSS JOIN ({ids}) p
JOIN reporter_report r ON r.id = p.id
JOIN routing_rules_category c ON c.id = r.category_id
JOIN routing_rules_department d ON d.id = r.department_id
LEFT JOIN reporter_crew cr ON cr.id = r.crew_id
ORDER BY {order}
"""

# The order of the rows, the same as the subquery's (which the join does not keep).
ORDER_BY_DISTANCE = "p.distance_m, p.id"
ORDER_BY_DUE_DATE = "r.due_date ASC NULLS LAST, r.id"


class TaskJSON(NamedTuple):
    """One task: its id, its version (the ETag) and its JSON text."""

    id: int
    version: int
    text: str


def _context_params(*, media_url: str) -> list:
    language = get_language() or "de"
    labels = {value: str(label) for value, label in Report.Status.choices}
    actions = {value: actions_allowed(value) for value in Report.Status.values}
    return [ReportPhoto.Processing.DONE, ReportPhoto.Moderation.REJECTED,
            language.startswith("en"), json.dumps(labels), json.dumps(actions), media_url]


def task_json_rows(*, ids_sql: str, ids_params: list, order: str, media_url: str) -> list[TaskJSON]:
    """The tasks named by `ids_sql` — a query with the columns `id` and `distance_m`, with
    positional (%s) parameters `ids_params`, limited as wanted — as `TaskJSON` rows in
    `order` (ORDER_BY_DISTANCE or ORDER_BY_DUE_DATE, the order of `ids_sql`).

    `media_url` is the absolute base URL of the public photo files (e.g.
    "https://stadt.example/media/"). Labels and names follow the active language, timestamps
    the current time zone.
    """
    if order not in (ORDER_BY_DISTANCE, ORDER_BY_DUE_DATE):
        raise ValueError(f"unknown order {order!r}")
    sql = _SQL.format(precision=COORD_PRECISION, ids=ids_sql, order=order, **_TIMESTAMPS)
    rows = local_time_rows(sql, [*_context_params(media_url=media_url), *ids_params])
    return [TaskJSON(*row) for row in rows]
