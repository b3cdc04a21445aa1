"""Reads of ingested vector features (`ResourceFeature`) for the previews: the SQL shared by the
admin's map preview of one resource (`opendata.geo.preview`) and the dataset page's map and
attribute tables (`opendata.portal.preview`), so that only their rendering differs.

Both reads take a list of resources and make one query, whatever its length: features are
read per resource through the (resource, fid) index (`LATERAL … ORDER BY fid LIMIT n`), so a
resource with many features costs no more than `limit` rows. Order is always the order of
the given resources, then file order (`fid`). Coordinates are WGS 84 lon/lat (EPSG:4326),
GeoJSON's axis order. Both run on `config.db_router.read_connection` (the read replica in a
GET), like the ORM reads of the resources they are given.
"""
import json
from collections.abc import Iterable

from config.db_router import read_connection

from ..models import Resource, ResourceFeature

__all__ = [
    "FEATURE_VERTICES_MAX", "PREVIEW_BYTES_MAX", "resource_attribute_rows", "resource_features_geojson",
    "resource_is_ingested", "resources_ingested",
]

_TABLE = ResourceFeature._meta.db_table

# The first `limit` features of each listed resource, with the resource's 1-based position
# (`ord`) in the list; the caller limits the total again.
_FIRST_FEATURES = f"""
    SELECT r.id AS resource_id, r.ord, f.fid, f.geometry, f.properties
    FROM unnest(%(ids)s::uuid[]) WITH ORDINALITY AS r(id, ord)
    CROSS JOIN LATERAL (
        SELECT fid, geometry, properties FROM {_TABLE}
        WHERE resource_id = r.id ORDER BY fid LIMIT %(limit)s
    ) f
"""

# Preview bounds. A feature of more than FEATURE_VERTICES_MAX vertices is first snapped to a
# grid of 1/SNAP_CELLS of its own extent (one linear pass: simplifying a line of 10^6
# vertices directly takes minutes, and ST_SimplifyPreserveTopology overflows the server's
# stack); if that still leaves too many vertices, the feature is drawn as its bounding box.
# What remains is simplified with the caller's tolerance in metres, topology kept, in
# EPSG:4326: the tolerance is converted with 1° = 111,320 m, the length of a degree of
# latitude; a degree of longitude is shorter, so the error stays within the tolerance in
# every direction. (Reprojecting to a metric CRS such as EPSG:25833 would fail for features
# far outside its zone, and the data may lie anywhere.) The collection ends before the
# feature that would take it past `max_bytes` of GeoJSON text.
FEATURE_VERTICES_MAX = 5000
SNAP_CELLS = 2000
METRES_PER_DEGREE = 111_320
PREVIEW_BYTES_MAX = 4_000_000

_PROPERTIES_ATTRIBUTES = "f.properties"
_PROPERTIES_RESOURCE = "json_build_object('resource', f.ord)"

_FEATURES_SQL = """
    WITH first AS ({first} ORDER BY r.ord, f.fid LIMIT %(limit)s),
    shaped AS (
        SELECT f.ord, f.fid, f.properties, CASE
                   WHEN ST_IsEmpty(pre.g) OR ST_NPoints(pre.g) > %(vertices_max)s THEN ST_Envelope(f.geometry)
                   ELSE ST_SimplifyPreserveTopology(pre.g, %(tolerance_degrees)s)
               END AS geometry
        FROM first f
        CROSS JOIN LATERAL (SELECT CASE
            WHEN ST_NPoints(f.geometry) <= %(vertices_max)s THEN f.geometry
            ELSE ST_RemoveRepeatedPoints(ST_SnapToGrid(f.geometry, greatest(
                ST_XMax(f.geometry) - ST_XMin(f.geometry), ST_YMax(f.geometry) - ST_YMin(f.geometry)) / %(cells)s))
        END AS g) pre
    ),
    written AS (
        SELECT f.ord, f.fid, json_build_object(
                   'type', 'Feature', 'id', f.fid,
                   'geometry', ST_AsGeoJSON(f.geometry, %(decimals)s)::json,
                   'properties', {properties}
               )::text AS feature
        FROM shaped f
    ),
    bounded AS (
        SELECT ord, fid, feature, sum(octet_length(feature)) OVER (ORDER BY ord, fid) AS bytes FROM written
    )
    SELECT '{{"type": "FeatureCollection", "features": ['
           || coalesce(string_agg(feature, ', ' ORDER BY ord, fid), '') || ']}}'
    FROM bounded WHERE bytes <= %(max_bytes)s
"""

_ROWS_SQL = f"SELECT resource_id, fid, properties::text FROM ({_FIRST_FEATURES}) f ORDER BY ord, fid"


def resource_is_ingested(resource: Resource) -> bool:
    """Whether the resource's features are in ResourceFeature (`geo_ingest["status"] == "ok"`)."""
    return (resource.geo_ingest or {}).get("status") == "ok"


def resources_ingested(resources: Iterable[Resource]) -> list[Resource]:
    """The ingested ones of `resources`, in their order (see `resource_is_ingested`)."""
    return [r for r in resources if resource_is_ingested(r)]


def resource_features_geojson(
    *, resources: list[Resource], limit: int, decimals: int, simplify_tolerance_m: float = 0.1,
    attributes: bool = True, max_bytes: int = PREVIEW_BYTES_MAX,
) -> dict:
    """The first `limit` features of `resources` (in their order, then by fid) as one GeoJSON
    FeatureCollection for a preview map, built by PostgreSQL in one query with `decimals`
    decimals (7 ≈ 1 cm, 6 ≈ 0.1 m) and bounded whatever the data: geometries are simplified
    with `simplify_tolerance_m` metres (topology kept), one feature keeps at most
    FEATURE_VERTICES_MAX vertices (else it is snapped to a grid, at worst drawn as its
    bounding box) and the collection stops before `max_bytes` of GeoJSON text. Display only:
    the stored features are not changed.

    Each feature's `properties` are its attributes, or with `attributes=False` only
    `{"resource": n}`, n the 1-based position of its resource in `resources` (to tell
    resources apart on a map without sending their attributes).
    """
    if not resources:
        return {"type": "FeatureCollection", "features": []}
    sql = _FEATURES_SQL.format(
        properties=_PROPERTIES_ATTRIBUTES if attributes else _PROPERTIES_RESOURCE, first=_FIRST_FEATURES)
    params = {
        "ids": [r.id for r in resources], "limit": limit, "decimals": decimals,
        "tolerance_degrees": simplify_tolerance_m / METRES_PER_DEGREE, "vertices_max": FEATURE_VERTICES_MAX,
        "cells": SNAP_CELLS, "max_bytes": max_bytes,
    }
    with read_connection(ResourceFeature).cursor() as cursor:
        cursor.execute(sql, params)
        return json.loads(cursor.fetchone()[0])


def resource_attribute_rows(*, resources: list[Resource], limit: int) -> dict:
    """{resource id: [(fid, properties), …]}: the first `limit` features of each resource by
    fid, one query for all; a resource without features has no key."""
    if not resources:
        return {}
    rows: dict = {}
    with read_connection(ResourceFeature).cursor() as cursor:
        cursor.execute(_ROWS_SQL, {"ids": [r.id for r in resources], "limit": limit})
        for resource_id, fid, properties in cursor.fetchall():
            rows.setdefault(resource_id, []).append((fid, json.loads(properties) if properties else {}))
    return rows
