"""The streamed reports export (opendata.exports.writers) for 1,000,000 reports, GeoJSON and
CSV, against PostGIS's own `COPY (SELECT …) TO STDOUT` of the same rows and columns run by
`psql` into a file (the baseline: server-side rendering with no Python in between).

The rows are inserted with one `INSERT … SELECT generate_series` (10 % hidden, half the rest
approved). Peak memory: each export runs in a forked child whose peak RSS (`ru_maxrss`) is
compared with an idle child's, at 100,000 and at 1,000,000 rows, to show that memory does
not grow with the row count. Target: within 2x of the baseline.

`BENCH_EXPORT_ROWS` changes the row count (default 1,000,000).
"""
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from django.db import connection

from opendata.exports.sources import reports_source
from opendata.exports.writers import COPY_VERBATIM, csv_write, geojson_write
from reporter.models import Report
from routing_rules.models import Category, Department

from .common import clear_tables

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
SMALL = max(ROWS // 10, 1)

# Columns with bench-specific values; every other NOT NULL column gets the model default.
_VALUES = {
    "tracking_token": "md5(g::text)",
    "location": "ST_SetSRID(ST_MakePoint(12.0 + random() * 0.1, 50.85 + random() * 0.05), 4326)",
    "description": "'privat ' || g",
    "public_description": "'Öffentliche Beschreibung Nr. ' || g",
    "moderation": "CASE WHEN g %% 10 = 0 THEN 'hidden' WHEN g %% 2 = 0 THEN 'approved' ELSE 'pending' END",
    "status": "CASE WHEN g %% 3 = 0 THEN 'resolved' ELSE 'open' END",
    "closed_at": "CASE WHEN g %% 3 = 0 THEN now() - (g || ' seconds')::interval END",
    "created_at": "now() - (g || ' minutes')::interval",
    "updated_at": "now()",
    "supporter_count": "g %% 7",
    "reporter_email": "'person' || g || '@example.org'",
}


def _insert(*, start: int, stop: int, category_id: int, department_id: int) -> None:
    columns, values, params = [], [], []
    for field in Report._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.column in _VALUES:
            expression = _VALUES[field.column]
        elif field.column == "category_id":
            expression = str(int(category_id))
        elif field.column == "department_id":
            expression = str(int(department_id))
        elif field.null:
            continue
        else:
            expression = "%s"
            params.append(field.get_db_prep_save(field.get_default(), connection))
        columns.append(field.column)
        values.append(expression)
    sql = (f"INSERT INTO reporter_report ({', '.join(columns)}) SELECT {', '.join(values)} "
           f"FROM generate_series({int(start)}, {int(stop)}) AS g")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute("ANALYZE reporter_report")


def _psql_copy(sql: str, out: Path) -> float:
    """Seconds for `psql -c "COPY (sql) TO STDOUT …" > out`."""
    params = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(params.get("PASSWORD") or "")}
    command = ["psql", "-X", "-q", "-d", params["NAME"], "-c", sql]
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    t0 = time.perf_counter()
    with open(out, "wb") as fh:
        subprocess.run(command, env=env, stdout=fh, check=True)
    return time.perf_counter() - t0


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _child_peak_rss_kib(work) -> int:
    """Peak RSS (KiB) of a forked child running `work()` (None: an idle child)."""
    connection.close()  # the child opens its own connection
    pid = os.fork()
    if pid == 0:  # child
        code = 0
        try:
            if work is not None:
                work()
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _pid, status, usage = os.wait4(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "export failed in the child"
    return usage.ru_maxrss


def _memory(tmp: Path) -> dict:
    source = reports_source()

    def export():
        geojson_write(source=source, path=tmp / "m.geojson")
        csv_write(source=source, path=tmp / "m.csv")

    return {"idle": _child_peak_rss_kib(None), "export": _child_peak_rss_kib(export)}


def run() -> None:
    clear_tables()
    department = Department.objects.create(slug="bench", name="Tiefbauamt", email="bench@x.example")
    category = Category.objects.create(slug="schlagloch", name="Schlagloch", group="strasse",
                                       default_department=department)
    t0 = time.perf_counter()
    _insert(start=1, stop=SMALL, category_id=category.pk, department_id=department.pk)
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp_name:
        tmp = Path(tmp_name)
        small = _memory(tmp)
        _insert(start=SMALL + 1, stop=ROWS, category_id=category.pk, department_id=department.pk)
        seeded = time.perf_counter() - t0
        large = _memory(tmp)
        source = reports_source()
        with connection.cursor() as cursor:
            cursor.execute(source.count_sql())
            visible = cursor.fetchone()[0]

        geo_ours = _timed(lambda: geojson_write(source=source, path=tmp / "ours.geojson"))
        geo_base = _psql_copy(f"COPY ({source.geojson_sql()}) TO STDOUT {COPY_VERBATIM}", tmp / "base.geojson")
        csv_ours = _timed(lambda: csv_write(source=source, path=tmp / "ours.csv"))
        csv_base = _psql_copy(f"COPY ({source.csv_sql()}) TO STDOUT WITH (FORMAT csv, HEADER true)", tmp / "base.csv")
        sizes = {name: (tmp / name).stat().st_size for name in ("ours.geojson", "base.geojson", "ours.csv")}

    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"export: {ROWS:,} reports inserted in {seeded:.1f} s, {visible:,} public (hidden left out)")
    print(f"export: GeoJSON {geo_ours:.2f} s ({visible / geo_ours:,.0f} rows/s, {sizes['ours.geojson'] / 1e6:.0f} MB), "
          f"psql COPY of the same Features {geo_base:.2f} s; ratio {geo_ours / geo_base:.2f}x (target < 2x)")
    print(f"export: CSV {csv_ours:.2f} s ({sizes['ours.csv'] / 1e6:.0f} MB), psql COPY {csv_base:.2f} s; "
          f"ratio {csv_ours / csv_base:.2f}x (target < 2x)")
    print(f"export: peak RSS of the GeoJSON+CSV export above an idle process: "
          f"{(small['export'] - small['idle']) / 1024:.1f} MiB at {SMALL:,} rows, "
          f"{(large['export'] - large['idle']) / 1024:.1f} MiB at {ROWS:,} rows "
          f"(idle process {large['idle'] / 1024:.0f} MiB; this process {own_peak / 1024:.0f} MiB)")
    clear_tables()
