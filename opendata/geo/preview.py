"""Previews of an ingested vector resource: a map of its features and an attribute table of
the first features. Used by the admin; `attribute_cell` is shared with the portal.

The map is drawn in the admin page by MapLibre GL JS on the city's basemap
(opendata/js/resource_preview.mjs, with the shared frontend/js/maplibre-map.mjs). Its data is
a GeoJSON FeatureCollection in a json_script block: the features read by
`opendata.geo.selectors` (GeoJSON built by PostGIS with 7 decimals, about 1 cm), capped at
`max_features` features, in file order, each with the popup's cells as
`{"cells": [[field, text], …]}`.

Everything that comes from the uploaded file (field names, values) is data, never markup:
json_script escapes `<`, `>` and `&`, and the script writes the popup with `textContent`, so
a property named `<img src=x onerror=…>` is shown as text. (The former folium document needed
escaping and a sandboxed iframe because folium writes popups as HTML.)
"""
import json

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from frontend.context_processors import site

from ..models import Resource
from .selectors import resource_attribute_rows, resource_features_geojson, resource_is_ingested

__all__ = ["attribute_cell", "resource_preview_html", "resource_preview_map_data"]

TABLE_ROWS = 50
MAP_FEATURES_MAX = 2000
MAP_DECIMALS = 7  # about 1 cm
_POPUP_FIELDS_MAX = 8
_POPUP_CELL_MAX = 200


def resource_preview_map_data(*, resource: Resource, max_features: int = MAP_FEATURES_MAX) -> dict | None:
    """The preview map's FeatureCollection (WGS 84 lon/lat) of the resource's first
    `max_features` features, each with its popup cells (`properties.cells`: up to
    _POPUP_FIELDS_MAX [field name, text] pairs, texts cut to _POPUP_CELL_MAX characters) and
    its feature id (`properties.fid`); None if the resource has no ingested features."""
    if not resource_is_ingested(resource):
        return None
    collection = resource_features_geojson(resources=[resource], limit=max_features, decimals=MAP_DECIMALS)
    first = collection["features"][0]["properties"] if collection["features"] else {}
    fields = [f["name"] for f in resource.geo_ingest.get("fields", []) if f["name"] in first][:_POPUP_FIELDS_MAX]
    for feature in collection["features"]:
        properties = feature.get("properties") or {}
        feature["properties"] = {
            "fid": feature.get("id"),
            "cells": [[name, attribute_cell(properties.get(name), max_chars=_POPUP_CELL_MAX)] for name in fields],
        }
    return collection


def resource_preview_html(
    *, resource: Resource, table_rows: int = TABLE_ROWS, max_features: int = MAP_FEATURES_MAX,
) -> SafeString:
    """HTML fragment previewing an ingested resource: the map (MapLibre, data from
    `resource_preview_map_data`) and a table of the first `table_rows` features' attributes.
    An empty string when the resource has no ingested features (`geo_ingest.status` != "ok")."""
    if not resource_is_ingested(resource):
        return SafeString("")
    ingest = resource.geo_ingest
    columns = [f["name"] for f in ingest.get("fields", [])]
    features = resource_attribute_rows(resources=[resource], limit=table_rows).get(resource.id, [])
    rows = [(fid, [attribute_cell(properties.get(c)) for c in columns]) for fid, properties in features]
    return SafeString(render_to_string("opendata/geo/preview.html", {
        "resource": resource,
        "ingest": ingest,
        "map_data": resource_preview_map_data(resource=resource, max_features=max_features),
        "map_title": _("Karte: %(name)s") % {"name": resource.name or resource.filename},
        # The map settings every page gets from the context processor (the admin's field
        # renders without a request context).
        **site(None),
        "map_feature_count": min(ingest.get("feature_count", 0), max_features),
        "columns": columns,
        "rows": rows,
    }))


def attribute_cell(value, *, max_chars: int | None = None) -> str:
    """The text of one attribute value in a preview table: "" for null, ja/nein for booleans,
    JSON for objects and lists; cut to `max_chars` characters (ending in "…") if given."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    if max_chars is None or len(text) <= max_chars:
        return text
    return text[:max_chars - 1] + "…"
