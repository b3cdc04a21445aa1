"""OGC API – Features items and Tiles of the `reports` collection: our `/ogc/` endpoint against
a bare hand-written page, pygeoapi and tipg serving the same reports, every server under
gunicorn with the same number of workers on 127.0.0.1, measured in the same run.

20,000 reports are created in the bench database (created_at spread over two years). The
peers read views holding exactly the public fields our collection publishes (the same
joins to category and department, hidden reports left out), so all do the same work: count
the matches, fetch one page, write GeoJSON.

- raw: `bench/raw_ogc_wsgi.py`, the page written by hand as a bare WSGI application (one
  statement, no framework) under the same gunicorn: the ratio says what Django, parameter
  checks, links and middleware cost. Target: ours within 1.3x of it. Measured for the bbox
  page and for a CQL2-filtered page (`filter=status = 'open' AND created_at >= TIMESTAMP(…)`
  against the same WHERE written by hand).
- pygeoapi (Flask, its PostgreSQL provider; `.venv-bench` from the pinned
  `bench/requirements-pygeoapi.txt`): target at least 3x its requests per second.
- tipg (FastAPI + asyncpg under gunicorn's uvicorn workers; `.venv-tipg` from the pinned
  `bench/requirements-tipg.txt`): the items page, and z14 vector tiles against its tiles of
  a view with our tile's columns (id, category, status, supporter_count, created_at; buffer
  64 as ours). Our tiles are sent without If-None-Match, so every one is rendered.

The peers' venvs are created here once (they are not dependencies of the project); a peer
that cannot be installed is reported and left out. Every server stays up for the whole run
and each workload is measured ROUNDS times, the servers taking turns, and the best figure of
each is kept (least disturbed by other load on the machine). Each measurement sends REQUESTS
requests from CLIENTS concurrent keep-alive-free clients (`common.drive`); the figures are
requests per second and the median latency.
"""
import json
import os
import random
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import connection
from django.utils import timezone

from reporter.models import Report
from routing_rules.models import Category, Department

from .common import GunicornServer, clear_tables, drive, http_get, percentile_ms, side_venv

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
TIPG_VENV = ROOT / ".venv-tipg"
REQUIREMENTS = Path(__file__).with_name("requirements-pygeoapi.txt")
TIPG_REQUIREMENTS = Path(__file__).with_name("requirements-tipg.txt")

REPORTS = 20_000
REQUESTS = 300
ROUNDS = 2
CLIENTS = 4
WORKERS = 2
LIMIT = 100
OFFSETS = (0, 100, 500, 1000)
AREA = (11.95, 50.80, 12.20, 50.95)  # where the reports lie (lon/lat, WGS 84)
BBOX = (12.00, 50.82, 12.15, 50.92)  # what the clients ask for: about half of them
STATUS = "open"
SINCE_DAYS = 365  # the CQL2 page: open reports of the last year (about a tenth of all)
Z14 = (14, 5494, 8741)  # z, y, x: the tile holding 12.07 E, 50.87 N (inside AREA); 3x3 tiles around it
OURS_PORT, PYGEOAPI_PORT, RAW_PORT, TIPG_PORT = 8761, 8762, 8764, 8765
VIEW = "bench_ogc_reports"
TILE_FEATURES: dict[str, int] = {}  # points in the middle tile, per server
TILE_VIEW = "bench_ogc_report_points"


