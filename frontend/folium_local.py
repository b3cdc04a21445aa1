"""folium maps that load Leaflet from our own static files: the one place that bends folium to
our rules, used by the statistics heat map (`frontend.heatmap`) and the admin's preview of
ingested open-data resources (`opendata.geo.preview`).

folium points every asset (Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers) at
public CDNs. Our pages must not load anything from a third-party host, so `LocalMap`
replaces those lists per instance with Leaflet from `vendor/leaflet/` (the npm package,
pinned in package-lock.json, served through STATICFILES_DIRS) and leaves out what our maps do
not use (jQuery, Bootstrap, icons: points are drawn as circle markers, which need no images).
Plugins that bring their own script (e.g. folium.plugins.HeatMap) still need theirs pointed
at our static files by the caller. Map and Figure also get their own templates: folium's
disables pinch-zoom (`user-scalable=no`, WCAG 1.4.4), has no document language or title and
uses Leaflet's English control labels; the script part is otherwise folium 0.20's.

The result of `map_document_create(...).get_root().render()` is a complete HTML document,
meant for an `<iframe srcdoc>`, which keeps folium's full-page styles (`html, body
{height: 100%}`) out of our page. A srcdoc document resolves root-relative URLs against the
embedding page, so `/static/…` works.

Why in `frontend`: this is presentation (our map look, focus outline, translated controls)
built on the static assets the frontend serves, and `opendata` already builds on `frontend`'s
presentation (its templates extend `frontend/base.html`). `frontend` never imports
`opendata`, so the dependency keeps pointing one way.
"""
from branca.element import Figure
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from folium import Map, TileLayer
from folium.template import Template

__all__ = ["LocalFigure", "LocalMap", "map_document_create"]


class LocalFigure(Figure):
    """A branca Figure whose document names its language and title."""

    _template = Template(
        "<!DOCTYPE html>\n"
        "<html lang=\"{{ this.lang }}\">\n"
        "<head>\n"
        "<title>{{ this.title|e }}</title>\n"
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


class LocalMap(Map):
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
        # Instance attributes: folium's class-level CDN lists stay untouched but unused.
        self.default_js = [("leaflet", static("vendor/leaflet/leaflet.js"))]
        self.default_css = [("leaflet_css", static("vendor/leaflet/leaflet.css"))]


def map_document_create(
    *, title: str, center_lonlat: tuple[float, float], zoom: int, tile_url: str, tile_attribution: str,
) -> LocalMap:
    """A `LocalMap` centred on `center_lonlat` (lon, lat; WGS 84) inside a `LocalFigure`.

    The document's language is the active one and `title` is both the document title and the
    map's accessible label. With an empty `tile_url` the map has no background tiles. Add
    layers to the returned map, then render the document with `.get_root().render()`.
    """
    lon, lat = center_lonlat
    figure = LocalFigure(lang=(get_language() or "de")[:2], title=title)
    fmap = LocalMap(label=title, location=[lat, lon], zoom_start=zoom, tiles=None)  # folium: [lat, lon]
    figure.add_child(fmap)
    if tile_url:
        TileLayer(tiles=tile_url, attr=tile_attribution, max_zoom=19).add_to(fmap)
    return fmap
