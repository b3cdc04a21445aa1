"""The map preview and the attribute tables of a dataset page, read from PostGIS.

The map shows the dataset's spatial extent and the features of its resources whose vector
data was read into `ResourceFeature` rows (`geo_ingest["status"] == "ok"`): at most
`PREVIEW_FEATURE_LIMIT` features over all those resources, in resource order, as one
GeoJSON FeatureCollection that PostgreSQL builds (`json_agg` over `ST_AsGeoJSON`) in one
query. For display only, geometries are simplified with a tolerance of 0.00001° (about
1 m at our latitude; topology kept) and written with 6 decimals (about 0.1 m), which
keeps 2,000 polygons to a few hundred kilobytes. All coordinates are WGS 84 lon/lat
(EPSG:4326), GeoJSON's axis order.

The attribute tables show the first `TABLE_ROWS` features of each ingested resource, one
query for all resources (`row_number()` per resource).

`opendata.geo.preview` renders one resource at a time as a folium document for an iframe
(the admin's preview); the dataset page needs the dataset's extent and all its ingested
resources on one map with a fixed number of queries, so it draws with Leaflet directly.
"""
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from ..models import Dataset, Resource, ResourceFeature

__all__ = [
    "PREVIEW_FEATURE_LIMIT", "TABLE_ROWS", "AttributeTable", "MapPreview", "attribute_tables_build",
    "map_preview_build", "resources_ingested",
]

PREVIEW_FEATURE_LIMIT = 2000
GEOJSON_DECIMALS = 6
SIMPLIFY_TOLERANCE_DEGREES = 0.00001
TABLE_ROWS = 10
TABLE_COLUMNS_MAX = 20
CELL_MAX_CHARS = 200


def resources_ingested(resources) -> list[Resource]:
    """The resources whose features are in ResourceFeature (geo_ingest status "ok")."""
    return [r for r in resources if (r.geo_ingest or {}).get("status") == "ok"]


@dataclass
class MapPreview:
    """What the preview map draws; `extent_bbox` is (minx, miny, maxx, maxy), lon/lat."""

    extent: dict | None
    extent_bbox: tuple[float, float, float, float] | None
    features: dict | None
    feature_count: int
    feature_total: int

    @property
    def truncated(self) -> bool:
        return self.feature_count < self.feature_total

    def as_json_data(self) -> dict:
        """The data the page's script reads (json_script)."""
        return {"extent": self.extent, "features": self.features}


_FEATURES_SQL = f"""
    SELECT count(*),
           json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
               'type', 'Feature', 'id', f.fid,
               'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(f.geometry, %s), {GEOJSON_DECIMALS})::json,
               'properties', json_build_object('resource', f.ord)
           ) ORDER BY f.ord, f.fid), '[]'::json))
    FROM (
        SELECT rf.fid, rf.geometry, array_position(%s::uuid[], rf.resource_id) AS ord
        FROM {ResourceFeature._meta.db_table} rf
        WHERE rf.resource_id = ANY(%s::uuid[])
        ORDER BY ord, rf.fid
        LIMIT %s
    ) f
"""


def map_preview_build(*, dataset: Dataset, resources: list[Resource]) -> MapPreview | None:
    """The preview of `dataset` with the features of the ingested `resources`; None if
    there is nothing to draw (no extent and no ingested resource)."""
    extent = bbox = None
    if dataset.spatial is not None:
        extent = json.loads(dataset.spatial.json)
        bbox = tuple(dataset.spatial.extent)
    features, count = None, 0
    if resources:
        ids = [r.id for r in resources]
        with connection.cursor() as cursor:
            cursor.execute(_FEATURES_SQL, [SIMPLIFY_TOLERANCE_DEGREES, ids, ids, PREVIEW_FEATURE_LIMIT])
            count, features = cursor.fetchone()
        if isinstance(features, str):
            features = json.loads(features)
    if extent is None and not count:
        return None
    total = sum(int((r.geo_ingest or {}).get("feature_count") or 0) for r in resources)
    return MapPreview(extent=extent, extent_bbox=bbox, features=features if count else None,
                      feature_count=count, feature_total=max(total, count))


@dataclass
class AttributeTable:
    """The first rows of one ingested resource: column names and text cells per row."""

    resource: Resource
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    total: int
    columns_omitted: int


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    return text if len(text) <= CELL_MAX_CHARS else text[:CELL_MAX_CHARS - 1] + "…"


def attribute_tables_build(*, resources: list[Resource]) -> list[AttributeTable]:
    """One table per ingested resource with its first TABLE_ROWS features (one query)."""
    if not resources:
        return []
    rows = (
        ResourceFeature.objects.filter(resource_id__in=[r.id for r in resources])
        .annotate(row=Window(RowNumber(), partition_by=[F("resource_id")], order_by=F("fid").asc()))
        .filter(row__lte=TABLE_ROWS)
        .order_by("resource_id", "fid")
        .values_list("resource_id", "fid", "properties")
    )
    by_resource: dict = {}
    for resource_id, fid, properties in rows:
        by_resource.setdefault(resource_id, []).append((fid, properties or {}))
    tables = []
    for resource in resources:
        features = by_resource.get(resource.id, [])
        columns = [f["name"] for f in (resource.geo_ingest or {}).get("fields", []) if f.get("name")]
        if not columns:
            columns = list(dict.fromkeys(key for _fid, props in features for key in props))
        shown = columns[:TABLE_COLUMNS_MAX]
        tables.append(AttributeTable(
            resource=resource,
            columns=shown,
            rows=[(fid, [_cell(props.get(c)) for c in shown]) for fid, props in features],
            total=int((resource.geo_ingest or {}).get("feature_count") or len(features)),
            columns_omitted=len(columns) - len(shown),
        ))
    return tables