def _setup() -> None:
    clear_tables()
    rng = random.Random(7)
    dep = Department.objects.create(slug="tiefbau", name="Tiefbauamt", email="d@x.example")
    cats = [Category.objects.create(slug=f"kat-{i}", name=f"Kategorie {i}", group="strasse", default_department=dep)
            for i in range(5)]
    statuses = [s.value for s in Report.Status]
    Report.objects.bulk_create([
        Report(location=Point(rng.uniform(AREA[0], AREA[2]), rng.uniform(AREA[1], AREA[3]), srid=4326),
               category=rng.choice(cats), department=dep, description="Loch (privat)",
               public_description=f"Schlagloch {i}", reporter_email="privat@example.org",
               moderation="hidden" if i % 50 == 0 else "approved", status=rng.choice(statuses),
               supporter_count=rng.randrange(5), routing_explanation={})
        for i in range(REPORTS)
    ], batch_size=2000)
    with connection.cursor() as cursor:
        # Two years of reports, so that a date comparison selects a part of them.
        cursor.execute("UPDATE reporter_report SET created_at = now() - (id % 730) * interval '1 day'")
        # The same public fields as opendata.ogc.selectors' reports collection, from the same
        # public view (reporter.public: visible reports, moderated text, snapped coordinates).
        cursor.execute(f"""
            CREATE OR REPLACE VIEW {VIEW} AS
            SELECT r.id, r.location AS geom, c.slug AS category, c.name AS category_name, r.status,
                   r.description, d.name AS department, r.supporter_count, r.created_at, r.updated_at,
                   r.closed_at
            FROM reporter_public_report r
            JOIN routing_rules_category c ON c.id = r.category_id
            JOIN routing_rules_department d ON d.id = r.department_id""")
        # The columns of our reports tile (opendata.ogc.tiles.selectors), for tipg's tiles.
        cursor.execute(f"""
            CREATE OR REPLACE VIEW {TILE_VIEW} AS
            SELECT r.id, c.slug AS category, r.status, r.supporter_count,
                   to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
                   r.location AS geom
            FROM reporter_public_report r JOIN routing_rules_category c ON c.id = r.category_id""")
        cursor.execute("ANALYZE reporter_report")


def _pygeoapi_config(directory: Path) -> tuple[Path, Path]:
    db = connection.settings_dict
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": PYGEOAPI_PORT},
            "url": f"http://127.0.0.1:{PYGEOAPI_PORT}",
            "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8", "gzip": False,
            "languages": ["de"], "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "http://127.0.0.1/tiles/{z}/{x}/{y}.png", "attribution": "none"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "bench", "description": "bench", "keywords": ["bench"],
                               "keywords_type": "theme", "terms_of_service": "none", "url": "http://127.0.0.1"},
            "license": {"name": "none", "url": "http://127.0.0.1"},
            "provider": {"name": "bench", "url": "http://127.0.0.1"},
            "contact": {"name": "bench", "position": "bench", "address": "x", "city": "x", "stateorprovince": "x",
                        "postalcode": "x", "country": "x", "phone": "x", "fax": "x", "email": "x@example.org",
                        "url": "http://127.0.0.1", "hours": "x", "instructions": "x", "role": "pointOfContact"},
        },
        "resources": {
            "reports": {
                "type": "collection", "title": "Meldungen", "description": "Meldungen", "keywords": ["bench"],
                "links": [],
                "extents": {"spatial": {"bbox": list(AREA),
                                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
                "providers": [{
                    "type": "feature", "name": "PostgreSQL",
                    "data": {"host": db["HOST"] or "127.0.0.1", "port": int(db["PORT"] or 5432),
                             "dbname": db["NAME"], "user": db["USER"], "password": db["PASSWORD"],
                             "search_path": ["public"]},
                    "id_field": "id", "table": VIEW, "geom_field": "geom",
                }],
            },
        },
    }
    config_path, openapi_path = directory / "pygeoapi.yml", directory / "openapi.yml"
    # JSON is YAML: no YAML writer needed in the project's venv.
    config_path.write_text(json.dumps(config, indent=1))
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config_path), "PYGEOAPI_OPENAPI": str(openapi_path)}
    subprocess.run([str(BENCH_VENV / "bin" / "pygeoapi"), "openapi", "generate", str(config_path),
                    "--output-file", str(openapi_path)], check=True, env=env, capture_output=True)
    return config_path, openapi_path


def _since() -> str:
    moment = timezone.now() - timedelta(days=SINCE_DAYS)
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bbox_urls(items: str, extra: str = "") -> list[str]:
    bbox = ",".join(map(str, BBOX))
    return [f"{items}?bbox={bbox}&limit={LIMIT}&offset={OFFSETS[i % len(OFFSETS)]}{extra}"
            for i in range(REQUESTS)]


def _cql_urls(items: str) -> list[str]:
    from urllib.parse import quote

    cql = quote(f"status = '{STATUS}' AND created_at >= TIMESTAMP('{_since()}')")
    return [f"{items}?filter={cql}&filter-lang=cql2-text&limit={LIMIT}&offset={OFFSETS[i % len(OFFSETS)]}"
            for i in range(REQUESTS)]


def _raw_cql_urls(items: str) -> list[str]:
    return [f"{items}?status={STATUS}&since={_since()}&limit={LIMIT}&offset={OFFSETS[i % len(OFFSETS)]}"
            for i in range(REQUESTS)]


