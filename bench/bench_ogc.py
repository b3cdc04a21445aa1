"""OGC API – Features items of the `reports` collection: our `/ogc/` endpoint against pygeoapi
serving the same reports, both under gunicorn with the same number of workers on 127.0.0.1.

20,000 reports are created in the bench database. pygeoapi (with its PostgreSQL provider)
reads a view holding exactly the public fields our collection publishes (the same joins to
category and department, hidden reports left out), so both do the same work: count the
matches of the bbox, fetch one page, write GeoJSON. pygeoapi lives in its own venv
`.venv-bench`, created here from the pinned `bench/requirements-pygeoapi.txt` (it is not a
dependency of the project); its configuration goes to a temporary directory.

Each server gets the same bounded number of requests (same page size, same bbox, a few
offsets) from CLIENTS concurrent keep-alive-free clients; the figure is requests per second
and its ratio to pygeoapi's. Target: at least 3x. If pygeoapi cannot be installed, the
baseline is the bare SQL statement doing the same work, from Python.
"""
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import connection

from reporter.models import Report
from routing_rules.models import Category, Department

from .common import GunicornServer as _Server
from .common import clear_tables

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
REQUIREMENTS = Path(__file__).with_name("requirements-pygeoapi.txt")

REPORTS = 20_000
REQUESTS = 400
CLIENTS = 4
WORKERS = 2
LIMIT = 100
OFFSETS = (0, 100, 500, 1000)
AREA = (11.95, 50.80, 12.20, 50.95)  # where the reports lie (lon/lat, WGS 84)
BBOX = (12.00, 50.82, 12.15, 50.92)  # what the clients ask for: about half of them
OURS_PORT, PYGEOAPI_PORT = 8761, 8762
VIEW = "bench_ogc_reports"


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
        cursor.execute("ANALYZE reporter_report")


def _bench_venv() -> Path | None:
    """`.venv-bench` with the pinned pygeoapi (re-created when the pins change), or None."""
    stamp = BENCH_VENV / ".requirements.sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return BENCH_VENV
    print(f"ogc: installing pygeoapi into {BENCH_VENV} (pinned, once) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)], check=True)
        subprocess.run([str(BENCH_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
                        "-r", str(REQUIREMENTS)], check=True, timeout=900, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        print(f"ogc: pygeoapi could not be installed: {exc.stderr.strip().splitlines()[-1:]}")
        return None
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"ogc: pygeoapi could not be installed: {exc}")
        return None
    stamp.write_text(digest)
    return BENCH_VENV


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


def _load(urls: list[str]) -> float:
    """Send every URL once from CLIENTS threads; requests per second."""
    queue = list(urls)
    lock = threading.Lock()
    errors: list[str] = []

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                url = queue.pop()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    response.read()
            except OSError as exc:
                errors.append(f"{url}: {exc}")

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return len(urls) / elapsed


def _urls(base: str) -> list[str]:
    bbox = ",".join(map(str, BBOX))
    return [f"{base}/collections/reports/items?f=json&bbox={bbox}&limit={LIMIT}&offset={OFFSETS[i % len(OFFSETS)]}"
            for i in range(REQUESTS)]


def _measure(server: _Server, base: str) -> tuple[float, dict]:
    try:
        server.wait_ready(base.removeprefix(server.url) + "/collections/reports/items?f=json&limit=1")
        urls = _urls(base)
        with urllib.request.urlopen(urls[0], timeout=60) as response:
            sample = json.loads(response.read())
        _load(urls[:40])  # warm-up: connections, caches, imports in every worker
        return _load(urls), sample
    finally:
        server.stop()


def _raw_sql_rps() -> float:
    from opendata.ogc.params import ItemsQuery
    from opendata.ogc.selectors import ogc_collection_get, ogc_feature_page

    collection = ogc_collection_get(collection_id="reports")
    queries = [ItemsQuery(limit=LIMIT, offset=OFFSETS[i % len(OFFSETS)], bboxes=(BBOX,)) for i in range(REQUESTS)]
    start = time.perf_counter()
    for query in queries:
        ogc_feature_page(collection=collection, query=query)
    return REQUESTS / (time.perf_counter() - start)


def run() -> None:
    _setup()
    try:
        _run()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP VIEW IF EXISTS {VIEW}")


def _run() -> None:
    db = connection.settings_dict
    database_url = (f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                    f"{db['NAME']}")
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "LOG_LEVEL": "WARNING"}
    ours_rps, ours_sample = _measure(
        _Server(ROOT / ".venv" / "bin" / "gunicorn", "config.wsgi:application", OURS_PORT, env, ROOT),
        f"http://127.0.0.1:{OURS_PORT}/ogc")
    matched = ours_sample["numberMatched"]
    head = (f"ogc: GET /collections/reports/items (bbox of ~{matched:,} of {REPORTS:,} reports, limit {LIMIT}, "
            f"{REQUESTS} requests, {CLIENTS} clients, {WORKERS} gunicorn workers each): ours {ours_rps:,.0f} req/s")

    venv = _bench_venv()
    if venv is None:
        raw = _raw_sql_rps()
        print(f"{head}; pygeoapi unavailable, bare SQL page+count {raw:,.0f} q/s; "
              f"ratio {ours_rps / raw:.2f}x of the SQL alone")
        return
    with tempfile.TemporaryDirectory(prefix="pygeoapi-bench-") as tmp:
        config_path, openapi_path = _pygeoapi_config(Path(tmp))
        py_env = {**os.environ, "PYGEOAPI_CONFIG": str(config_path), "PYGEOAPI_OPENAPI": str(openapi_path)}
        py_rps, py_sample = _measure(
            _Server(venv / "bin" / "gunicorn", "pygeoapi.flask_app:APP", PYGEOAPI_PORT, py_env, Path(tmp)),
            f"http://127.0.0.1:{PYGEOAPI_PORT}")
    same = (py_sample["numberMatched"], len(py_sample["features"])) == (matched, ours_sample["numberReturned"])
    assert same, ("the two servers disagree", py_sample["numberMatched"], matched)
    print(f"{head}, pygeoapi {py_rps:,.0f} req/s; ratio {ours_rps / py_rps:.2f}x (target >= 3x)")
