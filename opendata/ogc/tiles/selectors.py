"""Reads behind the vector tiles: one Mapbox Vector Tile (MVT 2.1) per request, rendered by
PostGIS (`ST_TileEnvelope`, `ST_AsMVTGeom`, `ST_AsMVT`) in one statement.

Layers of a tile (the MVT layer names):

- `reports` (zoom >= TILES_AGGREGATE_BELOW_ZOOM): the public reports as points, read from
  `reporter.public.PUBLIC_REPORT_VIEW` only (hidden reports never, snapped coordinates),
  with the report id as feature id and the properties `category` (slug), `status`, `supporter_count`, `created_at`
  (RFC 3339, UTC) — the public fields a map symbol needs, language-independent, so the tile
  is the same for every visitor and cache;
- `report-counts` (lower zooms): one point per grid cell at the mean position of its
  reports, with `count` and one count per status (`open`, `resolved`, …), read from the
  pre-aggregated `ReportCell` (see `aggregates`);
- `jurisdiction-<slug>`: the layer's polygons with `name`, `code`, `authority`;
- `resource-<uuid>`: the resource's features with their properties (jsonb keys).

Geometries are clipped to the tile plus a 64/4096 buffer (symbols and strokes at the edge
draw whole) and quantised to the 4096 extent, as ST_AsMVTGeom does.

Tiles and their versions are read on `config.db_router.read_connection` (the read replica in
a GET). The view reads a source's version before its tile, from the same database, so a tile
is never labelled with a version newer than its content (a replica replaying in between only
makes the content newer than its label, which the next version's ETag replaces).
"""
from django.db import connection

from config.db_router import read_connection
from geodata.models import JurisdictionArea
from reporter.models import Report
from reporter.public import PUBLIC_REPORT_VIEW
from routing_rules.models import Category

from ...models import ResourceFeature
from ..selectors import Collection
from .aggregates import aggregate_levels
from .matrix import TileAddress
from .models import ReportCell
from .versions import LAYERS, REPORT_CELLS, REPORTS, RESOURCES

__all__ = ["EXTENT", "BUFFER", "REPORT_COUNTS_LAYER", "REPORTS_LAYER", "tile_layers", "tile_render",
           "tile_source"]

EXTENT = 4096
BUFFER = 64
REPORTS_LAYER = "reports"
REPORT_COUNTS_LAYER = "report-counts"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def tile_source(*, collection: Collection, z: int) -> str:
    """The source (`versions`) a tile of `collection` at zoom `z` is made from."""
    if collection.kind == "reports":
        return REPORT_CELLS if aggregate_levels().covers(z) else REPORTS
    return LAYERS if collection.kind == "layer" else RESOURCES


def tile_layers(*, collection: Collection) -> list[dict]:
    """The MVT layers of `collection`'s tiles: id, zoom range, fields (name: type) and
    geometry type, for the tileset metadata and the TileJSON."""
    if collection.kind == "reports":
        levels = aggregate_levels()
        counts = {"count": "Number", **{status: "Number" for status in Report.Status.values}}
        layers = []
        if levels.below_zoom:
            layers.append({"id": REPORT_COUNTS_LAYER, "geometry_type": "points", "fields": counts,
                           "minzoom": 0, "maxzoom": levels.below_zoom - 1})
        layers.append({"id": REPORTS_LAYER, "geometry_type": "points", "minzoom": levels.below_zoom,
                       "fields": {"category": "String", "status": "String",
                                  "supporter_count": "Number", "created_at": "String"}})
        return layers
    if collection.kind == "layer":
        return [{"id": collection.id, "geometry_type": "polygons",
                 "fields": {"name": "String", "code": "String", "authority": "String"}}]
    return [{"id": collection.id, "geometry_type": None, "fields": {}}]


_ENVELOPE = "ST_TileEnvelope(%(z)s, %(x)s, %(y)s)"
# The tile with its buffer, in the stored CRS (EPSG:4326): the index condition.
_SEARCH = f"ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {BUFFER / EXTENT}), 4326)"


def _mvt_geom(geometry_4326: str) -> str:
    return f"ST_AsMVTGeom(ST_Transform({geometry_4326}, 3857), {_ENVELOPE}, {EXTENT}, {BUFFER}, true)"


def _reports_sql() -> str:
    return (f"SELECT t.id, c.slug AS category, t.status, t.supporter_count, "
            f"to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
            f"{_mvt_geom('t.location')} AS geom "
            f"FROM {PUBLIC_REPORT_VIEW} t JOIN {_table(Category)} c ON c.id = t.category_id "
            f"WHERE t.location && {_SEARCH}")


def _report_counts_sql(*, bits: int) -> str:
    # The cells of level z + bits inside tile (z, x, y) are columns x << bits .. ((x + 1) << bits) - 1.
    per_status = ", ".join(f"sum(c.count) FILTER (WHERE c.status = '{s}')::int AS \"{s}\""
                           for s in Report.Status.values)
    return (f"SELECT sum(c.count)::int AS count, {per_status}, "
            f"ST_AsMVTGeom(ST_Point(sum(c.sum_x) / sum(c.count), sum(c.sum_y) / sum(c.count), 3857), "
            f"{_ENVELOPE}, {EXTENT}, {BUFFER}, true) AS geom "
            f"FROM {_table(ReportCell)} c WHERE c.level = %(z)s + {bits} "
            f"AND c.cx BETWEEN %(x)s << {bits} AND ((%(x)s + 1) << {bits}) - 1 "
            f"AND c.cy BETWEEN %(y)s << {bits} AND ((%(y)s + 1) << {bits}) - 1 "
            f"GROUP BY c.cx, c.cy")


def _layer_sql() -> str:
    return (f"SELECT t.id, t.name, t.code, t.authority, {_mvt_geom('t.geom')} AS geom "
            f"FROM {_table(JurisdictionArea)} t "
            f"WHERE t.layer_id = %(key)s AND t.geom && {_SEARCH}")


def _resource_sql() -> str:
    return (f"SELECT t.fid AS id, t.properties, {_mvt_geom('t.geometry')} AS geom "
            f"FROM {_table(ResourceFeature)} t "
            f"WHERE t.resource_id = %(key)s AND t.geometry && {_SEARCH}")


_MODELS = {"reports": Report, "layer": JurisdictionArea, "resource": ResourceFeature}


def tile_render(*, collection: Collection, tile: TileAddress) -> bytes:
    """The MVT of `collection` at `tile`; empty bytes when no feature touches it."""
    params = {"z": tile.z, "x": tile.x, "y": tile.y, "key": collection.key}
    feature_id = "'id'"
    if collection.kind == "reports":
        levels = aggregate_levels()
        if levels.covers(tile.z):
            rows, layer, feature_id = _report_counts_sql(bits=levels.cell_bits), REPORT_COUNTS_LAYER, "NULL"
        else:
            rows, layer = _reports_sql(), REPORTS_LAYER
    elif collection.kind == "layer":
        rows, layer = _layer_sql(), collection.id
    else:
        rows, layer = _resource_sql(), collection.id
    params["layer"] = layer
    # Features clipped away entirely (geom NULL) are left out, so an empty tile is empty.
    sql = (f"SELECT ST_AsMVT(q, %(layer)s, {EXTENT}, 'geom', {feature_id}) "
           f"FROM ({rows}) q WHERE q.geom IS NOT NULL")
    with read_connection(_MODELS[collection.kind]).cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchone()[0]
    return bytes(data) if data else b""