def _tile_urls(template: str) -> list[str]:
    z, y, x = Z14
    tiles = [(y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return [template.format(z=z, y=tiles[i % 9][0], x=tiles[i % 9][1]) for i in range(REQUESTS)]


def _sample(url: str) -> dict:
    return json.loads(http_get(url))


def _database_env() -> tuple[dict, str]:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"
    dsn = f"host={host} port={port} dbname={db['NAME']} user={db['USER']} password={db['PASSWORD']}"
    return {**os.environ, "DATABASE_URL": f"postgis://{url}", "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING", "RAW_OGC_DSN": dsn}, url


def _servers(tmp: Path) -> dict[str, GunicornServer]:
    """Every server of the comparison, started (the peers only when their venv installs)."""
    env, url = _database_env()
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    servers = {
        "ours": GunicornServer(gunicorn, "config.wsgi:application", OURS_PORT, env, ROOT, workers=WORKERS),
        "raw": GunicornServer(gunicorn, "bench.raw_ogc_wsgi:application", RAW_PORT, env, ROOT, workers=WORKERS),
    }
    if side_venv(BENCH_VENV, REQUIREMENTS, label="ogc") is not None:
        config_path, openapi_path = _pygeoapi_config(tmp)
        py_env = {**os.environ, "PYGEOAPI_CONFIG": str(config_path), "PYGEOAPI_OPENAPI": str(openapi_path)}
        servers["pygeoapi"] = GunicornServer(BENCH_VENV / "bin" / "gunicorn", "pygeoapi.flask_app:APP",
                                             PYGEOAPI_PORT, py_env, tmp, workers=WORKERS)
    if side_venv(TIPG_VENV, TIPG_REQUIREMENTS, label="ogc") is not None:
        tipg_env = {**os.environ, "DATABASE_URL": f"postgresql://{url}", "TIPG_DB_SCHEMAS": '["public"]',
                    "TIPG_DB_TABLES": f'["public.{VIEW}", "public.{TILE_VIEW}"]', "TIPG_TILE_BUFFER": "64",
                    "TIPG_DEBUG": "false", "TIPG_ADD_TILES_VIEWER": "false"}
        servers["tipg"] = GunicornServer(TIPG_VENV / "bin" / "gunicorn", "tipg.main:app", TIPG_PORT, tipg_env, tmp,
                                         workers=WORKERS, worker_class="uvicorn.workers.UvicornWorker")
    return servers


def _workloads(servers: dict) -> dict[tuple[str, str], list[str]]:
    """(workload, server) → the URLs to send, after checking that the servers agree."""
    ours = f"http://127.0.0.1:{OURS_PORT}/ogc/collections/reports"
    raw = f"http://127.0.0.1:{RAW_PORT}/items"
    work = {
        ("items", "ours"): _bbox_urls(f"{ours}/items", "&f=json"),
        ("items", "raw"): _bbox_urls(raw),
        ("cql2", "ours"): _cql_urls(f"{ours}/items"),
        ("cql2", "raw"): _raw_cql_urls(raw),
        ("tile", "ours"): _tile_urls(ours + "/tiles/WebMercatorQuad/{z}/{y}/{x}"),
    }
    if "pygeoapi" in servers:
        work["items", "pygeoapi"] = _bbox_urls(f"http://127.0.0.1:{PYGEOAPI_PORT}/collections/reports/items",
                                               "&f=json")
    if "tipg" in servers:
        tipg = f"http://127.0.0.1:{TIPG_PORT}/collections/public.{TILE_VIEW}"
        work["items", "tipg"] = _bbox_urls(f"http://127.0.0.1:{TIPG_PORT}/collections/public.{VIEW}/items",
                                           "&f=geojson")
        # tipg writes {z}/{x}/{y}, OGC's {tileMatrix}/{tileRow}/{tileCol} is z/y/x.
        work["tile", "tipg"] = _tile_urls(tipg + "/tiles/WebMercatorQuad/{z}/{x}/{y}")
    for kind in ("items", "cql2"):
        expected = _sample(work[kind, "ours"][1])
        for (other, name), urls in work.items():
            if other == kind and name != "ours":
                found = _sample(urls[1])
                same = (found["numberMatched"], len(found["features"])) == (
                    expected["numberMatched"], expected["numberReturned"])
                assert same, (f"{name} disagrees on {kind}", found["numberMatched"], expected["numberMatched"])
    if ("tile", "tipg") in work:
        import mapbox_vector_tile

        def count(url):
            layers = mapbox_vector_tile.decode(http_get(url))
            return sum(len(layer["features"]) for layer in layers.values())

        # Ours also carries the points of the 64-unit buffer around the tile (so symbols on the
        # edge are not cut); tipg selects the points inside the tile only and clips to the buffer.
        ours_n, tipg_n = count(work["tile", "ours"][4]), count(work["tile", "tipg"][4])
        assert 0.8 * ours_n <= tipg_n <= ours_n, ("tiles disagree", ours_n, tipg_n)
        TILE_FEATURES.update(ours=ours_n, tipg=tipg_n)
    return work


def run() -> None:
    _setup()
    try:
        with tempfile.TemporaryDirectory(prefix="ogc-bench-") as tmp:
            servers = _servers(Path(tmp))
            try:
                _run(servers)
            finally:
                for server in servers.values():
                    server.stop()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP VIEW IF EXISTS {VIEW}, {TILE_VIEW}")


def _run(servers: dict[str, GunicornServer]) -> None:
    ready = {"ours": "/ogc/collections/reports/items?limit=1", "raw": f"/items?bbox={','.join(map(str, BBOX))}",
             "pygeoapi": "/collections/reports/items?f=json&limit=1",
             "tipg": f"/collections/public.{VIEW}/items?limit=1"}
    for name, server in servers.items():
        server.wait_ready(ready[name])
    work = _workloads(servers)
    for urls in work.values():  # warm-up: connections, caches, imports in every worker
        drive(urls[:40], http_get, clients=CLIENTS)
    best: dict[tuple[str, str], tuple[float, float]] = {}
    for _round in range(ROUNDS):
        for key, urls in work.items():
            rps, latencies = drive(urls, http_get, clients=CLIENTS)
            if key not in best or rps > best[key][0]:
                best[key] = (rps, percentile_ms(latencies, 50))

    def fig(kind: str, name: str) -> str:
        rps, p50 = best[kind, name]
        return f"{name} {rps:,.0f} req/s (p50 {p50:.1f} ms)"

    def ratio(kind: str, slower: str, faster: str) -> float:
        return best[kind, faster][0] / best[kind, slower][0]

    setting = f"{REQUESTS} requests, {CLIENTS} clients, {WORKERS} gunicorn workers each, best of {ROUNDS} rounds"
    matched = _sample(work["items", "ours"][0])["numberMatched"]
    print(f"ogc items: GET /collections/reports/items (bbox of {matched:,} of {REPORTS:,} reports, limit {LIMIT}; "
          f"{setting}): {fig('items', 'ours')}, {fig('items', 'raw')}; raw/ours {ratio('items', 'ours', 'raw'):.2f}x "
          "(target <= 1.3x)")
    for peer, target in (("pygeoapi", "target >= 3x"), ("tipg", "no target")):
        if ("items", peer) in best:
            print(f"ogc items: {fig('items', 'ours')}, {fig('items', peer)}; ours/{peer} "
                  f"{ratio('items', peer, 'ours'):.2f}x ({target})")
        else:
            print(f"ogc items: {peer} could not be installed; left out")
    cql_matched = _sample(work["cql2", "ours"][0])["numberMatched"]
    print(f"ogc cql2: filter=status = '{STATUS}' AND created_at >= TIMESTAMP(..) ({cql_matched:,} matches, limit "
          f"{LIMIT}): {fig('cql2', 'ours')}, {fig('cql2', 'raw')} (the same WHERE by hand); raw/ours "
          f"{ratio('cql2', 'ours', 'raw'):.2f}x")
    if ("tile", "tipg") in best:
        print(f"ogc tiles: z{Z14[0]} reports tiles (3x3 around {Z14[2]}/{Z14[1]}): {fig('tile', 'ours')}, "
              f"{fig('tile', 'tipg')}; ours/tipg {ratio('tile', 'tipg', 'ours'):.2f}x "
              f"(points in the middle tile: ours {TILE_FEATURES['ours']} with the buffer, "
              f"tipg {TILE_FEATURES['tipg']})")
    else:
        print(f"ogc tiles: {fig('tile', 'ours')}; tipg could not be installed, no comparison")
