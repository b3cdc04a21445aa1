"""Previews of an ingested vector resource: a folium map of its features and an attribute
table of the first features. Used by the admin; `attribute_cell` is shared with the portal.

The map is a complete HTML document (`frontend.folium_local`), meant for an `<iframe srcdoc>`
like the statistics heat map: Leaflet comes from our static files, never from folium's CDNs,
and points are drawn as circle markers, which need no images. The features are read by
`opendata.geo.selectors` (GeoJSON built by PostGIS with 7 decimals, about 1 cm), capped at
`max_features` features, in file order.

Background tiles come from settings.FRONTEND["TILE_URL"] unless another URL is given; an
empty URL gives a map without tiles.

Everything in the map document that comes from the uploaded file or the resource (field
names, values, the resource's name) is HTML-escaped before folium sees it: folium's popups
write labels and values into the page as markup. The template puts the document in an
iframe with `sandbox="allow-scripts"` (no `allow-same-origin`), so even a script that got in
could not reach the admin page or its session.
"""
import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from folium import CircleMarker, GeoJson, GeoJsonPopup

from frontend.folium_local import map_document_create

from ..models import Resource
from .selectors import resource_attribute_rows, resource_features_geojson, resource_is_ingested

__all__ = ["attribute_cell", "resource_preview_html", "resource_preview_map_html"]

TABLE_ROWS = 50
MAP_FEATURES_MAX = 2000
MAP_DECIMALS = 7  # about 1 cm
_POPUP_FIELDS_MAX = 8
_POPUP_CELL_MAX = 200


def resource_preview_map_html(
    *, resource: Resource, max_features: int = MAP_FEATURES_MAX, tile_url: str | None = None,
    tile_attribution: str | None = None,
) -> str:
    """A self-contained HTML document with a Leaflet map of the resource's first
    `max_features` features (WGS 84), for an iframe `srcdoc`; "" if the resource has no
    ingested features. Tiles default to settings.FRONTEND's TILE_URL/TILE_ATTRIBUTION."""
    if not resource_is_ingested(resource):
        return ""
    frontend = getattr(settings, "FRONTEND", {})
    tile_url = frontend.get("TILE_URL", "") if tile_url is None else tile_url
    tile_attribution = frontend.get("TILE_ATTRIBUTION", "") if tile_attribution is None else tile_attribution
    collection = resource_features_geojson(resources=[resource], limit=max_features, decimals=MAP_DECIMALS)
    x0, y0, x1, y1 = resource.geo_ingest["bbox"]  # lon/lat
    title = _("Karte: %(name)s") % {"name": resource.name or resource.filename}
    fmap = map_document_create(title=title, center_lonlat=((x0 + x1) / 2, (y0 + y1) / 2), zoom=13,
                               tile_url=tile_url, tile_attribution=tile_attribution)
    first = collection["features"][0]["properties"] if collection["features"] else {}
    popup_fields = [f["name"] for f in resource.geo_ingest.get("fields", []) if f["name"] in first]
    popup_fields = popup_fields[:_POPUP_FIELDS_MAX]
    keys = _popup_properties_escape(collection, popup_fields)
    GeoJson(
        collection, name=title,
        style_function=lambda _feature: {"color": "#0b5394", "weight": 2, "fillOpacity": 0.25},
        marker=CircleMarker(radius=5, fill=True, fill_opacity=0.7, color="#0b5394"),
        # folium writes labels and values into the popup as HTML: both are escaped above.
        popup=GeoJsonPopup(fields=keys, aliases=[escape(name) for name in popup_fields], localize=False)
        if popup_fields else None,
    ).add_to(fmap)
    if (x0, y0) != (x1, y1):
        fmap.fit_bounds([[y0, x0], [y1, x1]])
    return fmap.get_root().render()


def _popup_properties_escape(collection: dict, fields: list[str]) -> list[str]:
    """Replace each feature's properties by the popup's cells, HTML-escaped, under neutral keys
    (p0, p1, …); returns those keys. folium's popup puts field names and values into the page
    as HTML (`innerHTML`), so a property named `<img src=x onerror=…>` would run as script;
    escaped here, it is shown as text. Values are formatted like the attribute table's cells."""
    keys = [f"p{i}" for i in range(len(fields))]
    for feature in collection["features"]:
        properties = feature.get("properties") or {}
        feature["properties"] = {key: escape(attribute_cell(properties.get(name), max_chars=_POPUP_CELL_MAX))
                                 for key, name in zip(keys, fields, strict=True)}
    return keys


def resource_preview_html(
    *, resource: Resource, table_rows: int = TABLE_ROWS, max_features: int = MAP_FEATURES_MAX,
    tile_url: str | None = None, tile_attribution: str | None = None,
) -> SafeString:
    """HTML fragment previewing an ingested resource: the map (iframe with `srcdoc`, see
    `resource_preview_map_html`) and a table of the first `table_rows` features' attributes.
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
        "map_html": resource_preview_map_html(resource=resource, max_features=max_features, tile_url=tile_url,
                                              tile_attribution=tile_attribution),
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
