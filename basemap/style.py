"""The basemap's MapLibre style (style spec v8), built for the requesting host.

Every URL in it points at this site (tiles, glyphs): no third-party asset at run time. The
land is the background; water, green, buildings, roads by class, railways, road names along
their lines and place names follow. Label colours keep WCAG 2.1 AA text contrast (≥ 4.5:1)
against their halo and against the land: #222222, #333333 and #1b4a72 on #ffffff/#f2efe9.
"""
from django.urls import reverse

from .conf import basemap_setting
from .selectors import ROAD_MIN_ZOOM

__all__ = ["style_build", "FONT_REGULAR", "FONT_BOLD", "LAND", "LABEL_HALO"]

FONT_REGULAR = "DejaVu Sans Book"
FONT_BOLD = "DejaVu Sans Bold"
LAND = "#f2efe9"
LABEL_HALO = "#ffffff"
_WATER = "#a9cfe3"
_ROAD = {"motorway": ("#e38a98", 2.5), "trunk": ("#f2a98f", 2.2), "primary": ("#f8cf98", 2.0),
         "secondary": ("#f4f3b0", 1.8), "tertiary": ("#ffffff", 1.6), "residential": ("#ffffff", 1.3),
         "service": ("#ffffff", 0.8), "path": ("#8c7d70", 0.8)}
_GREEN = {"park": "#c9e6b3", "forest": "#acd19d", "grass": "#d3ecbd"}


_WIDTH_STOPS = ((8, 0.4), (14, 2.5), (18, 10))  # zoom → factor of a line's base width


def _width(base: float) -> list:
    """Line width growing with zoom (exponential, px)."""
    return ["interpolate", ["exponential", 1.6], ["zoom"], *sum(([z, base * f] for z, f in _WIDTH_STOPS), [])]


def _width_by_kind(bases: dict[str, float], default: float) -> list:
    """Like `_width`, with the base width chosen by the feature's `kind`. The zoom interpolation
    must be the outermost expression (style spec: a zoom-based "interpolate" may not sit inside
    "match"), so the match is repeated at every stop."""
    def at(factor: float) -> list:
        return ["match", ["get", "kind"], *sum(([k, b * factor] for k, b in bases.items()), []), default * factor]
    return ["interpolate", ["exponential", 1.6], ["zoom"], *sum(([z, at(f)] for z, f in _WIDTH_STOPS), [])]


def style_build(*, request, attribution: str = "") -> dict:
    """The style document for `request`'s host; `attribution` is the current import's credit."""
    tile_url = request.build_absolute_uri(reverse("basemap:tile", kwargs={"z": 0, "x": 0, "y": 0}))
    glyph_url = request.build_absolute_uri(
        reverse("basemap:glyphs", kwargs={"fontstack": "F", "glyph_range": "0-255"}))
    source = {"type": "vector", "tiles": [tile_url.replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")],
              "minzoom": 0, "maxzoom": basemap_setting("MAX_SOURCE_ZOOM"), "attribution": attribution}
    layers = [
        {"id": "land", "type": "background", "paint": {"background-color": LAND}},
        {"id": "green", "type": "fill", "source": "basemap", "source-layer": "green",
         "paint": {"fill-color": ["match", ["get", "kind"], *sum(([k, v] for k, v in _GREEN.items()), []),
                                  _GREEN["grass"]]}},
        {"id": "water", "type": "fill", "source": "basemap", "source-layer": "water",
         "paint": {"fill-color": _WATER}},
        {"id": "waterway", "type": "line", "source": "basemap", "source-layer": "waterway",
         "paint": {"line-color": _WATER,
                   "line-width": _width_by_kind({"river": 3, "canal": 2}, 1)}},
        {"id": "building", "type": "fill", "source": "basemap", "source-layer": "building", "minzoom": 14,
         "paint": {"fill-color": "#dcd3cb", "fill-outline-color": "#c2b4a8"}},
    ]
    for kind, (colour, width) in reversed(_ROAD.items()):
        layer_filter = ["==", ["get", "kind"], kind]
        if kind != "path":
            layers.append({"id": f"road-{kind}-casing", "type": "line", "source": "basemap", "source-layer": "road",
                           "minzoom": ROAD_MIN_ZOOM[kind], "filter": layer_filter,
                           "layout": {"line-cap": "round", "line-join": "round"},
                           "paint": {"line-color": "#b5aca3", "line-width": _width(width + 0.6)}})
        paint = {"line-color": colour, "line-width": _width(width)}
        if kind == "path":
            paint["line-dasharray"] = [2, 1]
        layers.append({"id": f"road-{kind}", "type": "line", "source": "basemap", "source-layer": "road",
                       "minzoom": ROAD_MIN_ZOOM[kind], "filter": layer_filter,
                       "layout": {"line-cap": "round", "line-join": "round"}, "paint": paint})
    layers += [
        {"id": "railway", "type": "line", "source": "basemap", "source-layer": "railway",
         "paint": {"line-color": "#6f6f6f", "line-width": _width(1), "line-dasharray": [3, 2]}},
        {"id": "road-label", "type": "symbol", "source": "basemap", "source-layer": "road", "minzoom": 13,
         "filter": ["!=", ["get", "name"], ""],
         "layout": {"symbol-placement": "line", "text-field": ["get", "name"], "text-font": [FONT_REGULAR],
                    "text-size": ["interpolate", ["linear"], ["zoom"], 13, 11, 18, 15]},
         "paint": {"text-color": "#333333", "text-halo-color": LABEL_HALO, "text-halo-width": 1.5}},
        {"id": "water-label", "type": "symbol", "source": "basemap", "source-layer": "waterway", "minzoom": 13,
         "filter": ["!=", ["get", "name"], ""],
         "layout": {"symbol-placement": "line", "text-field": ["get", "name"], "text-font": [FONT_REGULAR],
                    "text-size": 12},
         "paint": {"text-color": "#1b4a72", "text-halo-color": LABEL_HALO, "text-halo-width": 1.5}},
        {"id": "place-label", "type": "symbol", "source": "basemap", "source-layer": "place",
         "layout": {"text-field": ["get", "name"],
                    "text-font": ["match", ["get", "kind"], ["city", "town"], ["literal", [FONT_BOLD]],
                                  ["literal", [FONT_REGULAR]]],
                    "text-size": ["match", ["get", "kind"], ["city", "town"], 18, ["suburb", "village"], 15, 12],
                    "text-max-width": 8},
         "paint": {"text-color": "#222222", "text-halo-color": LABEL_HALO, "text-halo-width": 2}},
    ]
    return {
        "version": 8,
        "name": "Stadtmelder Basiskarte",
        "sources": {"basemap": source},
        "glyphs": glyph_url.replace("/F/0-255.pbf", "/{fontstack}/{range}.pbf"),
        "layers": layers,
    }
