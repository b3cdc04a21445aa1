"""HTTP caching of tiles: a strong ETag from the version of the tile's source and
Cache-Control, so that a cache in front (Varnish, a CDN) serves a crowd and revalidates
cheaply (`If-None-Match` → 304 without rendering the tile; the comparison is Django's
`get_conditional_response`).

The version (`versions`) changes in the same transaction as the layers or datasets it
counts (database triggers) or as the refresh of the report aggregates, so an ETag never names
two different tiles. The point tiles of `reports` are the exception: their ETag is a digest of
the tile itself (`tile_content_etag`), rendered first. A version row bumped by every report
write made concurrent report writes deadlock (each took the row while holding report rows the
other needed); rendering a point tile costs milliseconds, so only the 304's saved render is
given up, not the saved bandwidth. The ETag also carries a digest of what shapes a tile besides the
data (the tile encoding's revision and the tile settings), so a deployment that changes the
encoding invalidates every cached tile.
"""
import hashlib

from ...conf import opendata_setting

__all__ = ["ENCODING_REVISION", "tile_cache_control", "tile_content_etag", "tile_etag"]

# Increment when the tiles' layers, properties or geometry encoding change.
ENCODING_REVISION = 1


def _settings_digest() -> str:
    shape = (ENCODING_REVISION, opendata_setting("TILES_AGGREGATE_BELOW_ZOOM"),
             opendata_setting("TILES_AGGREGATE_CELL_BITS"))
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:8]


def tile_etag(*, source: str, version: int) -> str:
    """The strong ETag of a tile made from `source` at `version` (quoted, RFC 9110 §8.8.3)."""
    return f'"{source}-{version}-{_settings_digest()}"'


def tile_content_etag(*, source: str, data: bytes) -> str:
    """The strong ETag of the tile `data` (an empty tile too) made from `source`."""
    return f'"{source}-{hashlib.sha256(data).hexdigest()[:20]}-{_settings_digest()}"'


def tile_cache_control() -> str:
    """Cache-Control of a tile: public, fresh for TILES_MAX_AGE seconds, then revalidated."""
    return f"public, max-age={int(opendata_setting('TILES_MAX_AGE'))}, must-revalidate"
