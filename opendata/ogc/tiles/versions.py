"""The versions of the tiles' sources: their names, the current version (the strong ETag of
`caching`) and the one way to increment it. Which source a tile is made from is
`selectors.tile_source`.

Sources (`TileVersion` rows): `report_cells` (the low-zoom report aggregates, incremented by
their refresh and rebuild), `layers` (every jurisdiction layer), `resources` (every ingested
dataset). The layer and dataset tables increment theirs through statement triggers in the
writing transaction; every increment — trigger or Python — goes through the SQL function
`opendata_tiles_version_next` (migration 0007), so the counter has one owner. The point
tiles of `reports` have no version: their ETag is a digest of the tile (see `caching`).
"""
from django.db import connection

from .models import TileVersion

__all__ = ["CONTENT_VERSIONED", "LAYERS", "REPORT_CELLS", "RESOURCES", "tile_version", "tile_version_bump"]

REPORT_CELLS = "report_cells"
LAYERS = "layers"
RESOURCES = "resources"
#: The source whose tiles carry an ETag of their content instead of a version (`caching`).
CONTENT_VERSIONED = "reports"


def tile_version(*, source: str) -> int:
    """The current version of `source` (one indexed read; 0 before its first increment)."""
    table = connection.ops.quote_name(TileVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE source = %s", [source])
        row = cursor.fetchone()
    return row[0] if row else 0


def tile_version_bump(*, source: str) -> int:
    """Increment the version of `source` in the current transaction; returns the new one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT opendata_tiles_version_next(%s)", [source])
        return cursor.fetchone()[0]
