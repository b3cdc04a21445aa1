"""The OpenAPI 3.0 definition of the OGC API – Features service (`/ogc/api`, the landing
page's `service-desc`), as OGC 17-069r4 §7.3 and its conformance class "OpenAPI 3.0"
require: every path, every parameter with its schema (so clients such as GDAL read the
largest `limit` from it), and the responses with their media types.

The parameters follow the standard's own OpenAPI fragments (bbox, datetime, limit,
collectionId, featureId); `collectionId` lists the collections that exist right now.
Each collection also has its own items path (`/collections/reports/items`) that lists its
queryables as query parameters: a simple property filter is declared where Part 1 §7.15.5
asks ("should be described in the API definition"), and GDAL's OAPIF driver sends
`name=value` to the server only for parameters it finds there (otherwise it downloads
every feature and filters on the client). The tile paths of OGC API – Tiles come from
`tiles.openapi`.
"""
from django.utils.translation import gettext as _

from .crs import CRS84, SUPPORTED_CRS
from .params import LIMIT_DEFAULT, LIMIT_MAX
from .tiles.openapi import TILES_OAS30, tiles_openapi

__all__ = ["CONFORMANCE_CLASSES", "OPENAPI_MEDIA_TYPE", "openapi_document"]

OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"

# The conformance classes this service implements: OGC 17-069r4 Annex A (Part 1), 18-058r1
# Annex A (Part 2), 19-079r2 Annex A (Part 3), 21-065 Annex A (CQL2), and OGC API – Tiles
# (20-057 Annex A: vector tiles of every collection in Mapbox Vector Tile format) with the
# tile matrix set in the JSON encoding of 17-083r4; the tile paths are in the OpenAPI
# document (`tiles.openapi`), hence Tiles' oas30 class.
CONFORMANCE_CLASSES = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    TILES_OAS30,
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _responses(ok_description: str, media: dict, *, not_found: bool = False) -> dict:
    responses = {
        "200": {"description": ok_description, "content": media},
        "400": {"description": _("Ungültiger Parameter."),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}},
    }
    if not_found:
        responses["404"] = {"description": _("Sammlung oder Objekt nicht gefunden."),
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}}
    return responses


def _json_or_html(schema: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}},
            "text/html": {"schema": {"type": "string"}}}


def _geojson_or_html(schema: str) -> dict:
    return {"application/geo+json": {"schema": {"$ref": f"#/components/schemas/{schema}"}},
            "text/html": {"schema": {"type": "string"}}}


