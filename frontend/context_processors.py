"""Template context shared by every page: city name and map settings.

`MAP.style_url` is the basemap's MapLibre style and `MAP.glyphs_url` its glyph template (both
served by us, basemap app); the MapLibre maps draw on that style unless the city configured an
external raster service (`MAP.tile_url`, settings.FRONTEND["TILE_URL"]), which replaces the
basemap's layers while the glyphs (for the report counts) stay ours.
"""
from django.conf import settings
from django.urls import reverse

__all__ = ["site"]


def _glyphs_url() -> str:
    """The style spec's glyph template (`{fontstack}`, `{range}`) of our glyph endpoint."""
    sample = reverse("basemap:glyphs", kwargs={"fontstack": "F", "glyph_range": "0-255"})
    return sample.replace("/F/0-255.pbf", "/{fontstack}/{range}.pbf")


def site(request):
    """City name and the map settings (`MAP`) for every template."""
    frontend = settings.FRONTEND
    return {
        "CITY_NAME": frontend["CITY_NAME"],
        "MAP": {
            "tile_url": frontend["TILE_URL"],
            "tile_attribution": frontend["TILE_ATTRIBUTION"],
            "style_url": reverse("basemap:style"),
            "glyphs_url": _glyphs_url(),
            "center": frontend["MAP_CENTER"],
            "zoom": frontend["MAP_ZOOM"],
        },
    }
