"""Reads behind the OGC API – Features: which collections exist, their extents, and their
features as GeoJSON rendered by PostGIS.

Three kinds of collection:

- `reports`: the public defect reports, read from the public view of `reporter.public`
  (never hidden ones; public fields only; moderated text; rounded coordinates);
- `jurisdiction-<layer slug>`: the polygons of one jurisdiction layer (`geodata`);
- `resource-<uuid>`: the features of an uploaded vector resource of a public, active
  dataset, read into `opendata.ResourceFeature` by `opendata.geo` (`geo_ingest.status`
  "ok").

A page of features is one statement: a `count(*)` with the page's filters (numberMatched)
and the page itself, each feature built by `json_build_object`/`ST_AsGeoJSON` and joined
with `string_agg`, so Python only glues strings. Geometries are stored as EPSG:4326 (lon,
lat), the axes of CRS84, and written in the CRS the client asked for (`crs`) with its
decimals. Filters, sort keys and property lists come validated from `params`: SQL
expressions of the whitelisted queryables and bound parameters only. Timestamps are RFC 3339 in UTC
to the second ("2024-03-01T08:00:00Z"), like everywhere in this interface.
Every statement runs on `config.db_router.read_connection` (the read replica in a GET).
"""
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from config.db_router import read_connection
from geodata.models import JurisdictionArea, JurisdictionLayer
from reporter.models import PublicReport
from reporter.public import PUBLIC_REPORT_VIEW
from routing_rules.models import Category, Department

from ..models import Dataset, Resource, ResourceFeature
from .crs import DEFAULT_CRS, Crs, crs_output_sql
from .params import ItemsQuery
from .queryables import ogc_queryables

__all__ = [
    "COORD_PRECISION", "Collection", "FeaturePage", "ogc_collection_get", "ogc_collection_list",
    "ogc_collection_queryables", "ogc_feature_get", "ogc_feature_page",
]

# Decimal places of coordinates: 6 ≈ 0.1 m at our latitude (as the reports list).
COORD_PRECISION = 6

REPORTS_ID = "reports"
LAYER_PREFIX = "jurisdiction-"
RESOURCE_PREFIX = "resource-"


@dataclass
class Collection:
    """One feature collection. `key` is the layer's or resource's primary key; `version` the
    version of its features kept on that row (`areas_version`, `features_version`; the ETag of
    its tiles); `bbox` is (min lon, min lat, max lon, max lat) in CRS84 or None for an empty
    collection; `interval` is (first, last) of the temporal property, if the collection has one."""

    id: str
    kind: str  # "reports" | "layer" | "resource"
    title: str
    description: str = ""
    key: object = None
    version: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    interval: tuple[datetime | None, datetime | None] | None = None
    temporal_property: str | None = None
    keywords: list[str] = field(default_factory=list)

    @property
    def has_time(self) -> bool:
        return self.temporal_property is not None


@dataclass(frozen=True)
class FeaturePage:
    """A page of features: the GeoJSON Feature objects as one comma-joined string."""

    features_json: str
    number_matched: int
    number_returned: int


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _lang() -> str:
    return (get_language() or "de")[:2]


# --- what each kind selects -------------------------------------------------------------

@dataclass(frozen=True)
class _Source:
    """The SQL pieces of one kind of collection."""

    table: str  # the main table, aliased `t`; filters and order use only its columns
    joins: str  # joins adding the other columns of the properties (never dropping a row)
    geometry: str
    feature_id: str
    properties: str
    where: str  # the collection's own condition, with %(key)s where needed
    order: str
    model: type  # the main table's model, for `read_connection`
    temporal: str | None = None
    # Only points: "inside the closed rectangle" is then exactly ST_Intersects, written as
    # the index's `&&` plus exact ST_X/ST_Y comparisons (`&&` alone compares float4 boxes and
    # lets points a hair outside through). ST_Intersects' high cost estimate would make
    # PostgreSQL JIT-compile every page (~20 ms lost per request at 20,000 reports).
    points_only: bool = False


def _reports_source() -> _Source:
    categories, departments = _table(Category), _table(Department)
    return _Source(
        table=f"{PUBLIC_REPORT_VIEW} t",
        # category and department are NOT NULL foreign keys: the joins keep every row.
        joins=f"JOIN {categories} c ON c.id = t.category_id JOIN {departments} d ON d.id = t.department_id",
        geometry="t.location",
        feature_id="t.id",
        properties="""json_build_object(
            'id', t.id,
            'category', c.slug,
            'category_name', CASE WHEN %(lang)s = 'en' AND c.name_en <> '' THEN c.name_en ELSE c.name END,
            'status', t.status,
            'description', t.description,
            'department', d.name,
            'supporter_count', t.supporter_count,
            'created_at', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'updated_at', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
            'closed_at', to_char(t.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))""",
        where="TRUE",
        order="t.id",
        model=PublicReport,
        temporal="t.created_at",
        points_only=True,
    )


