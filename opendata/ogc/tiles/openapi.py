"""The tile paths of the OpenAPI 3.0 document (`/ogc/api`), as OGC API – Tiles (OGC 20-057)
requires for its conformance class "OpenAPI 3.0" (/conf/oas30: every tile resource offered
is described in the API definition, with its parameters and responses).

The parameters and responses follow the standard's OpenAPI building blocks (the
opengeospatial/ogcapi-tiles repository, `openapi/parameters/tiles-core` and
`openapi/responses/tiles-core`): `tileMatrixSetId`, `tileMatrix`, `tileRow`, `tileCol`,
the vector tile response in `application/vnd.mapbox-vector-tile`, 204 for an empty tile
and the exception document for 400 and 404. Only what this service offers is declared:
one tile matrix set, collection tilesets (no dataset tilesets, no styles), `f` with the
formats each view accepts, and no `datetime`, `subset` or `crs` (the views refuse them).
The schemas are the parts of 17-083r4's JSON encoding the documents use.
"""
from django.utils.translation import gettext as _

from .documents import MVT, TILEJSON
from .matrix import TMS_ID, tile_max_zoom

__all__ = ["TILES_OAS30", "tiles_openapi"]

# OGC 20-057 Annex A.7: the API definition describes the tile paths in OpenAPI 3.0.
TILES_OAS30 = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30"

