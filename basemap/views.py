"""HTTP for the basemap: vector tiles, the MapLibre style and the glyphs (thin views).

Tiles carry an ETag naming the basemap version (the latest import) and a public
Cache-Control, so a cache in front revalidates after an import with a cheap 304. Tiles and
glyphs hold no text of the request's language: they vary on Accept-Encoding only (config.vary),
so a cache keeps one copy for every language and site. A tile with
nothing in it is answered 204 No Content (MapLibre draws it as empty).
"""
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from config.vary import vary_exactly_view

from .conf import basemap_setting
from .selectors import basemap_current, glyph_path, tile_render
from .style import style_build

__all__ = ["tile", "style", "glyphs"]

MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 22


def _tile_etag(request, z, x, y):
    """The basemap version as entity tag: every tile changes only with an import."""
    current = basemap_current()
    return f'"basemap-{current.pk if current else 0}-{z}-{x}-{y}"'


@vary_exactly_view("Accept-Encoding")
@require_safe
@condition(etag_func=_tile_etag)
def tile(request, z: int, x: int, y: int):
    """GET /karte/basemap/{z}/{x}/{y}.mvt — one Mapbox Vector Tile (XYZ, y from the north)."""
    if z > MAX_ZOOM or x >= 2 ** z or y >= 2 ** z:
        raise Http404(_("Diese Kachel gibt es nicht: Zoomstufe 0–%(max)s, x und y 0 bis 2^z − 1.") % {"max": MAX_ZOOM})
    data = tile_render(z=z, x=x, y=y)
    response = HttpResponse(data, content_type=MVT_CONTENT_TYPE, status=200 if data else 204)
    response["Cache-Control"] = f"public, max-age={basemap_setting('TILE_MAX_AGE')}"
    return response


@require_safe
def style(request):
    """GET /karte/basemap/style.json — the MapLibre style (spec v8) for this host."""
    current = basemap_current()
    response = JsonResponse(style_build(request=request, attribution=current.attribution if current else ""))
    response["Cache-Control"] = "public, max-age=3600"
    return response


@vary_exactly_view("Accept-Encoding")
@require_safe
def glyphs(request, fontstack: str, glyph_range: str):
    """GET /karte/basemap/fonts/{fontstack}/{start}-{end}.pbf — a block of 256 SDF glyphs."""
    path = glyph_path(fontstack=fontstack, glyph_range=glyph_range)
    if path is None:
        raise Http404(_("Für diese Schrift oder diesen Zeichenbereich gibt es keine Glyphen."))
    response = FileResponse(path.open("rb"), content_type="application/x-protobuf")
    response["Cache-Control"] = "public, max-age=604800"
    return response
