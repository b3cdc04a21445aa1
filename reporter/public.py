"""What of a report may be public: the one owner of that rule.

Every public output (map, lists, report and tracking pages, statistics, Open311, OGC API,
open-data downloads, DCAT extents) reads reports through the database views defined here,
never through `reporter_report` itself:

- `reporter_public_report`: reports that are not hidden by moderation, with public columns
  only — no reporter name, email or phone, no original text (the text is the moderated
  `public_description`, and only once moderation approved it), no free-text location
  description, no internal notes, no tracking token; the location snapped to
  `PUBLIC_COORDINATE_DECIMALS` decimal places of WGS 84 degrees (4 ≈ 7 m east–west and
  11 m north–south at 51° N).
- `reporter_tracked_report`: the same columns for every report, hidden ones included; read
  only by a tracking-token lookup (the reporter may follow a hidden report).
- `reporter_public_photo`: processed photos approved by moderation (metadata-free derivatives).
- `reporter_public_history`: the history entries meant for the public (creation and status
  changes with their public note).

The unmanaged models `PublicReport`, `PublicPhoto` and `PublicStatusChange`
(`reporter.models`) map these views for ORM reads; raw SQL names the views directly.
A column that is not in a view cannot leak, whatever a serializer or query asks for.

The snapped point is a stored generated column, `reporter_report.public_location`, with
GiST indexes on it (as geometry and as geography). A stored column rather than an expression
index: PostgreSQL keeps statistics for it, so the planner estimates a bbox well and still
walks the `created_at` index for a newest-first page over a large bbox (an expression index
gave a 2-row estimate and a 10x slower plan at 20,000 reports).

Why views and column are kept by `migrate` rather than a migration: the precision is a
setting, so their text depends on the environment. `pre_migrate` drops the views when
migrations are about to run (so no schema migration trips over a dependent view),
`post_migrate` creates them again, and the column and indexes whenever their definition
changed (e.g. a new precision: the column is rebuilt, which rewrites the table once). Each
object carries a hash of its definition as a comment, so an unchanged one is left alone. A
migration that changes the type of `reporter_report.location` must drop `public_location`
first (`public_views_drop(column=True)`).
"""
import hashlib

__all__ = ["PUBLIC_REPORT_VIEW", "TRACKED_REPORT_VIEW", "PUBLIC_PHOTO_VIEW", "PUBLIC_HISTORY_VIEW",
           "public_coordinate", "public_decimals", "public_grid", "public_views_sql", "public_views_sync",
           "public_views_drop"]

PUBLIC_REPORT_VIEW = "reporter_public_report"
TRACKED_REPORT_VIEW = "reporter_tracked_report"
PUBLIC_PHOTO_VIEW = "reporter_public_photo"
PUBLIC_HISTORY_VIEW = "reporter_public_history"
_VIEWS = (PUBLIC_REPORT_VIEW, TRACKED_REPORT_VIEW, PUBLIC_PHOTO_VIEW, PUBLIC_HISTORY_VIEW)
_COLUMN = "public_location"
_INDEX_GEOM = "reporter_report_public_location"
_INDEX_GEOG = "reporter_report_public_location_geog"
_COMMENT_PREFIX = "stadtmelder:"


def public_decimals() -> int:
    """Decimal places of every public coordinate (WGS 84 degrees), from the settings."""
    from django.core.exceptions import ImproperlyConfigured

    from .conf import stadtmelder_setting

    value = stadtmelder_setting("PUBLIC_COORDINATE_DECIMALS")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 7:
        raise ImproperlyConfigured('STADTMELDER["PUBLIC_COORDINATE_DECIMALS"] must be an integer from 0 to 7.')
    return value


def public_grid() -> str:
    """The snapping grid in degrees as an exact SQL literal, e.g. '0.0001'."""
    decimals = public_decimals()
    return "1" if decimals == 0 else "0." + "0" * (decimals - 1) + "1"


def _snapped(column: str = "r.location") -> str:
    return f"ST_SnapToGrid({column}, {public_grid()}::float8)"


# The public columns of a report: (name, SQL on reporter_report r). Nothing else is public.
def _report_columns() -> list[tuple[str, str]]:
    return [
        ("id", "r.id"),
        ("category_id", "r.category_id"),
        ("department_id", "r.department_id"),
        ("status", "r.status"),
        ("address", "r.address"),
        ("description", "CASE WHEN r.moderation = 'approved' THEN r.public_description ELSE '' END"),
        ("district", "coalesce(r.routing_explanation ->> 'district', '')"),
        ("supporter_count", "r.supporter_count"),
        ("duplicate_of_id", "r.duplicate_of_id"),
        ("created_at", "r.created_at"),
        ("updated_at", "r.updated_at"),
        ("closed_at", "r.closed_at"),
        ("due_date", "r.due_date"),
        ("location", f"r.{_COLUMN}"),
        # Always true in the public view; false in the tracked view for a hidden report.
        ("is_public", "r.moderation <> 'hidden'"),
    ]


