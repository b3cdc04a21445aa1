"""Reads of reports: the public GeoJSON list (built in PostGIS), details, nearby open reports.

Public reads go through the views of `reporter.public` (the `Public*` models and the
`reporter_public_report` view in SQL), which hold no personal data, no unmoderated text and
only rounded coordinates; staff reads (`report_list_for_staff`) use `Report` itself.
The list is rendered by PostGIS (`json_build_object`, `ST_AsGeoJSON`) because serializing
through Python runs ~50x slower (see bench/bench_list.py); its timestamps are written by
PostgreSQL exactly as DRF writes them in the detail views (`config.sql_time`), so /api/v1/ has one timestamp format.
Raw SQL reads on `config.db_router.read_connection`, the connection an ORM read would use (the
read replica in a GET that may use it).

The list's total is counted exactly only up to `STADTMELDER["LIST_COUNT_MAX"]` reports: a
window `count(*) OVER ()` (or a plain count) runs over every matching row, 3.3 s for a
city-wide view over 1,000,000 reports, while the page itself comes from the `created_at` index
in well under a millisecond. Beyond the cap the count stops and the page says so
(`ReportListPage.exact` is false, `matched` a lower bound); see bench/bench_tiles.py (c).
"""
from dataclasses import dataclass
from datetime import datetime

from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured
from django.db.models.expressions import RawSQL

from config.db_router import read_connection
from config.sql_time import local_time_rows, rfc3339
from routing_rules.access import department_scope
from routing_rules.models import Category

from .conf import stadtmelder_setting
from .models import PublicPhoto, PublicReport, PublicStatusChange, Report, TrackedReport
from .public import PUBLIC_REPORT_VIEW, public_coordinate, public_decimals

__all__ = [
    "ReportListFilter", "ReportListPage", "report_list_geojson", "report_get_public", "report_get_by_token",
    "report_nearby", "report_list_for_staff", "report_get_for_staff", "report_clusters",
]

@dataclass(frozen=True)
class ReportListFilter:
    bbox: tuple[float, float, float, float] | None = None  # (min lon, min lat, max lon, max lat), WGS 84
    statuses: tuple[str, ...] = ()
    category_ids: tuple[int, ...] = ()
    created_after: datetime | None = None
    created_before: datetime | None = None
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True)
class ReportListPage:
    """One page of the public list. `matched` is the exact number of matching reports when
    `exact`, else a lower bound (more than `LIST_COUNT_MAX` match and were not all counted);
    `has_next` says whether a report follows this page."""
    features: list[str]
    matched: int
    exact: bool
    has_next: bool


# One statement for a page and, only where needed, its capped count: the page (one row more
# than asked for, so a following page is known without counting) from the newest end of the
# `created_at` index; then one row whose `matched` is the count of at most %(cap)s matching
# rows, evaluated only when the page is full and the count still below the cap, or when the
# page lies past the end (an initPlan inside CASE runs only if its branch is taken).
_LIST_SQL = """
WITH page AS MATERIALIZED (
  SELECT row_number() OVER (ORDER BY r.created_at DESC, r.id DESC) AS n,
         json_build_object(
           'type', 'Feature',
           'id', r.id,
           'geometry', ST_AsGeoJSON(r.location, {precision})::json,
           'properties', json_build_object(
              'id', r.id,
              'category', c.slug,
              'category_name', CASE WHEN %(lang)s = 'en' AND c.name_en <> '' THEN c.name_en ELSE c.name END,
              'icon', c.icon,
              'status', r.status,
              'department', d.name,
              'address', r.address,
              'description', r.description,
              'supporter_count', r.supporter_count,
              'created_at', {created_at},
              'updated_at', {updated_at}
           )
         )::text AS feature
  FROM {view} r
  JOIN routing_rules_category c ON c.id = r.category_id
  JOIN routing_rules_department d ON d.id = r.department_id
  WHERE {where}
  ORDER BY r.created_at DESC, r.id DESC
  LIMIT %(limit)s + 1 OFFSET %(offset)s
)
SELECT n, feature, NULL::bigint AS matched FROM page
UNION ALL
SELECT NULL, NULL,
       CASE WHEN (SELECT count(*) FROM page) > %(limit)s AND %(offset)s + %(limit)s + 1 <= %(cap)s
                 OR %(offset)s > 0 AND NOT EXISTS (SELECT FROM page)
            THEN (SELECT count(*) FROM (SELECT FROM {view} r WHERE {where} LIMIT %(cap)s + 1) s) END
ORDER BY 1 NULLS LAST
"""


