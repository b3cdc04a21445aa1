"""The statistics page's heat map: a folium map rendered on the server, assets served by us.

The map, its document and Leaflet come from `frontend.folium_local` (no CDN, zoomable on
phones, document language and title, translated controls); this module adds the heat layer
with leaflet.heat from `vendor/leaflet.heat/` (npm package, pinned in package-lock.json)
instead of folium's CDN copy.

The result is a complete HTML document, embedded by the page as an iframe `srcdoc`, which
keeps folium's full-page styles (`html, body {height: 100%}`) out of our page. A srcdoc
document resolves root-relative URLs against the embedding page, so `/static/…` works.
"""
from branca.element import Element
from django.templatetags.static import static
from django.utils.translation import gettext as _
from folium.plugins import HeatMap

from reporter.statistics import HeatPoint

from .folium_local import map_document_create

__all__ = ["heatmap_html"]

# leaflet.heat draws as soon as the layer is added; a map in an iframe that has no layout yet
# has size 0, and drawing then throws ("getImageData: the source width is 0"). Skip such a
# draw: the layer draws again on the map's next resize/moveend, once the frame has a size.
_DRAW_ONLY_WITH_A_SIZE = """
(function () {
  var redraw = L.HeatLayer.prototype._redraw;
  L.HeatLayer.prototype._redraw = function () {
    var size = this._map && this._map.getSize();
    if (!size || !size.x || !size.y) { return; }
    return redraw.apply(this, arguments);
  };
})();
"""


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
    fmap = map_document_create(title=_("Wärmekarte der Meldungen"), center_lonlat=center_lonlat, zoom=zoom,
                               tile_url=tile_url, tile_attribution=tile_attribution)
    fmap.get_root().script.add_child(Element(_DRAW_ONLY_WITH_A_SIZE))
    _LocalHeatMap(
        [[p.lat, p.lon, p.weight] for p in points],
        # Full intensity from the initial zoom on (leaflet.heat dims points at lower zooms);
        # red only where reports pile up: the busiest cell alone (weight 1) is half of `max`.
        max_zoom=zoom, radius=16, blur=18, min_opacity=0.3, max=2,
    ).add_to(fmap)
    return fmap.get_root().render()