_VISIBLE = "r.moderation <> 'hidden'"


def public_views_sql() -> dict[str, str]:
    """The SELECT of each public view, by view name (for the current precision)."""
    columns = ",\n       ".join(f"{sql} AS {name}" for name, sql in _report_columns())
    report = f"SELECT {columns}\nFROM reporter_report r"
    return {
        PUBLIC_REPORT_VIEW: f"{report}\nWHERE {_VISIBLE}",
        TRACKED_REPORT_VIEW: report,
        PUBLIC_PHOTO_VIEW: ("SELECT p.id, p.report_id, p.kind, p.image, p.thumbnail, p.width, p.height, p.created_at\n"
                            "FROM reporter_reportphoto p\n"
                            "WHERE p.processing = 'done' AND p.moderation = 'approved'"),
        PUBLIC_HISTORY_VIEW: ("SELECT h.id, h.report_id, h.from_status, h.to_status, h.note_public, h.kind, "
                              "h.created_at\nFROM reporter_statuschange h\n"
                              "WHERE h.kind IN ('created', 'status')"),
    }


def _column_sql() -> str:
    return (f"ALTER TABLE reporter_report ADD COLUMN {_COLUMN} geometry(Point, 4326) "
            f"GENERATED ALWAYS AS ({_snapped('location')}) STORED")


def _indexes_sql() -> dict[str, str]:
    # Partial like the public view, so the planner matches them to the view's rows.
    return {
        _INDEX_GEOM: f"CREATE INDEX {_INDEX_GEOM} ON reporter_report USING gist ({_COLUMN}) "
                     f"WHERE moderation <> 'hidden'",
        _INDEX_GEOG: f"CREATE INDEX {_INDEX_GEOG} ON reporter_report USING gist "
                     f"(({_COLUMN}::geography)) WHERE moderation <> 'hidden'",
    }


def _digest(sql: str) -> str:
    return _COMMENT_PREFIX + hashlib.sha256(sql.encode()).hexdigest()[:16]


def public_views_drop(*, using: str = "default", column: bool = False) -> None:
    """Drop the views (before schema migrations run); with `column`, the snapped column and
    its indexes too (`public_views_sync` builds them again)."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        for view in _VIEWS:
            cursor.execute(f"DROP VIEW IF EXISTS {view}")
        if column:
            cursor.execute(f"ALTER TABLE reporter_report DROP COLUMN IF EXISTS {_COLUMN}")


def public_views_sync(*, using: str = "default") -> list[str]:
    """Create the snapped column, its indexes and the views where their definition is missing
    or changed; returns their names."""
    from django.db import connections

    changed = []
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT col_description('reporter_report'::regclass, a.attnum) FROM pg_attribute a "
            "WHERE a.attrelid = 'reporter_report'::regclass AND a.attname = %s AND NOT a.attisdropped",
            [_COLUMN])
        row = cursor.fetchone()
        if (row[0] if row else "missing") != _digest(_column_sql()):
            # The views and indexes depend on the column: they go with it and are built below.
            public_views_drop(using=using, column=True)
            cursor.execute(_column_sql())
            cursor.execute(f"COMMENT ON COLUMN reporter_report.{_COLUMN} IS %s", [_digest(_column_sql())])
            cursor.execute("ANALYZE reporter_report")
            changed.append(_COLUMN)
        cursor.execute(
            "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relname = ANY(%s)",
            [[*_VIEWS, _INDEX_GEOM, _INDEX_GEOG]])
        present = dict(cursor.fetchall())
        for name, create in _indexes_sql().items():
            if present.get(name, "missing") != _digest(create):
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
                cursor.execute(create)
                cursor.execute(f"COMMENT ON INDEX {name} IS %s", [_digest(create)])
                changed.append(name)
        for name, select in public_views_sql().items():
            if present.get(name, "missing") != _digest(select):
                cursor.execute(f"DROP VIEW IF EXISTS {name}")
                cursor.execute(f"CREATE VIEW {name} AS {select}")
                cursor.execute(f"COMMENT ON VIEW {name} IS %s", [_digest(select)])
                changed.append(name)
    return changed


def public_coordinate(value: float) -> float:
    """A coordinate computed in Python (e.g. a cluster centroid), rounded like the views."""
    return round(value, public_decimals())