def _public_filter_sql(filters: ReportListFilter) -> tuple[list[str], dict]:
    """SQL conditions on the public view `r` (joined with AND) and their named parameters for
    the public reports matching `filters` (bbox in EPSG:4326 lon/lat); `limit`/`offset` are
    the caller's."""
    where = ["TRUE"]
    params: dict = {}
    if filters.bbox:
        where.append("r.location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)")
        params.update(zip(("x0", "y0", "x1", "y1"), filters.bbox, strict=True))
    if filters.statuses:
        where.append("r.status = ANY(%(statuses)s)")
        params["statuses"] = list(filters.statuses)
    if filters.category_ids:
        where.append("r.category_id = ANY(%(cats)s)")
        params["cats"] = list(filters.category_ids)
    if filters.created_after:
        where.append("r.created_at >= %(after)s")
        params["after"] = filters.created_after
    if filters.created_before:
        where.append("r.created_at < %(before)s")
        params["before"] = filters.created_before
    return where, params


def report_list_geojson(*, filters: ReportListFilter, language: str = "de") -> ReportListPage:
    """Public reports matching `filters`, newest first, one page with their number (exact up
    to `STADTMELDER["LIST_COUNT_MAX"]`, a lower bound beyond it).

    A short page ends the count itself (offset + its length); only a full page whose end is
    below the cap, or a page past the end, counts, and then at most cap + 1 rows. One
    statement, one round trip.
    """
    cap = stadtmelder_setting("LIST_COUNT_MAX")
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
        raise ImproperlyConfigured('STADTMELDER["LIST_COUNT_MAX"] must be an integer >= 0.')
    where, params = _public_filter_sql(filters)
    params.update({"lang": language[:2], "limit": filters.limit, "offset": filters.offset, "cap": cap})
    sql = _LIST_SQL.format(precision=public_decimals(), view=PUBLIC_REPORT_VIEW, where=" AND ".join(where),
                           created_at=rfc3339("r.created_at"), updated_at=rfc3339("r.updated_at"))
    *rows, (_, _, counted) = local_time_rows(sql, params, using=read_connection(PublicReport).alias)
    has_next = len(rows) > filters.limit
    features = [feature for _, feature, _ in rows[:filters.limit]]
    if counted is None:
        if not has_next:  # a short page, or the first page of nothing: the exact total
            return ReportListPage(features, filters.offset + len(features), True, False)
        # A full page ending beyond the cap: at least the reports up to one after this page.
        return ReportListPage(features, filters.offset + filters.limit + 1, False, True)
    if counted > cap:
        # Known to exist: the counted ones, and those up to one after this page (past the end
        # of the list an empty page says nothing about the offset).
        seen = filters.offset + len(features) + has_next if features else 0
        return ReportListPage(features, max(counted, seen), False, has_next)
    return ReportListPage(features, counted, True, has_next)


def _with_photos_and_history(report):
    """Attach the public photos and history entries (`public_photos`, `public_history`)."""
    if report is not None:
        report.public_photos = list(PublicPhoto.objects.filter(report_id=report.pk))
        report.public_history = list(PublicStatusChange.objects.filter(report_id=report.pk))
    return report


def report_get_public(*, pk: int) -> PublicReport | None:
    """A public report with its approved photos and public history, or None."""
    return _with_photos_and_history(
        PublicReport.objects.select_related("category", "department").filter(pk=pk).first())


def report_get_by_token(*, token: str) -> TrackedReport | None:
    """A report by its tracking token (hidden ones too: the reporter may still follow them),
    with public columns only."""
    pk = Report.objects.filter(tracking_token=token).values_list("pk", flat=True).first()
    if pk is None:
        return None
    return _with_photos_and_history(
        TrackedReport.objects.select_related("category", "department").filter(pk=pk).first())


_GEOG_POINT = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography"


