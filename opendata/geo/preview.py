"""Previews of an ingested vector resource: a folium map of its features and an attribute
table of the first features. Used by the admin and reusable by the public portal.

The map is a complete HTML document (folium), meant for an `<iframe srcdoc>` like the
statistics heat map (`frontend.heatmap`): Leaflet comes from our static files
(`vendor/leaflet/`, npm), never from folium's CDNs, and folium's jQuery/Bootstrap/icon
assets are left out (points are drawn as circle markers, which need no images). The
GeoJSON for the map is built by PostGIS (`json_build_object`, `ST_AsGeoJSON` with 7
decimals, about 1 cm) and capped at `max_features` features, in file order.

Background tiles come from settings.FRONTEND["TILE_URL"] unless another URL is given; an
empty URL gives a map without tiles.
"""
import json

from branca.element import Figure
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from folium import CircleMarker, GeoJson, GeoJsonPopup, Map, TileLayer
from folium.template import Template

from ..models import Resource, ResourceFeature

__all__ = ["resource_preview_html", "resource_preview_map_html"]

TABLE_ROWS = 50
MAP_FEATURES_MAX = 2000
_POPUP_FIELDS_MAX = 8


class _LocalFigure(Figure):
    """A branca Figure whose document names its language and title."""

    _template = Template(
        "<!DOCTYPE html>\n<html lang=\"{{ this.lang }}\">\n<head>\n<title>{{ this.title }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n</head>\n<body>\n    {{ this.html.render(**kwargs) }}\n"
        "</body>\n<script>\n    {{ this.script.render(**kwargs) }}\n</script>\n</html>\n"
    )

    def __init__(self, *, lang: str, title: str):
        super().__init__(title=title)
        self.lang = lang


class _LocalMap(Map):
    """folium.Map with our Leaflet, zoomable on phones, translated zoom controls, labelled region."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
                html, body { width: 100%; height: 100%; margin: 0; padding: 0; }
                #{{ this.get_name() }} { position: absolute; inset: 0; }
                .leaflet-container { font-size: 1rem; background: #e8ecf0; }
                .leaflet-container a { color: #0b5394; }
                .leaflet-container :focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; }
            </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <div class="folium-map" id={{ this.get_name()|tojson }}
                 role="region" aria-label="{{ this.label|e }}"></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}, ...{{ this.options|tojavascript }}}
            );
            L.control.zoom({
                zoomInTitle: {{ this.zoom_in_title|tojson }}, zoomOutTitle: {{ this.zoom_out_title|tojson }}
            }).addTo({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, label: str, **kwargs):
        super().__init__(zoom_control=False, **kwargs)
        self.label = label
        self.zoom_in_title = _("Vergrößern")
        self.zoom_out_title = _("Verkleinern")
        # Instance attributes: folium's class-level CDN lists stay untouched but unused.
        self.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
        self.default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css"))]


_FEATURES_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
         json_build_object('type', 'Feature', 'id', f.fid, 'geometry', ST_AsGeoJSON(f.geometry, 7)::json,
                           'properties', f.properties) ORDER BY f.fid), '[]'::json))::text
FROM (SELECT fid, geometry, properties FROM opendata_resourcefeature
      WHERE resource_id = %s ORDER BY fid LIMIT %s) f
"""


def _is_ingested(resource: Resource) -> bool:
    return (resource.geo_ingest or {}).get("status") == "ok"


def resource_preview_map_html(
    *, resource: Resource, max_features: int = MAP_FEATURES_MAX, tile_url: str | None = None,
    tile_attribution: str | None = None,
) -> str:
    """A self-contained HTML document with a Leaflet map of the resource's first
    `max_features` features (WGS 84), for an iframe `srcdoc`; "" if the resource has no
    ingested features. Tiles default to settings.FRONTEND's TILE_URL/TILE_ATTRIBUTION."""
    if not _is_ingested(resource):
        return ""
    frontend = getattr(settings, "FRONTEND", {})
    tile_url = frontend.get("TILE_URL", "") if tile_url is None else tile_url
    tile_attribution = frontend.get("TILE_ATTRIBUTION", "") if tile_attribution is None else tile_attribution
    with connection.cursor() as cursor:
        cursor.execute(_FEATURES_SQL, [resource.pk, max_features])
        collection = json.loads(cursor.fetchone()[0])
    x0, y0, x1, y1 = resource.geo_ingest["bbox"]
    title = _("Karte: %(name)s") % {"name": resource.name or resource.filename}
    figure = _LocalFigure(lang=(get_language() or "de")[:2], title=title)
    fmap = _LocalMap(label=title, location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=13, tiles=None)
    figure.add_child(fmap)
    if tile_url:
        TileLayer(tiles=tile_url, attr=tile_attribution, max_zoom=19).add_to(fmap)
    first = collection["features"][0]["properties"] if collection["features"] else {}
    popup_fields = [f["name"] for f in resource.geo_ingest.get("fields", []) if f["name"] in first]
    popup_fields = popup_fields[:_POPUP_FIELDS_MAX]
    GeoJson(
        collection, name=title,
        style_function=lambda _feature: {"color": "#0b5394", "weight": 2, "fillOpacity": 0.25},
        marker=CircleMarker(radius=5, fill=True, fill_opacity=0.7, color="#0b5394"),
        popup=GeoJsonPopup(fields=popup_fields) if popup_fields else None,
    ).add_to(fmap)
    if (x0, y0) != (x1, y1):
        fmap.fit_bounds([[y0, x0], [y1, x1]])
    return figure.render()


def resource_preview_html(
    *, resource: Resource, table_rows: int = TABLE_ROWS, max_features: int = MAP_FEATURES_MAX,
    tile_url: str | None = None, tile_attribution: str | None = None,
) -> SafeString:
    """HTML fragment previewing an ingested resource: the map (iframe with `srcdoc`, see
    `resource_preview_map_html`) and a table of the first `table_rows` features' attributes.
    An empty string when the resource has no ingested features (`geo_ingest.status` != "ok")."""
    if not _is_ingested(resource):
        return SafeString("")
    ingest = resource.geo_ingest
    columns = [f["name"] for f in ingest.get("fields", [])]
    features = list(ResourceFeature.objects.filter(resource=resource).only("fid", "properties")
                    .order_by("fid")[:table_rows])
    rows = [(f.fid, [_cell(f.properties.get(c)) for c in columns]) for f in features]
    return SafeString(render_to_string("opendata/geo/preview.html", {
        "resource": resource,
        "ingest": ingest,
        "map_html": resource_preview_map_html(resource=resource, max_features=max_features, tile_url=tile_url,
                                              tile_attribution=tile_attribution),
        "map_feature_count": min(ingest.get("feature_count", 0), max_features),
        "columns": columns,
        "rows": rows,
    }))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
