"""The JSON documents describing the tiles: the tilesets list and tileset metadata of a
collection (OGC 20-057 §9–10, tileset metadata of 17-083r4), the tile matrix set list, and a
TileJSON 3.0.0 document (the Mapbox/MapLibre format) per collection.

URLs are passed in by the view (absolute, built from the request), so these functions only
shape data.
"""
from django.utils.translation import gettext as _

from ..selectors import Collection
from .matrix import CRS_3857, TMS_ID, TMS_URI, tile_max_zoom
from .selectors import tile_layers

__all__ = ["MVT", "REL_TILING_SCHEME", "TILEJSON", "tilejson_document", "tileset_document",
           "tileset_summary", "tilesets_document"]

MVT = "application/vnd.mapbox-vector-tile"
TILEJSON = "application/vnd.mapbox.tile+json"
JSON = "application/json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"


def tileset_summary(*, collection: Collection, tileset_url: str, tms_url: str) -> dict:
    """One entry of the tilesets list (20-057 /req/tilesets-list/tilesets-list-success)."""
    return {
        "title": collection.title, "dataType": "vector", "crs": CRS_3857, "tileMatrixSetURI": TMS_URI,
        "links": [
            {"rel": "self", "type": JSON, "title": _("Kachelsatz %(tms)s") % {"tms": TMS_ID}, "href": tileset_url},
            {"rel": REL_TILING_SCHEME, "type": JSON, "title": _("Kachelschema"), "href": tms_url},
        ],
    }


def tilesets_document(*, summary: dict, self_url: str, collection_url: str) -> dict:
    """The tilesets list of a collection (one tileset: WebMercatorQuad)."""
    return {"links": [{"rel": "self", "type": JSON, "title": _("Kachelsätze"), "href": self_url},
                      {"rel": "collection", "type": JSON, "title": _("Sammlung"), "href": collection_url}],
            "tilesets": [summary]}


def tileset_document(*, collection: Collection, self_url: str, tms_url: str, tile_template: str,
                     tilejson_url: str) -> dict:
    """The tileset metadata: layers with their zoom range and fields, bounding box, links
    to the tiling scheme and the tile URL template (`{tileMatrix}/{tileRow}/{tileCol}`)."""
    layers = []
    for layer in tile_layers(collection=collection):
        entry = {"id": layer["id"], "dataType": "vector",
                 "minTileMatrix": str(layer.get("minzoom", 0)),
                 "maxTileMatrix": str(layer.get("maxzoom", tile_max_zoom())),
                 "propertiesSchema": {"type": "object", "properties": {
                     name: {"type": "number" if kind == "Number" else "string"}
                     for name, kind in layer["fields"].items()}}}
        if layer["geometry_type"]:
            entry["geometryDimension"] = 0 if layer["geometry_type"] == "points" else 2
        layers.append(entry)
    data = {
        "title": collection.title, "description": collection.description, "dataType": "vector",
        "crs": CRS_3857, "tileMatrixSetURI": TMS_URI, "layers": layers,
        "links": [
            {"rel": "self", "type": JSON, "title": _("Kachelsatz %(tms)s") % {"tms": TMS_ID}, "href": self_url},
            {"rel": REL_TILING_SCHEME, "type": JSON, "title": _("Kachelschema"), "href": tms_url},
            {"rel": "item", "type": MVT, "templated": True, "title": _("Vektorkacheln"), "href": tile_template},
            {"rel": "alternate", "type": TILEJSON, "title": _("TileJSON"), "href": tilejson_url},
        ],
    }
    if collection.bbox:
        xmin, ymin, xmax, ymax = collection.bbox
        data["boundingBox"] = {"lowerLeft": [xmin, ymin], "upperRight": [xmax, ymax], "crs": CRS84}
    return data


def tilejson_document(*, collection: Collection, tile_url: str) -> dict:
    """TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0) with the
    tile URL in {z}/{x}/{y} placeholders (here: …/{z}/{y}/{x}, the OGC order)."""
    top = tile_max_zoom()
    layers = [{"id": layer["id"], "fields": layer["fields"], "minzoom": layer.get("minzoom", 0),
               "maxzoom": layer.get("maxzoom", top), "description": collection.title}
              for layer in tile_layers(collection=collection)]
    data = {"tilejson": "3.0.0", "name": collection.title, "description": collection.description,
            "scheme": "xyz", "tiles": [tile_url], "minzoom": 0, "maxzoom": top, "vector_layers": layers}
    if collection.bbox:
        xmin, ymin, xmax, ymax = collection.bbox
        data["bounds"] = [xmin, ymin, xmax, ymax]
        data["center"] = [round((xmin + xmax) / 2, 6), round((ymin + ymax) / 2, 6), min(12, top)]
    return data
