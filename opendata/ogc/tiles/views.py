"""HTTP endpoints of OGC API – Tiles under `/ogc/` (OGC 20-057: core, tileset,
tilesets-list, geodata-tilesets, mvt):

- `/ogc/tileMatrixSets`, `/ogc/tileMatrixSets/WebMercatorQuad`: the tiling scheme;
- `/ogc/collections/{id}/tiles`: the collection's tilesets (one: WebMercatorQuad);
- `/ogc/collections/{id}/tiles/WebMercatorQuad`: tileset metadata, or TileJSON 3.0.0 with
  `?f=tilejson`;
- `/ogc/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}`: a Mapbox Vector Tile (row before
  column, as OGC writes `{tileMatrix}/{tileRow}/{tileCol}`).

Errors are the OGC exceptions of the Features views (`http.error_response`): an unknown
collection, tile matrix set or a tile outside the matrix set answers 404, a malformed
parameter 400. A tile without features answers 204 No Content: OGC 20-057 (/req/core/tc-success)
lets a server answer an empty tile inside the limits with 204 or with an empty tile, and 204
costs no bytes; map clients (MapLibre, OpenLayers, QGIS, GDAL) draw it as empty. Tiles carry
a strong ETag and Cache-Control (`caching`, which also decides whether a 304 needs the tile
rendered: yes for a content ETag, no for a version ETag).
A tile (200, 204, 304) varies on Accept-Encoding only, not on the language or the calling
site (`config.vary`); the documents keep Accept-Language (their titles are translated).
"""
from functools import partial

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _

from config.vary import vary_exactly

from ..errors import OgcParamError
from ..http import NotFound, collection_or_404, json_response, ogc_view, view_url
from ..params import params_check_known
from .caching import tile_cache_control, tile_etag
from .documents import (
    MVT,
    TILEJSON,
    tilejson_document,
    tileset_document,
    tileset_summary,
    tilesets_document,
)
from .matrix import TMS_ID, tile_address_parse, tile_matrix_set
from .selectors import tile_render, tile_source

__all__ = ["tile", "tile_matrix_set_detail", "tile_matrix_sets", "tileset", "tilesets"]


def _format(request, allowed: tuple[str, ...]) -> str:
    """The `f` parameter (the first of `allowed` when absent); other parameters are refused."""
    params_check_known(request.GET, {"f"})
    value = request.GET.get("f", allowed[0])
    if value not in allowed:
        raise OgcParamError(_("Unbekanntes Format f=%(value)s. Erlaubt sind: %(allowed)s.")
                            % {"value": value, "allowed": ", ".join(allowed)})
    return value


def _tms_check(tms: str) -> None:
    if tms != TMS_ID:
        raise NotFound(_("Das Kachelschema „%(tms)s“ gibt es nicht. Angeboten wird: %(known)s.")
                        % {"tms": tms, "known": TMS_ID})


def _tile_template(request, collection_id: str) -> str:
    base = view_url(request, "ogc-tileset", collection_id, TMS_ID)
    return base + "/{tileMatrix}/{tileRow}/{tileCol}"


@ogc_view
def tile_matrix_sets(request):
    """The tile matrix sets offered (OGC API – Tiles /conf/core with TMS 2.0)."""
    _format(request, ("json",))
    detail = view_url(request, "ogc-tile-matrix-set", TMS_ID)
    return json_response({
        "links": [{"rel": "self", "type": "application/json", "title": _("Kachelschemata"),
                   "href": view_url(request, "ogc-tile-matrix-sets")}],
        "tileMatrixSets": [{"id": TMS_ID, "title": tile_matrix_set(max_zoom=0)["title"],
                            "uri": tile_matrix_set(max_zoom=0)["uri"],
                            "links": [{"rel": "self", "type": "application/json", "href": detail}]}],
    })


@ogc_view
def tile_matrix_set_detail(request, tms: str):
    """The definition of one tile matrix set."""
    _format(request, ("json",))
    _tms_check(tms)
    return json_response(tile_matrix_set())


@ogc_view
def tilesets(request, collection_id: str):
    """The tilesets of a collection."""
    _format(request, ("json",))
    found = collection_or_404(collection_id)
    summary = tileset_summary(collection=found, tileset_url=view_url(request, "ogc-tileset", collection_id, TMS_ID),
                              tms_url=view_url(request, "ogc-tile-matrix-set", TMS_ID))
    return json_response(tilesets_document(summary=summary, self_url=view_url(request, "ogc-tilesets", collection_id),
                                   collection_url=view_url(request, "ogc-collection", collection_id, f="json")))


@ogc_view
def tileset(request, collection_id: str, tms: str):
    """Tileset metadata, or the TileJSON document with `f=tilejson`."""
    fmt = _format(request, ("json", "tilejson"))
    _tms_check(tms)
    found = collection_or_404(collection_id, with_extent=True)
    base = view_url(request, "ogc-tileset", collection_id, TMS_ID)
    if fmt == "tilejson":
        return json_response(tilejson_document(collection=found, tile_url=base + "/{z}/{y}/{x}"), TILEJSON)
    return json_response(tileset_document(collection=found, self_url=base,
                                  tms_url=view_url(request, "ogc-tile-matrix-set", TMS_ID),
                                  tile_template=_tile_template(request, collection_id),
                                  tilejson_url=view_url(request, "ogc-tileset", collection_id, TMS_ID, f="tilejson")))


@ogc_view
def tile(request, collection_id: str, tms: str, z: str, y: str, x: str):
    """One vector tile: 200 with the MVT, 204 when empty, 304 when `If-None-Match` matches."""
    _format(request, ("mvt",))
    _tms_check(tms)
    found = collection_or_404(collection_id)
    address = tile_address_parse(z, y, x)
    if address is None:
        raise NotFound(_("Die Kachel %(z)s/%(y)s/%(x)s liegt außerhalb des Kachelschemas %(tms)s.")
                        % {"z": z, "y": y, "x": x, "tms": TMS_ID})
    render = partial(tile_render, collection=found, tile=address)
    etag, data = tile_etag(source=tile_source(collection=found, z=address.z), collection=found, tile=address,
                           render=render)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        data = render() if data is None else data
        response = HttpResponse(data, content_type=MVT, status=200 if data else 204)
    response["ETag"] = etag
    response["Cache-Control"] = tile_cache_control()
    # The same bytes for every Accept, Accept-Language and Origin: one cached copy per tile
    # (config.vary). Errors stay translated, and vary on the language (`_ogc_view`).
    return vary_exactly(response, "Accept-Encoding")