def openapi_document(*, server_url: str, title: str, description: str,
                     collection_queryables: dict[str, dict]) -> dict:
    """The OpenAPI 3.0 document for a service at `server_url` (the landing page's URL
    without its trailing slash). `collection_queryables` maps each collection's id to the
    JSON Schemas of its queryables (`queryables.queryables_properties`)."""
    collection_ids = list(collection_queryables)
    link = {"type": "object", "required": ["href"], "properties": {
        "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"},
        "hreflang": {"type": "string"}, "title": {"type": "string"}, "length": {"type": "integer"}}}
    links = {"type": "array", "items": {"$ref": "#/components/schemas/link"}}
    geometry = {"type": "object", "nullable": True, "required": ["type"], "properties": {
        "type": {"type": "string", "enum": ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                                           "MultiPolygon", "GeometryCollection"]},
        "coordinates": {"type": "array"}, "geometries": {"type": "array"}}}
    schemas = {
        "exception": {"type": "object", "required": ["code"], "properties": {
            "code": {"type": "string"}, "description": {"type": "string"}}},
        "link": link,
        "landingPage": {"type": "object", "required": ["links"], "properties": {
            "title": {"type": "string"}, "description": {"type": "string"}, "links": links}},
        "confClasses": {"type": "object", "required": ["conformsTo"], "properties": {
            "conformsTo": {"type": "array", "items": {"type": "string"}}}},
        "extent": {"type": "object", "properties": {
            "spatial": {"type": "object", "properties": {
                "bbox": {"type": "array", "items": {"type": "array", "minItems": 4, "maxItems": 6,
                                                    "items": {"type": "number"}}},
                "crs": {"type": "string", "default": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}},
            "temporal": {"type": "object", "properties": {
                "interval": {"type": "array", "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                                        "items": {"type": "string", "format": "date-time",
                                                                  "nullable": True}}},
                "trs": {"type": "string"}}}}},
        "collection": {"type": "object", "required": ["id", "links"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
            "links": links, "extent": {"$ref": "#/components/schemas/extent"},
            "itemType": {"type": "string", "default": "feature"},
            "crs": {"type": "array", "items": {"type": "string"}}, "storageCrs": {"type": "string"}}},
        "collections": {"type": "object", "required": ["links", "collections"], "properties": {
            "links": links, "collections": {"type": "array", "items": {"$ref": "#/components/schemas/collection"}}}},
        "geometryGeoJSON": geometry,
        "featureGeoJSON": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "geometry": {"$ref": "#/components/schemas/geometryGeoJSON"},
            "properties": {"type": "object", "nullable": True},
            "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "links": links}},
        "featureCollectionGeoJSON": {"type": "object", "required": ["type", "features"], "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/featureGeoJSON"}},
            "links": links,
            "timeStamp": {"type": "string", "format": "date-time"},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0}}},
    }
    parameters = {
        "f": {"name": "f", "in": "query", "required": False, "style": "form", "explode": False,
              "description": _("Ausgabeformat: json (GeoJSON bzw. JSON) oder html. Ohne f entscheidet der "
                               "Accept-Header."),
              "schema": {"type": "string", "enum": ["json", "html"], "default": "json"}},
        "bbox": {"name": "bbox", "in": "query", "required": False, "style": "form", "explode": False,
                 "description": _("Nur Objekte, die dieses Rechteck schneiden: minLon,minLat,maxLon,maxLat in "
                                  "WGS 84 (CRS84). Liegt minLon östlich von maxLon, überquert das Rechteck die "
                                  "Datumsgrenze."),
                 "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}},
        "datetime": {"name": "datetime", "in": "query", "required": False, "style": "form", "explode": False,
                     "description": _("Zeitpunkt oder Intervall nach RFC 3339, z. B. 2024-03-01T08:00:00Z, "
                                      "2024-03-01T00:00:00Z/2024-03-31T23:59:59Z, ../2024-03-31T00:00:00Z oder "
                                      "2024-03-01T00:00:00Z/.. (Grenzen eingeschlossen). Bei den Meldungen gilt "
                                      "created_at; Sammlungen ohne Zeitangabe ignorieren den Filter."),
                     "schema": {"type": "string"}},
        "limit": {"name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
                  "description": _("Höchstzahl der Objekte je Seite; größere Werte werden auf %(max)s "
                                   "begrenzt.") % {"max": LIMIT_MAX},
                  "schema": {"type": "integer", "minimum": 1, "maximum": LIMIT_MAX, "default": LIMIT_DEFAULT}},
        "offset": {"name": "offset", "in": "query", "required": False, "style": "form", "explode": False,
                   "description": _("Anzahl der übersprungenen Objekte (für das Blättern; die Links next und "
                                    "prev setzen ihn)."),
                   "schema": {"type": "integer", "minimum": 0, "default": 0}},
        "crs": {"name": "crs", "in": "query", "required": False, "style": "form", "explode": False,
                "description": _("Koordinatenreferenzsystem der Geometrien in der Antwort (Standard: CRS84). "
                                 "EPSG:4326 hat die Achsenfolge Breite, Länge."),
                "schema": {"type": "string", "format": "uri", "enum": list(SUPPORTED_CRS), "default": CRS84}},
        "bbox-crs": {"name": "bbox-crs", "in": "query", "required": False, "style": "form", "explode": False,
                     "description": _("Koordinatenreferenzsystem von bbox (Standard: CRS84)."),
                     "schema": {"type": "string", "format": "uri", "enum": list(SUPPORTED_CRS), "default": CRS84}},
        "filter": {"name": "filter", "in": "query", "required": False, "style": "form", "explode": False,
                   "description": _("CQL2-Filter auf die abfragbaren Eigenschaften (/queryables), z. B. "
                                    "status = 'open' AND S_INTERSECTS(geometry, BBOX(12.0,50.8,12.1,50.9))."),
                   "schema": {"type": "string"}},
        "filter-lang": {"name": "filter-lang", "in": "query", "required": False, "style": "form", "explode": False,
                        "description": _("Sprache des Filters."),
                        "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"], "default": "cql2-text"}},
        "filter-crs": {"name": "filter-crs", "in": "query", "required": False, "style": "form", "explode": False,
                       "description": _("Koordinatenreferenzsystem der Geometrien im Filter (Standard: CRS84)."),
                       "schema": {"type": "string", "format": "uri", "enum": list(SUPPORTED_CRS),
                                  "default": CRS84}},
        "sortby": {"name": "sortby", "in": "query", "required": False, "style": "form", "explode": False,
                   "description": _("Sortierung nach abfragbaren Eigenschaften, durch Kommas getrennt; - davor "
                                    "sortiert absteigend, z. B. -created_at,id."),
                   "schema": {"type": "array", "items": {"type": "string"}}},
        "properties": {"name": "properties", "in": "query", "required": False, "style": "form",
                       "explode": False,
                       "description": _("Nur diese Eigenschaften ausgeben (abfragbare Eigenschaften, durch Kommas "
                                        "getrennt)."),
                       "schema": {"type": "array", "items": {"type": "string"}}},
        "collectionId": {"name": "collectionId", "in": "path", "required": True,
                         "description": _("Kennung der Sammlung"),
                         "schema": {"type": "string", "enum": collection_ids}},
        "featureId": {"name": "featureId", "in": "path", "required": True,
                      "description": _("Kennung des Objekts"), "schema": {"type": "string"}},
    }
    paths = {
        "/": {"get": {
            "tags": ["Capabilities"], "operationId": "getLandingPage", "summary": _("Startseite"),
            "parameters": [_ref("f")],
            "responses": _responses(_("Die Startseite mit Links zu allen Teilen des Dienstes."),
                                    _json_or_html("landingPage"))}},
        "/conformance": {"get": {
            "tags": ["Capabilities"], "operationId": "getConformanceDeclaration",
            "summary": _("Erfüllte Konformitätsklassen"), "parameters": [_ref("f")],
            "responses": _responses(_("Die Konformitätsklassen, die der Dienst erfüllt."),
                                    _json_or_html("confClasses"))}},
        "/api": {"get": {
            "tags": ["Capabilities"], "operationId": "getAPI", "summary": _("Diese API-Beschreibung"),
            "parameters": [_ref("f")],
            "responses": _responses(_("Die OpenAPI-3.0-Beschreibung (f=html: ihre Dokumentation)."),
                                    {OPENAPI_MEDIA_TYPE: {"schema": {"type": "object"}},
                                     "text/html": {"schema": {"type": "string"}}})}},
        "/collections": {"get": {
            "tags": ["Capabilities"], "operationId": "getCollections", "summary": _("Alle Sammlungen"),
            "parameters": [_ref("f")],
            "responses": _responses(_("Die Sammlungen mit ihrer Ausdehnung."), _json_or_html("collections"))}},
        "/collections/{collectionId}": {"get": {
            "tags": ["Capabilities"], "operationId": "describeCollection", "summary": _("Eine Sammlung"),
            "parameters": [_ref("collectionId"), _ref("f")],
            "responses": _responses(_("Die Sammlung mit ihrer räumlichen und zeitlichen Ausdehnung."),
                                    _json_or_html("collection"), not_found=True)}},
        "/collections/{collectionId}/items": {"get": {
            "tags": ["Data"], "operationId": "getFeatures", "summary": _("Objekte einer Sammlung"),
            "parameters": [_ref("collectionId"), _ref("bbox"), _ref("bbox-crs"), _ref("datetime"), _ref("limit"),
                           _ref("offset"), _ref("crs"), _ref("filter"), _ref("filter-lang"), _ref("filter-crs"),
                           _ref("sortby"), _ref("properties"), _ref("f")],
            "responses": _responses(_("Eine Seite der Objekte als GeoJSON-FeatureCollection, mit numberMatched, "
                                      "numberReturned und den Links next/prev."),
                                    _geojson_or_html("featureCollectionGeoJSON"), not_found=True)}},
        "/collections/{collectionId}/queryables": {"get": {
            "tags": ["Capabilities"], "operationId": "getQueryables", "summary": _("Abfragbare Eigenschaften"),
            "parameters": [_ref("collectionId"), _ref("f")],
            "responses": _responses(_("Die abfragbaren Eigenschaften der Sammlung als JSON Schema."),
                                    {"application/schema+json": {"schema": {"type": "object"}},
                                     "text/html": {"schema": {"type": "string"}}}, not_found=True)}},
        "/collections/{collectionId}/items/{featureId}": {"get": {
            "tags": ["Data"], "operationId": "getFeature", "summary": _("Ein Objekt"),
            "parameters": [_ref("collectionId"), _ref("featureId"), _ref("crs"), _ref("f")],
            "responses": _responses(_("Das Objekt als GeoJSON-Feature."), _geojson_or_html("featureGeoJSON"),
                                    not_found=True)}},
    }
    generic_items = paths["/collections/{collectionId}/items"]["get"]
    for collection_id, properties in collection_queryables.items():
        simple = [{"name": name, "in": "query", "required": False, "style": "form", "explode": False,
                   "description": _("Nur Objekte mit diesem Wert von „%(name)s“ (einfacher Eigenschaftsfilter).")
                   % {"name": name}, "schema": schema}
                  for name, schema in properties.items() if not schema.get("format", "").startswith("geometry-")]
        paths[f"/collections/{collection_id}/items"] = {"get": {
            **generic_items, "operationId": f"getFeatures.{collection_id}",
            "parameters": [p for p in generic_items["parameters"] if p != _ref("collectionId")] + simple}}
    tiles = tiles_openapi()
    paths.update(tiles["paths"])
    return {
        "openapi": "3.0.3",
        "info": {"title": title, "description": description, "version": "1.0.0"},
        "servers": [{"url": server_url}],
        "tags": [{"name": "Capabilities", "description": _("Was der Dienst anbietet")},
                 {"name": "Data", "description": _("Die Geoobjekte")}, tiles["tag"]],
        "paths": paths,
        "components": {"schemas": {**schemas, **tiles["schemas"]},
                       "parameters": {**parameters, **tiles["parameters"]}},
    }
