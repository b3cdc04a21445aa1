"""The sources of the tiles, which of them carry a version, the current version and the one way
to increment the counted one. Which source a tile is made from is `selectors.tile_source`;
which ETag a tile gets (version or content) is decided in one place, `caching.tile_etag`.

Sources: `report_cells` (the low-zoom report aggregates), `reports` (the report points),
`layers` (the jurisdiction layers), `resources` (the ingested datasets).

- `report_cells` has a counter (a `TileVersion` row): its tiles are read from the aggregates,
  which only their refresh and rebuild write (a Celery task and a command, never a user's
  write), so bumping it there blocks no one. Every increment goes through the SQL function
  `opendata_tiles_version_next` (migration 0007), from Python and from the TRUNCATE trigger of
  the reports.
- `layers` and `resources` have a version per collection on the collection's own row:
  `JurisdictionLayer.areas_version` and `Resource.features_version`, a new random value in
  the transaction of every write of the layer's areas (`geodata.services`) or the resource's
  features (`opendata.geo.services`). Those writers lock that row first anyway, so nothing is
  shared between collections (a counter row shared by all of them, bumped in every writing
  transaction, made an ingest of minutes block every other dataset's edit and could deadlock:
  migration 0008). The version is read with the collection (`ogc.selectors`, the same indexed
  statement), so a revalidation needs no further query and no rendering.
- `reports` has no version: a row written by every report write made concurrent writes
  deadlock (migration 0006). Its tiles carry an ETag of their content.

The collection's version is read before the tile is rendered, and a writer changes features
and version in one transaction: a tile may be newer than its ETag's version (then the next
revalidation answers 200, once), never older.
"""
from django.db import connection

from config.db_router import read_connection

from .models import TileVersion

__all__ = ["LAYERS", "REPORT_CELLS", "REPORTS", "RESOURCES", "VERSIONED", "tile_version", "tile_version_bump"]

REPORT_CELLS = "report_cells"
REPORTS = "reports"
LAYERS = "layers"
RESOURCES = "resources"
_COUNTED = frozenset({REPORT_CELLS})
_PER_COLLECTION = frozenset({LAYERS, RESOURCES})
#: The sources whose tiles carry a version ETag; all others carry a content ETag (`caching`).
VERSIONED = _COUNTED | _PER_COLLECTION


def _check(source: str) -> None:
    if source not in _COUNTED:
        raise ValueError(f"Tiles of {source!r} have no version counter.")


def tile_version(*, source: str, collection=None) -> str:
    """The current version of `source`: for layers and resources the one `collection` was read
    with (no query), for `report_cells` its counter (one indexed read; 0 before its first
    increment), from the database the tile is read from (`read_connection`; see `selectors`)."""
    if source in _PER_COLLECTION:
        return collection.version
    _check(source)
    table = connection.ops.quote_name(TileVersion._meta.db_table)
    with read_connection(TileVersion).cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE source = %s", [source])
        row = cursor.fetchone()
    return str(row[0] if row else 0)


def tile_version_bump(*, source: str) -> int:
    """Increment the counter of `source` in the current transaction; returns the new one."""
    _check(source)
    with connection.cursor() as cursor:
        cursor.execute("SELECT opendata_tiles_version_next(%s)", [source])
        return cursor.fetchone()[0]
