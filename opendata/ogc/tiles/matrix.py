"""The WebMercatorQuad tile matrix set (OGC 17-083r4, Annex D.1) and tile addresses.

WebMercatorQuad is the Google/OSM tiling: EPSG:3857, 256 x 256 pixel tiles, origin at the top
left corner (-20037508.3427892, 20037508.3427892), 2**z x 2**z tiles at zoom z. Its
definition is a short formula, so it is written here rather than read from a library
(morecantile would add pydantic for ten lines of arithmetic).
"""
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ...conf import opendata_setting
from ..errors import OgcParamError

__all__ = ["CRS_3857", "TMS_ID", "TMS_URI", "TileAddress", "tile_address_parse", "tile_matrix_set",
           "tile_max_zoom"]

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857"
_HALF_WORLD = 20037508.3427892  # metres, EPSG:3857
_TILE_SIZE = 256
# Scale denominators use the standardized rendering pixel of 0.28 mm (OGC 17-083r4 §6.1.1).
_PIXEL_METRES = 0.00028


@dataclass(frozen=True)
class TileAddress:
    """A tile of WebMercatorQuad: zoom (tile matrix), column x and row y (0 at the top)."""

    z: int
    x: int
    y: int


def tile_max_zoom() -> int:
    """The highest tile matrix served (OPENDATA["TILES_MAX_ZOOM"], at most 24)."""
    return min(int(opendata_setting("TILES_MAX_ZOOM")), 24)


def tile_address_parse(z: str, y: str, x: str) -> TileAddress | None:
    """The tile at tile matrix `z`, row `y`, column `x` (path segments), or None if it lies
    outside the tile matrix set (a 404: OGC 20-057 /req/core/tc-error). Non-integers are
    a 400 (`OgcParamError`)."""
    try:
        zoom, row, col = int(z), int(y), int(x)
    except ValueError:
        raise OgcParamError(_("Zoomstufe, Zeile und Spalte einer Kachel müssen ganze Zahlen sein.")) from None
    if not 0 <= zoom <= tile_max_zoom() or not 0 <= row < 2 ** zoom or not 0 <= col < 2 ** zoom:
        return None
    return TileAddress(z=zoom, x=col, y=row)


def tile_matrix_set(*, max_zoom: int | None = None) -> dict:
    """The tile matrix set definition (OGC 17-083r4 JSON encoding), zooms 0 to `max_zoom`."""
    top = tile_max_zoom() if max_zoom is None else max_zoom
    matrices = []
    for z in range(top + 1):
        cell = 2 * _HALF_WORLD / (_TILE_SIZE * 2 ** z)
        matrices.append({
            "id": str(z), "scaleDenominator": cell / _PIXEL_METRES, "cellSize": cell,
            "cornerOfOrigin": "topLeft", "pointOfOrigin": [-_HALF_WORLD, _HALF_WORLD],
            "tileWidth": _TILE_SIZE, "tileHeight": _TILE_SIZE, "matrixWidth": 2 ** z, "matrixHeight": 2 ** z,
        })
    return {
        "id": TMS_ID, "title": _("Web-Mercator-Kachelschema (Google Maps kompatibel)"), "uri": TMS_URI,
        "crs": CRS_3857, "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": matrices,
    }
