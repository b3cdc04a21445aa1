"""Streaming writers for an `ExportSource`: rows go from PostGIS to the file in chunks and
never become Python objects, so memory does not grow with the number of rows.

- GeoJSON: PostGIS builds each Feature (`json_build_object`, `ST_AsGeoJSON`); the rows come
  through `COPY … TO STDOUT` (psycopg 3 `cursor.copy()`). COPY's CSV format with a delimiter
  and quote character that JSON never contains unescaped (U+0001, U+0002) passes the JSON
  text through verbatim, one Feature per line (JSON text has no raw newlines); the writer
  turns the line breaks into the commas of the FeatureCollection's array.
- CSV: `COPY (SELECT …) TO STDOUT WITH (FORMAT csv, HEADER)` in UTF-8, written as it comes.
- GeoPackage: GDAL's `ogr2ogr` reads the same SELECT from PostgreSQL (`PG:` connection from
  settings.DATABASES, password through the environment, never on the command line) with
  a cursor and writes the file in transactions; EPSG:4326 with a spatial index.

They read the primary (`django.db.connection`): an export is built by a Celery task, which
publishes what it read (config.db_router, rule 1), not in a request that may use the replica.
"""
import json
import os
import subprocess
from pathlib import Path

from django.db import connection

from .conf import export_setting
from .sources import ExportSource

__all__ = ["COPY_VERBATIM", "ExportWriteError", "csv_write", "geojson_write", "gpkg_write"]

# JSON (RFC 8259) escapes every control character, so these never occur in its text.
COPY_VERBATIM = "WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02', ENCODING 'UTF8')"


class ExportWriteError(Exception):
    """A file could not be written; the message says why (German)."""


def _copy(sql: str):
    """Yield the chunks (bytes) of `COPY (sql) TO STDOUT …`."""
    with connection.cursor() as cursor:
        with cursor.cursor.copy(sql) as copy:
            for chunk in copy:
                yield bytes(chunk)


def geojson_write(*, source: ExportSource, path: Path) -> int:
    """Write the FeatureCollection to `path`; returns the number of features."""
    header = json.dumps({"type": "FeatureCollection", "name": source.layer_name}, ensure_ascii=False)[:-1]
    count = 0
    with open(path, "wb") as fh:
        fh.write(header.encode() + b', "features": [\n')
        for chunk in _copy(f"COPY ({source.geojson_sql()}) TO STDOUT {COPY_VERBATIM}"):
            count += chunk.count(b"\n")
            fh.write(chunk.replace(b"\n", b",\n"))
        if count:
            fh.seek(-2, os.SEEK_END)  # the comma after the last feature
            fh.truncate()
            fh.write(b"\n")
        fh.write(b"]}\n")
    return count


def csv_write(*, source: ExportSource, path: Path) -> None:
    """Write the CSV (UTF-8, header row, lon/lat columns) to `path`."""
    with open(path, "wb") as fh:
        for chunk in _copy(f"COPY ({source.csv_sql()}) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"):
            fh.write(chunk)


def _pg_source() -> tuple[str, dict]:
    """The `PG:` connection string for GDAL and the environment carrying the password."""
    params = connection.settings_dict
    parts = {"dbname": params["NAME"], "host": params.get("HOST"), "port": params.get("PORT"),
             "user": params.get("USER")}

    def quoted(value) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return "PG:" + " ".join(f"{key}={quoted(value)}" for key, value in parts.items() if value), env


def gpkg_write(*, source: ExportSource, path: Path, title: str = "", description: str = "") -> None:
    """Write the GeoPackage (one layer, EPSG:4326) to `path` with ogr2ogr."""
    pg, env = _pg_source()
    command = [
        "ogr2ogr", "-f", "GPKG", str(path), pg, "-sql", source.gpkg_sql(), "-nln", source.layer_name,
        "-nlt", source.geometry_type, "-a_srs", "EPSG:4326", "-lco", "SPATIAL_INDEX=YES",
        "-lco", f"IDENTIFIER={title or source.layer_name}", "-lco", f"DESCRIPTION={description}",
    ]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True,
                              timeout=export_setting("EXPORT_TIMEOUT"), check=False)
    except FileNotFoundError as exc:
        raise ExportWriteError("ogr2ogr (GDAL, Debian-Paket gdal-bin) ist nicht installiert.") from exc
    except subprocess.TimeoutExpired as exc:
        raise ExportWriteError(f"ogr2ogr hat nach {exc.timeout} s abgebrochen.") from exc
    if done.returncode != 0 or not path.exists():
        detail = (done.stderr or done.stdout or "").strip().splitlines()[-3:]
        raise ExportWriteError(f"ogr2ogr ist fehlgeschlagen (Exit-Code {done.returncode}): {' '.join(detail)}")
