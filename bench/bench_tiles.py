"""Vector tiles of the `reports` collection over 1,000,000 reports (in the bench database):

(a) a z14 tile (points) through our view — Django's test client, the whole middleware stack,
    no HTTP socket — against the bare `ST_AsMVT` statement producing the same tile, run from
    Python on the same connection; median ms and ratio (target <= 1.2x);
(b) a z10 tile (counts per cell and status from the pre-aggregated table) through our view,
    median ms (target <= 50 ms), beside the same aggregate computed from the points per
    request (what the pre-aggregation saves) and the full rebuild and an incremental refresh
    of the aggregates.
(c) the list beside the map: the city-wide page of the 20 newest reports (all 980,000 public
    reports in the bbox) through `/api/v1/reports/` (test client), against the raw statement
    of the same page and the same capped count (`LIST_COUNT_MAX`); median ms and ratio, beside
    the window `count(*) OVER ()` the list used before (what the cap saves).

Our tiles against tipg's (FastAPI + asyncpg, over HTTP, both under gunicorn) are measured in
bench/bench_ogc.py, which runs tipg from its own pinned venv.

The million reports are written by one INSERT ... SELECT from generate_series (a minute,
not an ORM loop) and kept between runs: the bench database is reused, and the rows are made
again only if their number is not right. 2 % are hidden.
"""
import statistics
import time

from django.db import connection
from django.test import Client

from reporter.models import Report
from routing_rules.models import Category, Department

from .common import clear_tables

REPORTS = 1_000_000
RUNS = 30
AREA = (11.95, 50.80, 12.20, 50.95)  # lon/lat, WGS 84
MARK = "bench-tiles"
Z14 = (14, 5494, 8741)  # z, y, x: the tile holding 12.07 E, 50.87 N (inside AREA)
Z10 = (10, 343, 546)  # holding most of AREA


def _median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm caches and the connection
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _setup() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reporter_report WHERE description = %s", [MARK])
        if cursor.fetchone()[0] == REPORTS:
            return
    print(f"tiles: creating {REPORTS:,} reports (once; kept in the bench database) ...", flush=True)
    clear_tables()
    dep = Department.objects.create(slug="tiefbau", name="Tiefbauamt", email="d@x.example")
    cats = [Category.objects.create(slug=f"kat-{i}", name=f"Kategorie {i}", group="strasse", default_department=dep)
            for i in range(5)]
    statuses = [s.value for s in Report.Status]
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO reporter_report (tracking_token, location, address, location_text, description,
                public_description, answers, status, moderation, routing_explanation, channel, reporter_name,
                reporter_email, reporter_phone, supporter_count, created_at, updated_at, category_id,
                department_id, language, version, notify_reporter)
            SELECT 'bench-' || g, ST_SetSRID(ST_MakePoint(%(x0)s + random() * (%(x1)s - %(x0)s),
                                                        %(y0)s + random() * (%(y1)s - %(y0)s)), 4326),
                   '', '', %(mark)s, 'Schlagloch ' || g, '{}', (%(statuses)s::text[])[1 + g %% %(n_status)s],
                   CASE WHEN g %% 50 = 0 THEN 'hidden' ELSE 'approved' END, '{}', 'web', 'Privat',
                   'privat@example.org', '', g %% 5, now() - g * interval '1 minute', now(),
                   (%(cats)s::bigint[])[1 + g %% %(n_cats)s], %(dep)s, 'de', 1, true
            FROM generate_series(1, %(n)s) g""",
            {"x0": AREA[0], "x1": AREA[2], "y0": AREA[1], "y1": AREA[3], "mark": MARK, "statuses": statuses,
             "n_status": len(statuses), "cats": [c.pk for c in cats], "n_cats": len(cats), "dep": dep.pk,
             "n": REPORTS})
        cursor.execute("ANALYZE reporter_report")


# The statement a hand-written tile server would run for the z14 tile: the same public view,
# columns, clipping and buffer as opendata.ogc.tiles.selectors.
_RAW_Z14 = """
SELECT ST_AsMVT(q, 'reports', 4096, 'geom', 'id') FROM (
    SELECT t.id, c.slug AS category, t.status, t.supporter_count,
           to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
           ST_AsMVTGeom(ST_Transform(t.location, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true) AS geom
    FROM reporter_public_report t JOIN routing_rules_category c ON c.id = t.category_id
    WHERE t.location && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096), 4326)
) q WHERE q.geom IS NOT NULL"""

# The z10 aggregate computed from the points per request (what the pre-aggregated table avoids).
_RAW_Z10_FROM_POINTS = """
SELECT ST_AsMVT(q, 'report-counts', 4096, 'geom') FROM (
    SELECT count(*) AS count, ST_AsMVTGeom(ST_Centroid(ST_Collect(m)), ST_TileEnvelope(%(z)s, %(x)s, %(y)s),
                                           4096, 64, true) AS geom
    FROM reporter_public_report t CROSS JOIN LATERAL ST_Transform(t.location, 3857) m
    WHERE t.location && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4326)
    GROUP BY floor(ST_X(m) / 4891.97), floor(ST_Y(m) / 4891.97), t.status
) q"""


# The list page a hand-written endpoint would serve: the 20 newest public reports in the
# bbox as a FeatureCollection and their number counted up to the cap, in one statement.
_RAW_LIST = """
SELECT json_build_object('type', 'FeatureCollection', 'numberMatched',
         (SELECT count(*) FROM (SELECT FROM reporter_public_report r
                                WHERE r.location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)
                                LIMIT %(cap)s + 1) s),
         'features', coalesce(json_agg(f ORDER BY n), '[]'))::text FROM (
  SELECT row_number() OVER (ORDER BY r.created_at DESC, r.id DESC) AS n,
         json_build_object('type', 'Feature', 'id', r.id, 'geometry', ST_AsGeoJSON(r.location, 4)::json,
           'properties', json_build_object('id', r.id, 'category', c.slug, 'category_name', c.name,
             'icon', c.icon, 'status', r.status, 'department', d.name, 'address', r.address,
             'description', r.description, 'supporter_count', r.supporter_count,
             'created_at', r.created_at, 'updated_at', r.updated_at)) AS f
  FROM reporter_public_report r JOIN routing_rules_category c ON c.id = r.category_id
  JOIN routing_rules_department d ON d.id = r.department_id
  WHERE r.location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)
  ORDER BY r.created_at DESC, r.id DESC LIMIT 20) page"""

# The same page with the total of every matching row, as the list counted before the cap.
_WINDOW_LIST = """
SELECT count(*) OVER (), r.id FROM reporter_public_report r
WHERE r.location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)
ORDER BY r.created_at DESC, r.id DESC LIMIT 20"""


def _list_page() -> None:
    """(c): the city-wide list page through the view against the raw statement."""
    import json

    from reporter.conf import stadtmelder_setting

    bbox = dict(zip(("x0", "y0", "x1", "y1"), AREA, strict=True))
    params = {**bbox, "cap": stadtmelder_setting("LIST_COUNT_MAX")}
    client = Client()
    url = "/api/v1/reports/?bbox={},{},{},{}&limit=20".format(*AREA)

    def ours():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    def raw(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    body = json.loads(ours().content)
    raw_body = json.loads(raw(_RAW_LIST)[0][0])
    assert [f["id"] for f in body["features"]] == [f["id"] for f in raw_body["features"]], "not the same page"
    total = body.get("numberMatched", f"more than {body.get('numberMatchedAtLeast', 0) - 1:,}")
    def timed_ms(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return (time.perf_counter() - t0) * 1000

    # Alternately, so that the load of a shared machine falls on both alike.
    ours(), raw(_RAW_LIST)
    times = [(timed_ms(ours), timed_ms(lambda: raw(_RAW_LIST))) for _ in range(RUNS)]
    view_ms, raw_ms = (statistics.median(t) for t in zip(*times, strict=True))
    window_ms = _median_ms(lambda: raw(_WINDOW_LIST), runs=3)
    print(f"tiles (c): city-wide list page (20 of {total} reports) over {REPORTS:,} reports: our view "
          f"{view_ms:.1f} ms, raw SQL of the same page and capped count {raw_ms:.1f} ms; ratio "
          f"{view_ms / raw_ms:.2f}x; the page with the window count(*) OVER () of every match "
          f"{window_ms:,.0f} ms")


def _ids(tile: bytes) -> list[int]:
    """The feature ids of a tile (the row order inside a tile is PostgreSQL's choice)."""
    import mapbox_vector_tile

    return sorted(f["id"] for f in mapbox_vector_tile.decode(tile)["reports"]["features"])


def _raw(sql: str, z: int, y: int, x: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"z": z, "x": x, "y": y})
        return bytes(cursor.fetchone()[0] or b"")


