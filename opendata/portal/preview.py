"""The map preview and the attribute tables of a dataset page, read from PostGIS.

The map shows the dataset's spatial extent and the features of its resources whose vector
data was read into `ResourceFeature` rows (`geo_ingest["status"] == "ok"`): at most
`PREVIEW_FEATURE_LIMIT` features over all those resources, in resource order, as one
GeoJSON FeatureCollection that PostgreSQL builds (`json_agg` over `ST_AsGeoJSON`) in one
query. For display only, geometries are simplified with a tolerance of 1 m (in EPSG:25833;
topology kept) and written with 6 decimals (about 0.1 m), which keeps 2,000 polygons to a
few hundred kilobytes; a single huge geometry is reduced further, and the whole collection
is capped in size (`opendata.geo.selectors.resource_features_geojson`). All coordinates are WGS 84 lon/lat
(EPSG:4326), GeoJSON's axis order.

The attribute tables show the first `TABLE_ROWS` features of each ingested resource, one
query for all resources.

Both reads are `opendata.geo.selectors`, shared with the admin's preview: `opendata.geo.preview`
prepares one resource at a time with popup cells; the dataset page needs the dataset's extent
and all its ingested resources on one map with a fixed number of queries. Both draw with
MapLibre GL JS (opendata/js/resource_preview.mjs, dataset_map.mjs).
"""
import json
from dataclasses import dataclass

from ..geo.preview import attribute_cell
from ..geo.selectors import resource_attribute_rows, resource_features_geojson, resources_ingested
from ..models import Dataset, Resource

__all__ = [
    "PREVIEW_FEATURE_LIMIT", "TABLE_ROWS", "AttributeTable", "MapPreview", "attribute_tables_build",
    "map_preview_build", "resources_ingested",
]

PREVIEW_FEATURE_LIMIT = 2000
GEOJSON_DECIMALS = 6
SIMPLIFY_TOLERANCE_M = 1.0
TABLE_ROWS = 10
TABLE_COLUMNS_MAX = 20
CELL_MAX_CHARS = 200


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


def map_preview_build(*, dataset: Dataset, resources: list[Resource]) -> MapPreview | None:
    """The preview of `dataset` with the features of the ingested `resources`; None if
    there is nothing to draw (no extent and no ingested resource)."""
    extent = bbox = None
    if dataset.spatial is not None:
        extent = json.loads(dataset.spatial.json)
        bbox = tuple(dataset.spatial.extent)
    features = resource_features_geojson(
        resources=resources, limit=PREVIEW_FEATURE_LIMIT, decimals=GEOJSON_DECIMALS,
        simplify_tolerance_m=SIMPLIFY_TOLERANCE_M, attributes=False,
    )
    count = len(features["features"])
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


def attribute_tables_build(*, resources: list[Resource]) -> list[AttributeTable]:
    """One table per ingested resource with its first TABLE_ROWS features (one query)."""
    if not resources:
        return []
    by_resource = resource_attribute_rows(resources=resources, limit=TABLE_ROWS)
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
            rows=[(fid, [attribute_cell(props.get(c), max_chars=CELL_MAX_CHARS) for c in shown])
                  for fid, props in features],
            total=int((resource.geo_ingest or {}).get("feature_count") or len(features)),
            columns_omitted=len(columns) - len(shown),
        ))
    return tables
