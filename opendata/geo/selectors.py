"""Reads of ingested vector features (`ResourceFeature`) for the previews: the SQL shared by the
admin's folium preview of one resource (`opendata.geo.preview`) and the dataset page's map and
attribute tables (`opendata.portal.preview`), so that only their rendering differs.

Both reads take a list of resources and make one query, whatever its length: features are
read per resource through the (resource, fid) index (`LATERAL … ORDER BY fid LIMIT n`), so a
resource with many features costs no more than `limit` rows. Order is always the order of
the given resources, then file order (`fid`). Coordinates are WGS 84 lon/lat (EPSG:4326),
GeoJSON's axis order.
"""
import json
from collections.abc import Iterable

from django.db import connection

from ..models import Resource, ResourceFeature

__all__ = ["resource_attribute_rows", "resource_features_geojson", "resource_is_ingested", "resources_ingested"]

_TABLE = ResourceFeature._meta.db_table

# The first `limit` features of each listed resource, with the resource's 1-based position
# (`ord`) in the list; the caller limits the total again.
_FIRST_FEATURES = f"""
    SELECT r.id AS resource_id, r.ord, f.fid, f.geometry, f.properties
    FROM unnest(%s::uuid[]) WITH ORDINALITY AS r(id, ord)
    CROSS JOIN LATERAL (
        SELECT fid, geometry, properties FROM {_TABLE}
        WHERE resource_id = r.id ORDER BY fid LIMIT %s
    ) f
"""

_GEOMETRY_PLAIN = "f.geometry"
_GEOMETRY_SIMPLIFIED = "ST_SimplifyPreserveTopology(f.geometry, %s)"
_PROPERTIES_ATTRIBUTES = "f.properties"
_PROPERTIES_RESOURCE = "json_build_object('resource', f.ord)"

_FEATURES_SQL = """
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
               'type', 'Feature', 'id', f.fid,
               'geometry', ST_AsGeoJSON({geometry}, %s)::json,
               'properties', {properties}
           ) ORDER BY f.ord, f.fid), '[]'::json))::text
    FROM ({first} ORDER BY r.ord, f.fid LIMIT %s) f
"""

_ROWS_SQL = f"SELECT resource_id, fid, properties::text FROM ({_FIRST_FEATURES}) f ORDER BY ord, fid"


def resource_is_ingested(resource: Resource) -> bool:
    """Whether the resource's features are in ResourceFeature (`geo_ingest["status"] == "ok"`)."""
    return (resource.geo_ingest or {}).get("status") == "ok"


def resources_ingested(resources: Iterable[Resource]) -> list[Resource]:
    """The ingested ones of `resources`, in their order (see `resource_is_ingested`)."""
    return [r for r in resources if resource_is_ingested(r)]


def resource_features_geojson(
    *, resources: list[Resource], limit: int, decimals: int, simplify_tolerance: float | None = None,
    attributes: bool = True,
) -> dict:
    """The first `limit` features of `resources` (in their order, then by fid) as one GeoJSON
    FeatureCollection, built by PostgreSQL in one query (`json_agg` over `ST_AsGeoJSON` with
    `decimals` decimals: 7 ≈ 1 cm, 6 ≈ 0.1 m).

    `simplify_tolerance` (degrees; 0.00001° ≈ 1 m at our latitude) simplifies geometries for
    display with `ST_SimplifyPreserveTopology`. Each feature's `properties` are its attributes,
    or with `attributes=False` only `{"resource": n}`, n the 1-based position of its resource
    in `resources` (to tell resources apart on a map without sending their attributes).
    """
    if not resources:
        return {"type": "FeatureCollection", "features": []}
    sql = _FEATURES_SQL.format(
        geometry=_GEOMETRY_PLAIN if simplify_tolerance is None else _GEOMETRY_SIMPLIFIED,
        properties=_PROPERTIES_ATTRIBUTES if attributes else _PROPERTIES_RESOURCE,
        first=_FIRST_FEATURES,
    )
    params = ([] if simplify_tolerance is None else [simplify_tolerance]) + [
        decimals, [r.id for r in resources], limit, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return json.loads(cursor.fetchone()[0])


def resource_attribute_rows(*, resources: list[Resource], limit: int) -> dict:
    """{resource id: [(fid, properties), …]}: the first `limit` features of each resource by
    fid, one query for all; a resource without features has no key."""
    if not resources:
        return {}
    rows: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_SQL, [[r.id for r in resources], limit])
        for resource_id, fid, properties in cursor.fetchall():
            rows.setdefault(resource_id, []).append((fid, json.loads(properties) if properties else {}))
    return rows
