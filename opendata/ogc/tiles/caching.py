"""HTTP caching of tiles: a strong ETag and Cache-Control, so that a cache in front (Varnish,
a CDN) serves a crowd and revalidates with `If-None-Match` (→ 304; the comparison is Django's
`get_conditional_response`).

Which ETag a tile gets is decided here, in `tile_etag`, per source (`versions.VERSIONED`):

- a version ETag for the low-zoom report counts (`report_cells`): the version changes in the
  transaction of the aggregates' refresh, so an ETag never names two different tiles, and a
  304 is answered without rendering;
- a content ETag (a digest of the rendered tile) for everything written by people and imports:
  report points, jurisdiction layers, ingested datasets. A version row bumped by their writes
  was held until commit by every writing transaction: concurrent report writes deadlocked
  (migration 0006), and an ingest of minutes blocked every edit of any other dataset and could
  deadlock with an edit of its own (migration 0008). The price: a revalidation renders the
  tile (one indexed PostGIS statement: milliseconds at street level, about 0.1 s for a
  low-zoom tile of a layer with tens of thousands of vertices) and saves only the bandwidth;
  the gain besides: an unrelated write never changes a tile's ETag.

The ETag also carries a digest of what shapes a tile besides the data (the tile encoding's
revision and the tile settings), so a deployment that changes the encoding invalidates every
cached tile.
"""
import hashlib
from collections.abc import Callable

from ...conf import opendata_setting
from .versions import VERSIONED, tile_version

__all__ = ["ENCODING_REVISION", "tile_cache_control", "tile_etag"]

# Increment when the tiles' layers, properties or geometry encoding change.
ENCODING_REVISION = 1


def _settings_digest() -> str:
    shape = (ENCODING_REVISION, opendata_setting("TILES_AGGREGATE_BELOW_ZOOM"),
             opendata_setting("TILES_AGGREGATE_CELL_BITS"))
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:8]


def tile_etag(*, source: str, render: Callable[[], bytes]) -> tuple[str, bytes | None]:
    """The strong ETag (quoted, RFC 9110 §8.8.3) of a tile made from `source`, and the tile
    when it was rendered to compute it (None for a version ETag: render only if needed)."""
    if source in VERSIONED:
        return f'"{source}-{tile_version(source=source)}-{_settings_digest()}"', None
    data = render()
    return f'"{source}-{hashlib.sha256(data).hexdigest()[:20]}-{_settings_digest()}"', data


def tile_cache_control() -> str:
    """Cache-Control of a tile: public, fresh for TILES_MAX_AGE seconds, then revalidated."""
    return f"public, max-age={int(opendata_setting('TILES_MAX_AGE'))}, must-revalidate"
