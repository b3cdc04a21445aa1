"""The one pass over a GeoJSON file before GDAL reads it: is it JSON, is it an object, is it
nested no deeper than GeoJSON needs, and what is its top-level `crs` member (GDAL silently
falls back to WGS 84 for a CRS it does not know, so `geodata.readers.declared_crs_check`
compares the two).

The file is streamed (ijson's C parser, event by event), so memory does not grow with its
size, and nesting costs no recursion: a file of 100,000 nested brackets is refused with a
message instead of a RecursionError. JSON has no NaN or Infinity; a file with them is not
JSON and is refused here, naming them.
"""
from pathlib import Path

import ijson
from django.utils.translation import gettext as _

from ..errors import GeoIngestError

__all__ = ["GEOJSON_MAX_DEPTH", "geojson_scan"]

# FeatureCollection > features > Feature > geometry > coordinates > polygons > rings > position
# is 8 levels; properties may nest further. GDAL's JSON parser refuses deeper files anyway.
GEOJSON_MAX_DEPTH = 64
_BUFFER = 256 * 1024
_OPEN = {"start_map", "start_array"}
_CLOSE = {"end_map", "end_array"}


def geojson_scan(path: Path) -> dict | None:
    """The top-level `crs` member of the GeoJSON file at `path` (None if absent or not an
    object); raises `GeoIngestError` if the file is not a JSON object or nests deeper than
    GEOJSON_MAX_DEPTH levels."""
    depth = 0
    crs = None
    builder = None  # collects the `crs` member's value while it is read
    pending_crs = False
    try:
        with path.open("rb") as fh:
            for event, value in ijson.basic_parse(fh, buf_size=_BUFFER, use_float=True):
                if depth == 0 and event != "start_map":
                    raise GeoIngestError(_("Die Datei „%(file)s“ ist kein GeoJSON-Objekt.") % {"file": path.name})
                if builder is not None:
                    builder.event(event, value)
                elif pending_crs:
                    if event in _OPEN:
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                    pending_crs = False
                if event in _OPEN:
                    depth += 1
                    if depth > GEOJSON_MAX_DEPTH:
                        raise GeoIngestError(
                            _("Die Datei ist tiefer als %(n)d Ebenen verschachtelt und damit kein gültiges GeoJSON.")
                            % {"n": GEOJSON_MAX_DEPTH})
                elif event in _CLOSE:
                    depth -= 1
                    if builder is not None and depth == 1:
                        crs, builder = builder.value, None
                elif depth == 1 and event == "map_key":
                    pending_crs = value == "crs"
    except ijson.JSONError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        message = _("Die Datei „%(file)s“ ist kein gültiges JSON: %(error)s") % {"file": path.name, "error": detail}
        if "NaN" in str(exc) or "Infinity" in str(exc):
            message += " " + _("(NaN und Infinity sind in JSON keine Zahlen; fehlende Koordinaten bitte weglassen.)")
        raise GeoIngestError(message) from exc
    return crs if isinstance(crs, dict) else None
