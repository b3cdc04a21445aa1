"""What the generated datasets contain, as SQL over the public view of reports
(`reporter.public`, the one owner of what is public), `routing_rules` and `geodata`. This is
the only place that names exported columns:

- reports: what the public view holds — no names, emails, phones, original description,
  internal notes or photos; the moderated text; no hidden report; coordinates already
  snapped to STADTMELDER["PUBLIC_COORDINATE_DECIMALS"] decimals, written with as many;
- jurisdiction areas: name, code, responsible authority and attributes of each polygon.

Coordinates are WGS 84 (EPSG:4326), lon/lat. Timestamps are ISO 8601 in UTC, to the second:
text "2026-03-02T10:00:00Z" in GeoJSON and CSV; in the GeoPackage a DateTime column (GPKG
stores DATETIME as ISO 8601 UTC text with its type in the schema, so GIS tools read dates).
The SQL is read-only; its only parameters are integers validated here.
"""
from dataclasses import dataclass

from reporter.public import PUBLIC_REPORT_VIEW, public_decimals

__all__ = ["ExportColumn", "ExportSource", "layer_source", "reports_source", "REPORT_COLUMNS"]


@dataclass(frozen=True)
class ExportColumn:
    name: str
    sql: str  # value in CSV and GeoPackage
    json_sql: str = ""  # value in GeoJSON properties, if different (e.g. a nested object)
    gpkg_sql: str = ""  # value in the GeoPackage, if different (a typed value instead of text)


@dataclass(frozen=True)
class ExportSource:
    """One exported table: attribute columns, a geometry and the rows (FROM … WHERE … ORDER BY)."""

    layer_name: str  # GeoPackage layer and GeoJSON `name`
    id_sql: str  # the feature id (GeoJSON `id`)
    columns: tuple[ExportColumn, ...]
    geometry_sql: str  # EPSG:4326, already rounded where rounding applies
    geometry_type: str  # for ogr2ogr -nlt: POINT, MULTIPOLYGON
    geojson_decimals: int
    # CSV: lon/lat columns (points; a point on the surface of polygons) and extra columns (WKT)
    csv_lon_sql: str
    csv_lat_sql: str
    rows_sql: str  # FROM … WHERE … ORDER BY …
    csv_extra: tuple[ExportColumn, ...] = ()

    @property
    def csv_header(self) -> list[str]:
        return [c.name for c in self.columns] + ["lon", "lat"] + [c.name for c in self.csv_extra]

    def geojson_sql(self) -> str:
        """One row per feature: the GeoJSON Feature as compact JSON text."""
        properties = ", ".join(f"'{c.name}', {c.json_sql or c.sql}" for c in self.columns)
        return (f"SELECT json_build_object('type', 'Feature', 'id', {self.id_sql}, "
                f"'geometry', ST_AsGeoJSON({self.geometry_sql}, {self.geojson_decimals})::json, "
                f"'properties', json_build_object({properties}))::text {self.rows_sql}")

    def csv_sql(self) -> str:
        values = [f'{c.sql} AS "{c.name}"' for c in self.columns]
        values += [f'{self.csv_lon_sql} AS "lon"', f'{self.csv_lat_sql} AS "lat"']
        values += [f'{c.sql} AS "{c.name}"' for c in self.csv_extra]
        return f"SELECT {', '.join(values)} {self.rows_sql}"

    def gpkg_sql(self) -> str:
        values = [f'{c.gpkg_sql or c.sql} AS "{c.name}"' for c in self.columns]
        return f"SELECT {', '.join(values)}, {self.geometry_sql} AS geom {self.rows_sql}"

    def count_sql(self) -> str:
        return f"SELECT count(*) {self.rows_sql.split(' ORDER BY ')[0]}"


def _iso_utc(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


def _timestamp_column(name: str, column: str) -> ExportColumn:
    """A timestamptz column: ISO 8601 UTC text in GeoJSON/CSV, a DateTime (to the second,
    timestamptz so ogr2ogr knows it is UTC) in the GeoPackage."""
    return ExportColumn(name, _iso_utc(column), gpkg_sql=f"date_trunc('second', {column})")


REPORT_COLUMNS = ("id", "category", "category_name", "status", "public_description", "created_at", "closed_at",
                  "supporter_count", "department")
REPORTS_FROM = f"""FROM {PUBLIC_REPORT_VIEW} r
JOIN routing_rules_category c ON c.id = r.category_id
JOIN routing_rules_department d ON d.id = r.department_id"""


def reports_source() -> ExportSource:
    """The public reports (see the module docstring for what is and is not in them)."""
    d = public_decimals()
    lon, lat = f"round(ST_X(r.location)::numeric, {d})", f"round(ST_Y(r.location)::numeric, {d})"
    columns = (
        ExportColumn("id", "r.id"),
        ExportColumn("category", "c.slug"),
        ExportColumn("category_name", "c.name"),
        ExportColumn("status", "r.status"),
        ExportColumn("public_description", "r.description"),
        _timestamp_column("created_at", "r.created_at"),
        _timestamp_column("closed_at", "r.closed_at"),
        ExportColumn("supporter_count", "r.supporter_count"),
        ExportColumn("department", "d.name"),
    )
    return ExportSource(
        layer_name="meldungen", id_sql="r.id", columns=columns,
        geometry_sql=f"ST_SetSRID(ST_MakePoint({lon}::float8, {lat}::float8), 4326)", geometry_type="POINT",
        geojson_decimals=d, csv_lon_sql=lon, csv_lat_sql=lat, rows_sql=f"{REPORTS_FROM} ORDER BY r.id",
    )


LAYER_DECIMALS = 7  # about 1 cm: polygons are published as imported


def layer_source(*, layer_id: int, layer_slug: str) -> ExportSource:
    """The areas (polygons) of one jurisdiction layer."""
    if isinstance(layer_id, bool) or not isinstance(layer_id, int):
        raise TypeError("layer_id must be an integer")
    n = LAYER_DECIMALS
    return ExportSource(
        layer_name=layer_slug.lower(), id_sql="a.id",
        columns=(
            ExportColumn("id", "a.id"),
            ExportColumn("name", "a.name"),
            ExportColumn("code", "a.code"),
            ExportColumn("authority", "a.authority"),
            ExportColumn("attributes", "a.attributes::text", json_sql="a.attributes"),
        ),
        geometry_sql="ST_Multi(a.geom)", geometry_type="MULTIPOLYGON", geojson_decimals=n,
        csv_lon_sql=f"round(ST_X(ST_PointOnSurface(a.geom))::numeric, {n})",
        csv_lat_sql=f"round(ST_Y(ST_PointOnSurface(a.geom))::numeric, {n})",
        csv_extra=(ExportColumn("wkt", f"ST_AsText(a.geom, {n})"),),
        rows_sql=f"FROM geodata_jurisdictionarea a WHERE a.layer_id = {layer_id} ORDER BY a.id",
    )
