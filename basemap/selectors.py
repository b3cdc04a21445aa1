"""Reads of the basemap app: the current version, vector tiles, glyph files.

A tile is one Mapbox Vector Tile (MVT 2.1) with up to eight layers, built by PostGIS
(`ST_AsMVTGeom` clips and quantises to the 4096 grid, `ST_AsMVT` encodes) in one query. Each
layer appears from the zoom level where it is legible; at low zoom areas smaller than about
four pixels are left out, and minor roads and place kinds wait for their zoom. Tile layers:

    water (name, kind)        polygons      waterway (name, kind)   lines, z ≥ 8
    green (name, kind)        polygons, z≥10 building                polygons, z ≥ 14
    road (name, kind)         lines by class railway (kind)          lines, z ≥ 10
    place (name, kind)        points by kind
"""
import re
from pathlib import Path

from config.db_router import read_connection

from .conf import basemap_setting
from .models import BasemapImport, Building, GreenArea, PlaceLabel, Railway, Road, WaterArea, WaterLine

__all__ = ["TILE_LAYERS", "basemap_current", "tile_render", "glyph_path", "ROAD_MIN_ZOOM", "PLACE_MIN_ZOOM"]

EXTENT = 4096
BUFFER = 64  # tile units beyond the edge, so lines and labels continue across tiles
WORLD_M = 40075016.68557849  # EPSG:3857 width of the world (metres at the equator)
ROAD_MIN_ZOOM = {"motorway": 5, "trunk": 6, "primary": 8, "secondary": 9, "tertiary": 11, "residential": 12,
                 "service": 14, "path": 14}
PLACE_MIN_ZOOM = {"city": 0, "town": 6, "village": 10, "suburb": 10, "hamlet": 12, "quarter": 12,
                  "neighbourhood": 13, "locality": 14, "square": 14}
# MVT layer name → (model, attribute columns, first zoom, kind → first zoom or None, areas?)
TILE_LAYERS = {
    "water": (WaterArea, ("name", "kind"), 0, None, True),
    "waterway": (WaterLine, ("name", "kind"), 8, None, False),
    "green": (GreenArea, ("name", "kind"), 10, None, True),
    "building": (Building, (), 14, None, False),
    "railway": (Railway, ("kind",), 10, None, False),
    "road": (Road, ("name", "kind"), 5, ROAD_MIN_ZOOM, False),
    "place": (PlaceLabel, ("name", "kind"), 0, PLACE_MIN_ZOOM, False),
}
_RANGE = re.compile(r"^(\d{1,5})-(\d{1,5})$")


def basemap_current() -> BasemapImport | None:
    """The latest successful import (the basemap's version), or None before the first."""
    return BasemapImport.objects.only("pk", "attribution", "imported_at").first()


def tile_render(*, z: int, x: int, y: int) -> bytes:
    """The MVT bytes of tile z/x/y (XYZ scheme, y from the north); b"" when nothing is in it."""
    parts, params = [], {"z": z, "x": x, "y": y}
    # Polygons smaller than ~4 pixels (area in EPSG:3857 units²) are invisible: leave them out.
    pixel = WORLD_M / (256 * 2 ** z)
    params["min_area"] = 4 * pixel * pixel
    for name, (model, columns, min_zoom, kind_zoom, is_area) in TILE_LAYERS.items():
        if z < min_zoom:
            continue
        where = ["t.geom && e.env"]
        if kind_zoom is not None:
            kinds = [kind for kind, first in kind_zoom.items() if z >= first]
            where.append("t.kind = ANY(%(kinds_" + name + ")s)")
            params["kinds_" + name] = kinds
        if is_area and z < 14:
            where.append("ST_Area(t.geom) > %(min_area)s")
        select = "".join(f"t.{c}, " for c in columns)
        parts.append(
            f"""(SELECT COALESCE(ST_AsMVT(q, '{name}', {EXTENT}, 'geom'), ''::bytea) FROM (
                   SELECT {select}ST_AsMVTGeom(t.geom, e.env, {EXTENT}, {BUFFER}, true) AS geom
                   FROM {model._meta.db_table} t, e WHERE {' AND '.join(where)}) q WHERE q.geom IS NOT NULL)""")
    if not parts:
        return b""
    # ST_TileEnvelope answers in EPSG:3857, the tables' SRID (basemap.models.SRID).
    sql = (f"WITH e AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env) "
           f"SELECT {' || '.join(parts)}")
    # Any layer's model: the router answers for the whole statement (config.db_router).
    with read_connection(Road).cursor() as cursor:
        cursor.execute(sql, params)
        return bytes(cursor.fetchone()[0])


def glyph_path(*, fontstack: str, glyph_range: str) -> Path | None:
    """The glyph PBF for the first font of a comma-separated stack that we have, or None.

    Only configured font names are looked up (no path from the URL reaches the file system),
    and a range must be one of the 256 blocks "start-end" MapLibre asks for."""
    match = _RANGE.match(glyph_range)
    if not match:
        return None
    start, end = int(match[1]), int(match[2])
    if start % 256 or end != start + 255 or end > 65535:
        return None
    fonts = basemap_setting("FONTS")
    root = Path(basemap_setting("GLYPHS_DIR"))
    for font in (part.strip() for part in fontstack.split(",")):
        if font in fonts:
            candidate = root / font / f"{start}-{end}.pbf"
            if candidate.is_file():
                return candidate
    return None