def run() -> None:
    """Print the figures of (a), (b) and (c)."""
    from opendata.ogc.tiles.aggregates import report_cells_rebuild, report_cells_refresh

    _setup()
    t0 = time.perf_counter()
    cells = report_cells_rebuild()
    rebuild_s = time.perf_counter() - t0
    with connection.cursor() as cursor:  # one report changes: one dirty cell
        cursor.execute("UPDATE reporter_report SET status = 'resolved' "
                       "WHERE id = (SELECT min(id) FROM reporter_report WHERE moderation <> 'hidden')")
    t0 = time.perf_counter()
    report_cells_refresh()
    refresh_ms = (time.perf_counter() - t0) * 1000

    client = Client()

    def tile(z, y, x):
        def get():
            response = client.get(f"/ogc/collections/reports/tiles/WebMercatorQuad/{z}/{y}/{x}")
            assert response.status_code == 200, response.status_code
            return response
        return get

    ours_z14 = tile(*Z14)
    size = len(ours_z14().content)
    assert _ids(ours_z14().content) == _ids(_raw(_RAW_Z14, *Z14)), "the raw statement must make the same tile"
    view_ms = _median_ms(ours_z14)
    raw_ms = _median_ms(lambda: _raw(_RAW_Z14, *Z14))
    print(f"tiles (a): z14 reports tile ({size / 1024:.0f} KiB) over {REPORTS:,} reports: our view "
          f"{view_ms:.1f} ms, raw ST_AsMVT {raw_ms:.1f} ms; ratio {view_ms / raw_ms:.2f}x (target <= 1.2x)")

    z10_ms = _median_ms(tile(*Z10))
    from_points_ms = _median_ms(lambda: _raw(_RAW_Z10_FROM_POINTS, *Z10), runs=3)
    print(f"tiles (b): z10 reports tile over {REPORTS:,} reports from the pre-aggregated table: median "
          f"{z10_ms:.1f} ms (target <= 50 ms); aggregated from the points per request {from_points_ms:,.0f} ms "
          f"({from_points_ms / z10_ms:.0f}x); full rebuild {rebuild_s:.1f} s ({cells:,} cells), "
          f"refresh after one change {refresh_ms:.1f} ms")
    _list_page()