def _layer_source() -> _Source:
    areas = _table(JurisdictionArea)
    return _Source(
        table=f"{areas} t",
        joins="",
        geometry="t.geom",
        feature_id="t.id",
        # The imported attributes, with the polygon's own fields taking precedence.
        properties=("(coalesce(t.attributes, '{}'::jsonb) || jsonb_build_object("
                    "'name', t.name, 'code', t.code, 'authority', t.authority))"),
        where="t.layer_id = %(key)s",
        order="t.id",
        model=JurisdictionArea,
    )


def _resource_source() -> _Source:
    features = _table(ResourceFeature)
    return _Source(
        table=f"{features} t",
        joins="",
        geometry="t.geometry",
        feature_id="t.fid",
        properties="t.properties",
        where="t.resource_id = %(key)s",
        order="t.fid",
        model=ResourceFeature,
    )


_SOURCES = {"reports": _reports_source, "layer": _layer_source, "resource": _resource_source}


def _feature_sql(source: _Source, crs: Crs = DEFAULT_CRS, properties: tuple[str, ...] | None = None) -> str:
    """One feature as GeoJSON text; with `properties`, only those keys (bound as
    %(properties)s) of the properties object."""
    props = source.properties
    if properties is not None:
        props = (f"(SELECT coalesce(jsonb_object_agg(e.key, e.value), '{{}}'::jsonb) "
                 f"FROM jsonb_each(({props})::jsonb) e WHERE e.key = ANY(%(properties)s))")
    return (f"json_build_object('type', 'Feature', 'id', {source.feature_id}, "
            f"'geometry', ST_AsGeoJSON({crs_output_sql(source.geometry, crs)}, {crs.decimals})::json, "
            f"'properties', {props})::text")


def _filters(source: _Source, collection: Collection, query: ItemsQuery) -> tuple[list[str], dict]:
    where = [source.where]
    params: dict = {"key": collection.key, "lang": _lang()}
    if query.bboxes:
        boxes = []
        for i, box in enumerate(query.bboxes):
            names = [f"b{i}{c}" for c in "abcd"]
            params.update(zip(names, box, strict=True))
            envelope = f"ST_MakeEnvelope(%({names[0]})s, %({names[1]})s, %({names[2]})s, %({names[3]})s, 4326)"
            if source.points_only:
                g = source.geometry
                boxes.append(f"({g} && {envelope} AND ST_X({g}) BETWEEN %({names[0]})s AND %({names[2]})s "
                             f"AND ST_Y({g}) BETWEEN %({names[1]})s AND %({names[3]})s)")
            else:
                boxes.append(f"ST_Intersects({source.geometry}, {envelope})")
        where.append("(" + " OR ".join(boxes) + ")")
    if query.bbox_wkt is not None:  # a bbox in a projected bbox-crs, as a CRS84 polygon
        where.append(f"ST_Intersects({source.geometry}, ST_GeomFromText(%(bbox_wkt)s, 4326))")
        params["bbox_wkt"] = query.bbox_wkt
    for condition in query.conditions:
        where.append(condition.sql)
        params.update(condition.params)
    # Collections without a temporal property accept `datetime` and ignore it: their
    # features have no time to compare (OGC 17-069r4 §7.15.4 leaves this to the server).
    if source.temporal and query.datetime_start is not None:
        where.append(f"{source.temporal} >= %(t_start)s")
        params["t_start"] = query.datetime_start
    if source.temporal and query.datetime_end is not None:
        where.append(f"{source.temporal} <= %(t_end)s")
        params["t_end"] = query.datetime_end
    return where, params


def ogc_feature_page(*, collection: Collection, query: ItemsQuery) -> FeaturePage:
    """One page of `collection`'s features matching `query`, in a stable order (by id), with
    the number of all matching features, in one statement."""
    source = _SOURCES[collection.kind]()
    where, params = _filters(source, collection, query)
    where_sql = " AND ".join(where)
    params.update(limit=query.limit, offset=query.offset, properties=list(query.properties or ()))
    order = source.order
    if query.sortby:
        # The queryables' expressions; the feature id last keeps the order stable.
        for queryable, _desc in query.sortby:
            params.update(queryable.params)
        keys = ", ".join(f"{q.sql} {'DESC' if desc else 'ASC'} NULLS LAST" for q, desc in query.sortby)
        order = f"{keys}, {source.order}"
    feature = _feature_sql(source, query.crs, query.properties)
    if query.filtered and not query.sortby:
        sql = _filtered_page_sql(source, where_sql, feature)
    else:
        sql = _page_sql(source, where_sql, feature, order=order, ranked=bool(query.sortby))
    with read_connection(source.model).cursor() as cursor:
        cursor.execute(sql, params)
        matched, features, returned = cursor.fetchone()
    return FeaturePage(features_json=features, number_matched=matched, number_returned=returned)


