"""The sources of the tiles, which of them carry a version, the current version and the one way
to increment it. Which source a tile is made from is `selectors.tile_source`; which ETag a
tile gets (version or content) is decided in one place, `caching.tile_etag`.

Sources: `report_cells` (the low-zoom report aggregates), `reports` (the report points),
`layers` (the jurisdiction layers), `resources` (the ingested datasets). Only `report_cells`
has a version (a `TileVersion` row): its tiles are read from the aggregates, which only their
refresh and rebuild write (a Celery task and a command, never a user's write), so bumping it
there blocks no one. Every increment goes through the SQL function
`opendata_tiles_version_next` (migration 0007), from Python and from the TRUNCATE trigger of
the reports. The other sources have no counter: a counter row bumped by a trigger in every
writing transaction stayed locked until that transaction committed, so unrelated writes
waited for each other (an ingest of minutes blocked every dataset edit) or deadlocked
(migrations 0006 for reports, 0008 for layers and datasets). Their tiles carry an ETag of
their content instead.
"""
from django.db import connection

from config.db_router import read_connection

from .models import TileVersion

__all__ = ["LAYERS", "REPORT_CELLS", "REPORTS", "RESOURCES", "VERSIONED", "tile_version", "tile_version_bump"]

REPORT_CELLS = "report_cells"
REPORTS = "reports"
LAYERS = "layers"
RESOURCES = "resources"
#: The sources whose tiles carry a version ETag; all others carry a content ETag (`caching`).
VERSIONED = frozenset({REPORT_CELLS})


def _check(source: str) -> None:
    if source not in VERSIONED:
        raise ValueError(f"Tiles of {source!r} have no version (their ETag is a digest of the tile).")


def tile_version(*, source: str) -> int:
    """The current version of `source` (one indexed read; 0 before its first increment), from
    the database the tile is read from (`read_connection`; see `selectors`)."""
    _check(source)
    table = connection.ops.quote_name(TileVersion._meta.db_table)
    with read_connection(TileVersion).cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE source = %s", [source])
        row = cursor.fetchone()
    return row[0] if row else 0


def tile_version_bump(*, source: str) -> int:
    """Increment the version of `source` in the current transaction; returns the new one."""
    _check(source)
    with connection.cursor() as cursor:
        cursor.execute("SELECT opendata_tiles_version_next(%s)", [source])
        return cursor.fetchone()[0]