_EXCEPTION = {"application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _schema(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _f(formats: list[str], description: str) -> dict:
    return {"name": "f", "in": "query", "required": False, "style": "form", "explode": False,
            "description": description, "schema": {"type": "string", "enum": formats, "default": formats[0]}}


def _errors(*, not_found: str | None) -> dict:
    responses = {"400": {"description": _("Ungültiger Parameter."), "content": _EXCEPTION}}
    if not_found:
        responses["404"] = {"description": not_found, "content": _EXCEPTION}
    return responses


def _schemas() -> dict:
    links = {"type": "array", "items": _schema("link")}
    return {
        "tileMatrixSetItem": {"type": "object", "required": ["links"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "uri": {"type": "string", "format": "uri"},
            "links": links}},
        "tileMatrixSets": {"type": "object", "required": ["tileMatrixSets"], "properties": {
            "links": links, "tileMatrixSets": {"type": "array", "items": _schema("tileMatrixSetItem")}}},
        "tileMatrix": {"type": "object", "required": [
            "id", "scaleDenominator", "cellSize", "pointOfOrigin", "tileWidth", "tileHeight", "matrixWidth",
            "matrixHeight"], "properties": {
            "id": {"type": "string"}, "scaleDenominator": {"type": "number"}, "cellSize": {"type": "number"},
            "cornerOfOrigin": {"type": "string", "enum": ["topLeft", "bottomLeft"]},
            "pointOfOrigin": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
            "tileWidth": {"type": "integer", "minimum": 1}, "tileHeight": {"type": "integer", "minimum": 1},
            "matrixWidth": {"type": "integer", "minimum": 1}, "matrixHeight": {"type": "integer", "minimum": 1}}},
        "tileMatrixSet": {"type": "object", "required": ["crs", "tileMatrices"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "uri": {"type": "string", "format": "uri"},
            "crs": {"type": "string", "format": "uri"}, "orderedAxes": {"type": "array", "items": {"type": "string"}},
            "wellKnownScaleSet": {"type": "string", "format": "uri"},
            "tileMatrices": {"type": "array", "items": _schema("tileMatrix")}}},
        "tileSetItem": {"type": "object", "required": ["dataType", "links", "crs"], "properties": {
            "title": {"type": "string"}, "dataType": {"type": "string", "enum": ["map", "vector", "coverage"]},
            "crs": {"type": "string", "format": "uri"}, "tileMatrixSetURI": {"type": "string", "format": "uri"},
            "links": links}},
        "tileSets": {"type": "object", "required": ["tilesets"], "properties": {
            "links": links, "tilesets": {"type": "array", "items": _schema("tileSetItem")}}},
        "tileSet": {"type": "object", "required": ["dataType", "links", "crs"], "properties": {
            "title": {"type": "string"}, "description": {"type": "string"},
            "dataType": {"type": "string", "enum": ["map", "vector", "coverage"]},
            "crs": {"type": "string", "format": "uri"}, "tileMatrixSetURI": {"type": "string", "format": "uri"},
            "layers": {"type": "array", "items": {"type": "object", "required": ["id", "dataType"], "properties": {
                "id": {"type": "string"}, "dataType": {"type": "string"},
                "minTileMatrix": {"type": "string"}, "maxTileMatrix": {"type": "string"},
                "geometryDimension": {"type": "integer", "minimum": 0, "maximum": 3},
                "propertiesSchema": {"type": "object"}}}},
            "boundingBox": {"type": "object", "required": ["lowerLeft", "upperRight"], "properties": {
                "lowerLeft": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
                "upperRight": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"}},
                "crs": {"type": "string", "format": "uri"}}},
            "links": links}},
    }


def _parameters() -> dict:
    top = tile_max_zoom()
    return {
        "tileMatrixSetId": {"name": "tileMatrixSetId", "in": "path", "required": True,
                            "description": _("Kennung des Kachelschemas (Tile Matrix Set)"),
                            "schema": {"type": "string", "enum": [TMS_ID]}},
        "tileMatrix": {"name": "tileMatrix", "in": "path", "required": True,
                       "description": _("Kennung der Kachelmatrix, hier die Zoomstufe 0 bis %(max)s.") % {"max": top},
                       "schema": {"type": "string", "pattern": "^[0-9]+$"}, "example": "14"},
        "tileRow": {"name": "tileRow", "in": "path", "required": True,
                    "description": _("Zeile der Kachel, von oben gezählt (0 bis 2^tileMatrix − 1)."),
                    "schema": {"type": "integer", "minimum": 0}, "example": 5466},
        "tileCol": {"name": "tileCol", "in": "path", "required": True,
                    "description": _("Spalte der Kachel, von links gezählt (0 bis 2^tileMatrix − 1)."),
                    "schema": {"type": "integer", "minimum": 0}, "example": 8741},
        "f-tiles-json": _f(["json"], _("Ausgabeformat: json.")),
        "f-tileset": _f(["json", "tilejson"],
                        _("Ausgabeformat: json (Kachelsatz-Metadaten nach OGC 17-083r4) oder tilejson "
                          "(TileJSON 3.0.0 für Kartenbibliotheken).")),
        "f-vectorTile": _f(["mvt"], _("Ausgabeformat: mvt (Mapbox Vector Tile).")),
    }


def _paths() -> dict:
    no_collection = _("Sammlung oder Kachelschema nicht gefunden.")
    return {
        "/tileMatrixSets": {"get": {
            "tags": ["Tiles"], "operationId": "getTileMatrixSetsList", "summary": _("Die Kachelschemata"),
            "parameters": [_param("f-tiles-json")],
            "responses": {"200": {"description": _("Die angebotenen Kachelschemata."),
                                  "content": {"application/json": {"schema": _schema("tileMatrixSets")}}},
                          **_errors(not_found=None)}}},
        "/tileMatrixSets/{tileMatrixSetId}": {"get": {
            "tags": ["Tiles"], "operationId": "getTileMatrixSet", "summary": _("Ein Kachelschema"),
            "parameters": [_param("tileMatrixSetId"), _param("f-tiles-json")],
            "responses": {"200": {"description": _("Die Definition des Kachelschemas (OGC 17-083r4, JSON)."),
                                  "content": {"application/json": {"schema": _schema("tileMatrixSet")}}},
                          **_errors(not_found=_("Kachelschema nicht gefunden."))}}},
        "/collections/{collectionId}/tiles": {"get": {
            "tags": ["Tiles"], "operationId": "getCollectionTileSetsList",
            "summary": _("Die Kachelsätze einer Sammlung"),
            "parameters": [_param("collectionId"), _param("f-tiles-json")],
            "responses": {"200": {"description": _("Die Vektorkachelsätze der Sammlung."),
                                  "content": {"application/json": {"schema": _schema("tileSets")}}},
                          **_errors(not_found=_("Sammlung nicht gefunden."))}}},
        "/collections/{collectionId}/tiles/{tileMatrixSetId}": {"get": {
            "tags": ["Tiles"], "operationId": "getCollectionTileSet",
            "summary": _("Metadaten eines Kachelsatzes"),
            "parameters": [_param("collectionId"), _param("tileMatrixSetId"), _param("f-tileset")],
            "responses": {"200": {"description": _("Die Metadaten des Kachelsatzes: Ebenen, Zoomstufen, "
                                                   "Ausdehnung und die URL-Vorlage der Kacheln."),
                                  "content": {"application/json": {"schema": _schema("tileSet")},
                                              TILEJSON: {"schema": {"type": "object"}}}},
                          **_errors(not_found=no_collection)}}},
        "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": {"get": {
            "tags": ["Tiles"], "operationId": "getCollectionTile",
            "summary": _("Eine Vektorkachel einer Sammlung"),
            "parameters": [_param("collectionId"), _param("tileMatrixSetId"), _param("tileMatrix"),
                           _param("tileRow"), _param("tileCol"), _param("f-vectorTile")],
            "responses": {
                "200": {"description": _("Die Vektorkachel; ETag und Cache-Control erlauben Zwischenspeichern."),
                        "content": {MVT: {"schema": {"type": "string", "format": "binary"}}}},
                "204": {"description": _("Keine Objekte in dieser Kachel (leere Kachel).")},
                "304": {"description": _("Die Kachel ist unverändert (If-None-Match).")},
                **_errors(not_found=_("Sammlung oder Kachelschema nicht gefunden, oder die Kachel liegt außerhalb "
                                      "des Kachelschemas."))}}},
    }


def tiles_openapi() -> dict:
    """The tile part of the OpenAPI document: `paths`, `schemas` and `parameters` to merge
    into the service's (which owns `collectionId`, `link` and `exception`), and `tag`."""
    return {"paths": _paths(), "schemas": _schemas(), "parameters": _parameters(),
            "tag": {"name": "Tiles", "description": _("Vektorkacheln (OGC API – Tiles)")}}