def _page_sql(source: _Source, where_sql: str, feature: str, *, order: str, ranked: bool) -> str:
    """Count and page as two scans: the page walks the order (for the whole collection, the
    primary key's index) and stops after OFFSET + LIMIT rows."""
    rank = f"row_number() OVER (ORDER BY {order})" if ranked else source.order
    # The page's rows are chosen on the main table alone, and only they are joined and
    # rendered: JSON is never built for rows skipped by OFFSET or cut by LIMIT.
    return f"""
        WITH page AS MATERIALIZED (
            SELECT t.* FROM {source.table} WHERE {where_sql}
            ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s
        )
        SELECT (SELECT count(*) FROM {source.table} WHERE {where_sql}),
               (SELECT coalesce(string_agg(s.f, ',' ORDER BY s.o), '')
                FROM (SELECT {feature} AS f, {rank} AS o
                      FROM page t {source.joins}) s),
               (SELECT count(*) FROM page)
    """


def _filtered_page_sql(source: _Source, where_sql: str, feature: str) -> str:
    """Count and page from one scan of the matching rows (a bbox or filter in the default
    order): the keys of the matches are kept once, counted, and the page is cut from them;
    only the page's rows are read again (by primary key), joined and rendered. A bbox or
    filter has no index in the id order to stop early on, so `_page_sql`'s two scans read every
    match twice: 9–13 ms against 7 ms for this statement (best of 40; page of 100 at offset 500
    of 7,917 bbox matches among 20,000 reports, bench/bench_ogc.py's data, 2-core machine)."""
    return f"""
        WITH matched AS MATERIALIZED (
            SELECT t.id AS k, {source.order} AS o FROM {source.table} WHERE {where_sql}
        ), page AS MATERIALIZED (
            SELECT k, o FROM matched ORDER BY o, k LIMIT %(limit)s OFFSET %(offset)s
        )
        SELECT (SELECT count(*) FROM matched),
               (SELECT coalesce(string_agg(s.f, ',' ORDER BY s.o, s.k), '')
                FROM (SELECT {feature} AS f, p.o, p.k
                      FROM page p JOIN {source.table} ON t.id = p.k {source.joins}) s),
               (SELECT count(*) FROM page)
    """


def ogc_feature_get(*, collection: Collection, feature_id: str, crs: Crs = DEFAULT_CRS) -> str | None:
    """One feature of `collection` as a GeoJSON Feature string, or None."""
    try:
        number = int(feature_id)
    except ValueError:
        return None
    if not 0 <= number < 2**63:
        return None
    source = _SOURCES[collection.kind]()
    sql = (f"SELECT {_feature_sql(source, crs)} FROM {source.table} {source.joins} "
           f"WHERE {source.where} AND {source.feature_id} = %(fid)s")
    with read_connection(source.model).cursor() as cursor:
        cursor.execute(sql, {"key": collection.key, "lang": _lang(), "fid": number})
        row = cursor.fetchone()
    return row[0] if row else None


# --- the collections ----------------------------------------------------------------------

def _envelope(xmin, ymin, xmax, ymax) -> tuple[float, float, float, float] | None:
    if xmin is None:
        return None
    return (round(xmin, COORD_PRECISION), round(ymin, COORD_PRECISION),
            round(xmax, COORD_PRECISION), round(ymax, COORD_PRECISION))


_EXTENT_COLUMNS = "ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)"


def _reports_collection(*, with_extent: bool) -> Collection:
    collection = Collection(
        id=REPORTS_ID, kind="reports", title=_("Meldungen"),
        description=_("Öffentliche Mängelmeldungen (ohne verborgene Meldungen und ohne personenbezogene Daten)."),
        temporal_property="created_at", keywords=[_("Mängelmelder"), _("Meldungen")],
    )
    if with_extent:
        sql = (f"SELECT {_EXTENT_COLUMNS}, first, last FROM (SELECT ST_Extent(location)::geometry AS e, "
               f"min(created_at) AS first, max(created_at) AS last FROM {PUBLIC_REPORT_VIEW}) s")
        with read_connection(PublicReport).cursor() as cursor:
            cursor.execute(sql)
            *box, first, last = cursor.fetchone()
        collection.bbox = _envelope(*box)
        # New reports keep arriving: the interval is open at the end (OGC 17-069r4 §7.13).
        collection.interval = (first, None) if first else None
    return collection