def report_nearby(*, point: Point, category: Category, limit: int = 20):
    """Open public reports of `category` within the category's radius, nearest first.

    Distances are metres on the WGS 84 spheroid (geography) from the public (rounded) location,
    annotated as `distance_m`; the filter uses the GiST index on the public location as
    geography (`reporter.public`).
    """
    radius_m = float(category.duplicate_radius_m)
    xy = (point.x, point.y)
    return (
        PublicReport.objects.filter(category=category, status__in=Report.OPEN_STATUSES)
        .extra(where=[f"ST_DWithin({PUBLIC_REPORT_VIEW}.location::geography, {_GEOG_POINT}, %s)"],
               params=[*xy, radius_m])
        .annotate(distance_m=RawSQL(f"ST_Distance({PUBLIC_REPORT_VIEW}.location::geography, {_GEOG_POINT})", xy))
        .select_related("category", "department")
        .order_by("distance_m", "id")[:limit]
    )


def report_list_for_staff(*, user):
    """Reports of the departments the staff user belongs to (all for superusers)."""
    return department_scope(Report.objects.select_related("category", "department"), user=user)


def report_get_for_staff(*, user, pk: int) -> Report | None:
    """A report the staff user may work on, or None."""
    return report_list_for_staff(user=user).filter(pk=pk).first()


# Web-mercator (EPSG:3857) metres per pixel at zoom 0 for 256-px tiles: equator length / 256.
_MERCATOR_M_PER_PX_Z0 = 2 * 3.141592653589793 * 6378137 / 256
# Edge of one aggregation cell on screen, in pixels (≈ the size of a cluster symbol).
CLUSTER_CELL_PX = 64

_CLUSTERS_SQL = """
WITH pts AS (
  SELECT r.id, ST_X(merc) AS x, ST_Y(merc) AS y,
         ST_X(node) AS node_x, ST_Y(node) AS node_y
  FROM {view} r
  CROSS JOIN LATERAL ST_Transform(r.location, 3857) AS merc
  CROSS JOIN LATERAL ST_SnapToGrid(merc, %(cell)s) AS node
  WHERE {where}
), cells AS (
  SELECT count(*) AS n, avg(x) AS x, avg(y) AS y, CASE WHEN count(*) = 1 THEN min(id) END AS report_id
  FROM pts
  GROUP BY node_x, node_y
)
SELECT n, ST_X(centroid) AS lon, ST_Y(centroid) AS lat, report_id
FROM cells
CROSS JOIN LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 3857), 4326) AS centroid
ORDER BY n DESC, lon, lat
"""


def report_clusters(*, filters: ReportListFilter, zoom: int) -> tuple[list[dict], float]:
    """Public reports matching `filters` counted per square grid cell: (cells, cell edge in metres).

    The grid lies in web mercator (EPSG:3857), the projection of the map tiles, so every cell
    is CLUSTER_CELL_PX pixels wide on screen at `zoom`; its edge in metres is
    `40 075 016.686 m / 2**zoom / 256 * CLUSTER_CELL_PX` (mercator metres, which shrink by
    cos(latitude) on the ground — about 0.63 at 51° N; the grid only has to look even on
    screen). `ST_SnapToGrid` assigns each point to the grid node nearest to it, so a cell is
    the square of that edge centred on a node. Each cell is returned as
    `{"count", "lon", "lat", "report_id"}`: lon/lat (WGS 84) of the centroid of its reports
    (computed in EPSG:3857), `report_id` only for a cell holding exactly one report.
    Cells are grouped by the snapped node's coordinates, not by the node geometry: grouping
    by geometry is ~15x slower (10,000 reports: 250 ms against 20 ms).
    Filters are those of `report_list_geojson`; `limit`/`offset` are ignored. Hidden reports
    never count.
    """
    cell_m = _MERCATOR_M_PER_PX_Z0 / (2**zoom) * CLUSTER_CELL_PX
    where, params = _public_filter_sql(filters)
    params["cell"] = cell_m
    with read_connection(PublicReport).cursor() as cursor:
        cursor.execute(_CLUSTERS_SQL.format(view=PUBLIC_REPORT_VIEW, where=" AND ".join(where)), params)
        cells = [
            {"count": n, "lon": public_coordinate(lon), "lat": public_coordinate(lat), "report_id": rid}
            for n, lon, lat, rid in cursor.fetchall()
        ]
    return cells, cell_m
