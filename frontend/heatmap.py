"""The statistics page's heat map: a folium map rendered on the server, assets served by us.

folium points every asset (Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers,
leaflet.heat) at public CDNs. The page must not load anything from a third-party host, so
the classes below replace those lists per instance with our own static files — Leaflet from
`vendor/leaflet/` and leaflet.heat from `vendor/leaflet.heat/` (both npm packages, pinned in
package-lock.json) — and leave out what a heat map does not use (jQuery, Bootstrap, icons).
Map and Figure also get their own templates: folium's disables pinch-zoom
(`user-scalable=no`, WCAG 1.4.4), has no document language or title and uses Leaflet's
English control labels; the script part is otherwise folium 0.20's.

The result is a complete HTML document, embedded by the page as an iframe `srcdoc`, which
keeps folium's full-page styles (`html, body {height: 100%}`) out of our page. A srcdoc
document resolves root-relative URLs against the embedding page, so `/static/…` works.
"""
from branca.element import Figure
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from folium import Map, TileLayer
from folium.plugins import HeatMap
from folium.template import Template

from reporter.statistics import HeatPoint

__all__ = ["heatmap_html"]


class _LocalFigure(Figure):
    """A branca Figure whose document names its language and title."""

    _template = Template(
        "<!DOCTYPE html>\n"
        "<html lang=\"{{ this.lang }}\">\n"
        "<head>\n"
        "<title>{{ this.title }}</title>\n"
        "    {{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        "<body>\n"
        "    {{ this.html.render(**kwargs) }}\n"
        "</body>\n"
        "<script>\n"
        "    {{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</html>\n"
    )

    def __init__(self, *, lang: str, title: str):
        super().__init__(title=title)
        self.lang = lang


class _LocalMap(Map):
    """folium.Map with our Leaflet, zoomable on phones, with translated controls and a labelled container."""

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
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
            L.control.zoom({
                zoomInTitle: {{ this.zoom_in_title|tojson }},
                zoomOutTitle: {{ this.zoom_out_title|tojson }}
            }).addTo({{ this.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, label: str, **kwargs):
        super().__init__(zoom_control=False, **kwargs)
        self.label = label
        self.zoom_in_title = _("Vergrößern")
        self.zoom_out_title = _("Verkleinern")
        # Instance attributes: folium's class-level lists stay untouched.
        self.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
        self.default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css"))]


class _LocalHeatMap(HeatMap):
    """folium's HeatMap layer with leaflet.heat from our static files."""

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.default_js = [("leaflet-heat.js", static("vendor/leaflet.heat/leaflet-heat.js"))]


def heatmap_html(
    *, points: list[HeatPoint], center_lonlat: tuple[float, float], zoom: int, tile_url: str,
    tile_attribution: str,
) -> str:
    """A self-contained HTML document with a Leaflet heat map of `points` (WGS 84).

    `center_lonlat` is (lon, lat) as in settings.FRONTEND; with an empty `tile_url` the map
    has no background tiles (the heat layer shows on a plain background).
    """
    lon, lat = center_lonlat
    figure = _LocalFigure(lang=(get_language() or "de")[:2], title=_("Wärmekarte der Meldungen"))
    fmap = _LocalMap(label=_("Wärmekarte der Meldungen"), location=[lat, lon], zoom_start=zoom, tiles=None)
    figure.add_child(fmap)
    if tile_url:
        TileLayer(tiles=tile_url, attr=tile_attribution, max_zoom=19).add_to(fmap)
    _LocalHeatMap(
        [[p.lat, p.lon, p.weight] for p in points],
        # Full intensity from the initial zoom on (leaflet.heat dims points at lower zooms);
        # red only where reports pile up: the busiest cell alone (weight 1) is half of `max`.
        max_zoom=zoom, radius=16, blur=18, min_opacity=0.3, max=2,
    ).add_to(fmap)
    return figure.render()