def _layer_collections(*, slug: str | None = None, with_extent: bool) -> list[Collection]:
    layers, areas = _table(JurisdictionLayer), _table(JurisdictionArea)
    extent = (f"(SELECT ST_Extent(a.geom)::geometry FROM {areas} a WHERE a.layer_id = l.id)"
              if with_extent else "NULL::geometry")
    sql = (f"SELECT l.id, l.areas_version, l.slug, l.name, l.description, l.role, {_EXTENT_COLUMNS} "
           f"FROM {layers} l CROSS JOIN LATERAL (SELECT {extent} AS e) x "
           + ("WHERE l.slug = %(slug)s " if slug is not None else "") + "ORDER BY l.slug")
    with read_connection(JurisdictionLayer).cursor() as cursor:
        cursor.execute(sql, {"slug": slug})
        rows = cursor.fetchall()
    roles = dict(JurisdictionLayer.Role.choices)
    return [
        Collection(id=f"{LAYER_PREFIX}{layer_slug}", kind="layer", title=str(name), description=description,
                   key=pk, version=version.hex, bbox=_envelope(*box), keywords=[str(roles.get(role, role))])
        for pk, version, layer_slug, name, description, role, *box in rows
    ]


def _resource_collections(*, resource_id: uuid.UUID | None = None, with_extent: bool) -> list[Collection]:
    resources, datasets, features = _table(Resource), _table(Dataset), _table(ResourceFeature)
    # The ingestion records the bbox (WGS 84); the table is scanned only where it did not.
    recorded = ", ".join(f"(r.geo_ingest -> 'bbox' ->> {i})::float8" for i in range(4))
    extent = (f"CASE WHEN jsonb_typeof(r.geo_ingest -> 'bbox') = 'array' "
              f"AND jsonb_array_length(r.geo_ingest -> 'bbox') = 4 THEN ST_MakeEnvelope({recorded}, 4326) "
              f"ELSE (SELECT ST_Extent(f.geometry)::geometry FROM {features} f WHERE f.resource_id = r.id) END"
              if with_extent else "NULL::geometry")
    sql = (f"SELECT r.id, r.features_version, r.name, r.description, d.name, d.title, d.notes, {_EXTENT_COLUMNS} "
           f"FROM {resources} r JOIN {datasets} d ON d.id = r.package_id "
           f"CROSS JOIN LATERAL (SELECT {extent} AS e) x "
           "WHERE d.state = 'active' AND NOT d.private AND r.geo_ingest ->> 'status' = 'ok' "
           + ("AND r.id = %(rid)s " if resource_id is not None else "")
           + "ORDER BY d.name, r.position, r.created")
    with read_connection(Resource).cursor() as cursor:
        cursor.execute(sql, {"rid": resource_id})
        rows = cursor.fetchall()
    collections = []
    for pk, version, name, description, dataset_name, dataset_title, notes, *box in rows:
        title = f"{dataset_title}: {name}" if name else dataset_title
        collections.append(Collection(
            id=f"{RESOURCE_PREFIX}{pk}", kind="resource", title=title, description=description or notes,
            key=pk, version=version.hex, bbox=_envelope(*box), keywords=[dataset_name],
        ))
    return collections


def ogc_collection_queryables(*, collection: Collection) -> dict:
    """The queryables of `collection` by name (`queryables.Queryable`)."""
    return ogc_queryables(kind=collection.kind, key=collection.key)


def ogc_collection_list() -> list[Collection]:
    """Every collection with its extent: reports, jurisdiction layers, ingested resources
    (three statements, whatever the number of collections)."""
    return [
        _reports_collection(with_extent=True),
        *_layer_collections(with_extent=True),
        *_resource_collections(with_extent=True),
    ]


def ogc_collection_get(*, collection_id: str, with_extent: bool = False) -> Collection | None:
    """The collection named `collection_id`, or None. Without `with_extent` no statement
    runs for `reports` and one small one for the others (the items requests)."""
    if collection_id == REPORTS_ID:
        return _reports_collection(with_extent=with_extent)
    if collection_id.startswith(LAYER_PREFIX):
        found = _layer_collections(slug=collection_id[len(LAYER_PREFIX):], with_extent=with_extent)
        return found[0] if found else None
    if collection_id.startswith(RESOURCE_PREFIX):
        try:
            resource_id = uuid.UUID(collection_id[len(RESOURCE_PREFIX):])
        except ValueError:
            return None
        found = _resource_collections(resource_id=resource_id, with_extent=with_extent)
        return found[0] if found else None
    return None
