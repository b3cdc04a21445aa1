"""HTTP caching of tiles: a strong ETag and Cache-Control, so that a cache in front (Varnish,
a CDN) serves a crowd and revalidates with `If-None-Match` (→ 304; the comparison is Django's
`get_conditional_response`).

Which ETag a tile gets is decided here, in `tile_etag`, per source (`versions.VERSIONED`):

- a version ETag for the low-zoom report counts (`report_cells`, a counter changed in the
  transaction of the aggregates' refresh) and for the tiles of a jurisdiction layer or a
  dataset resource (the version of that one collection, on its own row, changed in the
  transaction of every write of its features; read with the collection). An ETag never names
  two different tiles, a 304 is answered without rendering, and a write to one collection
  never changes another's ETags;
- a content ETag (a digest of the rendered tile) for the report points: a version row bumped
  by every report write was held until commit, and concurrent report writes deadlocked
  (migration 0006). A revalidation renders the tile (one indexed PostGIS statement,
  milliseconds at street level) and saves only the bandwidth.

A version ETag names the tile's address too (z/x/y), so it is unique across the collection.
The ETag also carries a digest of what shapes a tile besides the data (the tile encoding's
revision and the tile settings), so a deployment that changes the encoding invalidates every
cached tile.
"""
import hashlib
from collections.abc import Callable

from ...conf import opendata_setting
from .matrix import TileAddress
from .versions import VERSIONED, tile_version

__all__ = ["ENCODING_REVISION", "tile_cache_control", "tile_etag"]

# Increment when the tiles' layers, properties or geometry encoding change.
ENCODING_REVISION = 1


def _settings_digest() -> str:
    shape = (ENCODING_REVISION, opendata_setting("TILES_AGGREGATE_BELOW_ZOOM"),
             opendata_setting("TILES_AGGREGATE_CELL_BITS"))
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:8]


def tile_etag(*, source: str, collection, tile: TileAddress,
              render: Callable[[], bytes]) -> tuple[str, bytes | None]:
    """The strong ETag (quoted, RFC 9110 §8.8.3) of `tile` of `collection`, made from `source`,
    and the tile when it was rendered to compute it (None for a version ETag: render only if needed)."""
    if source in VERSIONED:
        version = tile_version(source=source, collection=collection)
        return f'"{source}-v{version}-{tile.z}-{tile.x}-{tile.y}-{_settings_digest()}"', None
    data = render()
    return f'"{source}-{hashlib.sha256(data).hexdigest()[:20]}-{_settings_digest()}"', data


def tile_cache_control() -> str:
    """Cache-Control of a tile: public, fresh for TILES_MAX_AGE seconds, then revalidated."""
    return f"public, max-age={int(opendata_setting('TILES_MAX_AGE'))}, must-revalidate"
