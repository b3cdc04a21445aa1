"""The pre-aggregated report counts of the low-zoom reports tiles: writes (refresh, rebuild).

Below `OPENDATA["TILES_AGGREGATE_BELOW_ZOOM"]` a reports tile carries, per grid cell, the
number of public reports by status instead of points: reading a million points per request
takes seconds, reading a few hundred counted cells milliseconds. The tile of zoom z shows
the cells of level z + `TILES_AGGREGATE_CELL_BITS` (a cell of level L is the Web Mercator
tile of zoom L), so every level from CELL_BITS up to the finest one is stored
(`ReportCell`); a cell's counts are the sums of its four children's.

Freshness. Triggers on `reporter_report` mark the level-20 cells of every inserted, deleted
or changed (visibility, status, place) report as dirty, whatever wrote it — a service, the
admin, a bulk UPDATE, SQL. `report_cells_refresh` recomputes only the dirty cells: the finest
level from the public view (`reporter.public.PUBLIC_REPORT_VIEW`, the one owner of what is
public: hidden reports are never counted), then each coarser level from its children. It runs
`TILES_REFRESH_DELAY` seconds after a report saved through the ORM (debounced, `receivers`),
every minute by beat (catching bulk and SQL writes) and as a full `report_cells_rebuild`
nightly and by `manage.py tiles_rebuild` (needed after a change of the two settings above or
of `PUBLIC_COORDINATE_DECIMALS`). Staleness of low-zoom tiles: seconds after a service write,
at most a minute after any other; tiles from the aggregates carry their own version
("report_cells"), so a cache never keeps stale counts under a new ETag.
"""
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from reporter.public import PUBLIC_REPORT_VIEW

from ...conf import opendata_setting
from .models import DIRTY_LEVEL, ReportCell, ReportCellDirty
from .versions import REPORT_CELLS, tile_version_bump

__all__ = ["AggregateLevels", "aggregate_levels", "report_cells_rebuild", "report_cells_refresh"]

# pg_advisory_xact_lock key: one refresh or rebuild at a time ("tiles" in ASCII).
_LOCK = 0x74696C6573
# Above this many dirty cells of the finest level (a bulk load) one full rebuild is faster
# than cell by cell: measured over 1,000,000 reports, 528 dense cells took 15.7 s one by one,
# the full rebuild 12.5 s.
_REBUILD_ABOVE = 400


class AggregateLevels:
    """The aggregated zooms and stored cell levels of the current settings."""

    def __init__(self, below_zoom: int, cell_bits: int):
        self.below_zoom = below_zoom  # zooms 0 .. below_zoom - 1 are aggregated
        self.cell_bits = cell_bits
        self.coarsest = cell_bits
        self.finest = below_zoom - 1 + cell_bits

    def covers(self, z: int) -> bool:
        """Whether tiles of zoom `z` are aggregated."""
        return z < self.below_zoom


def aggregate_levels() -> AggregateLevels:
    """The levels from the settings; misconfiguration raises ImproperlyConfigured."""
    below, bits = opendata_setting("TILES_AGGREGATE_BELOW_ZOOM"), opendata_setting("TILES_AGGREGATE_CELL_BITS")
    if not isinstance(below, int) or not isinstance(bits, int) or below < 0 or not 0 <= bits <= 6:
        raise ImproperlyConfigured('OPENDATA["TILES_AGGREGATE_BELOW_ZOOM"] must be an integer >= 0 and '
                                   '"TILES_AGGREGATE_CELL_BITS" one from 0 to 6.')
    levels = AggregateLevels(below, bits)
    if levels.finest > DIRTY_LEVEL:
        raise ImproperlyConfigured(f'OPENDATA: TILES_AGGREGATE_BELOW_ZOOM - 1 + TILES_AGGREGATE_CELL_BITS must '
                                   f'not exceed {DIRTY_LEVEL}.')
    return levels


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _finest_from_view(cursor, levels: AggregateLevels, cells: set[tuple[int, int]] | None) -> None:
    """Count the public reports of the finest level: in `cells`, or everywhere (None)."""
    shift = DIRTY_LEVEL - levels.finest
    select = ("SELECT %(level)s, k.cx >> %(shift)s, k.cy >> %(shift)s, t.status, count(*), "
              "sum(ST_X(m)), sum(ST_Y(m)) FROM {source} "
              "CROSS JOIN LATERAL opendata_tiles_cell_key(t.location) k "
              "CROSS JOIN LATERAL ST_Transform(t.location, 3857) m {where} GROUP BY 2, 3, 4")
    params = {"level": levels.finest, "shift": shift}
    if cells is None:
        source, where = f"{PUBLIC_REPORT_VIEW} t", "WHERE t.location IS NOT NULL"
    else:
        # The index on the public location finds each cell's reports; the key decides exactly.
        cell = "ST_Transform(ST_TileEnvelope(%(level)s, f.cx::int, f.cy::int), 4326)"
        source = (f"unnest(%(xs)s::bigint[], %(ys)s::bigint[]) f(cx, cy) JOIN {PUBLIC_REPORT_VIEW} t "
                  f"ON t.location && ST_Expand({cell}, 1e-9)")
        where = "WHERE k.cx >> %(shift)s = f.cx AND k.cy >> %(shift)s = f.cy"
        params.update(xs=[c[0] for c in cells], ys=[c[1] for c in cells])
    cursor.execute(f"INSERT INTO {_table(ReportCell)} (level, cx, cy, status, count, sum_x, sum_y) "
                   + select.format(source=source, where=where), params)


def _level_from_children(cursor, level: int, cells: set[tuple[int, int]] | None) -> None:
    """Sum the four children of each cell of `level`: of `cells`, or of all (None)."""
    table = _table(ReportCell)
    params = {"level": level, "child": level + 1}
    if cells is None:
        source, join = f"{table} c", ""
    else:
        source = f"unnest(%(xs)s::bigint[], %(ys)s::bigint[]) p(cx, cy) JOIN {table} c"
        join = "ON c.cx BETWEEN p.cx * 2 AND p.cx * 2 + 1 AND c.cy BETWEEN p.cy * 2 AND p.cy * 2 + 1"
        params.update(xs=[c[0] for c in cells], ys=[c[1] for c in cells])
    cursor.execute(
        f"INSERT INTO {table} (level, cx, cy, status, count, sum_x, sum_y) "
        f"SELECT %(level)s, c.cx >> 1, c.cy >> 1, c.status, sum(c.count), sum(c.sum_x), sum(c.sum_y) "
        f"FROM {source} {join} {'AND' if join else 'WHERE'} c.level = %(child)s GROUP BY 2, 3, 4", params)


def _cells_delete(cursor, level: int, cells: set[tuple[int, int]]) -> None:
    cursor.execute(
        f"DELETE FROM {_table(ReportCell)} c USING unnest(%(xs)s::bigint[], %(ys)s::bigint[]) p(cx, cy) "
        f"WHERE c.level = %(level)s AND c.cx = p.cx AND c.cy = p.cy",
        {"level": level, "xs": [c[0] for c in cells], "ys": [c[1] for c in cells]})


def report_cells_rebuild() -> int:
    """Count every public report again, all levels (one transaction); returns the number of
    cells written."""
    levels = aggregate_levels()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        # Dirty marks taken before the count are covered by it; later ones wait for the next refresh.
        cursor.execute(f"DELETE FROM {_table(ReportCellDirty)}")
        cursor.execute(f"DELETE FROM {_table(ReportCell)}")
        if levels.below_zoom:
            _finest_from_view(cursor, levels, None)
            for level in range(levels.finest - 1, levels.coarsest - 1, -1):
                _level_from_children(cursor, level, None)
        tile_version_bump(source=REPORT_CELLS)
        cursor.execute(f"SELECT count(*) FROM {_table(ReportCell)}")
        return cursor.fetchone()[0]


def report_cells_refresh() -> int:
    """Recount the dirty cells (see the module docstring); returns how many cells of the
    finest level were recounted (0: nothing was dirty, nothing written)."""
    levels = aggregate_levels()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        cursor.execute(f"DELETE FROM {_table(ReportCellDirty)} RETURNING cx, cy")
        dirty = cursor.fetchall()
        if not dirty or not levels.below_zoom:
            return 0
        shift = DIRTY_LEVEL - levels.finest
        cells = {(cx >> shift, cy >> shift) for cx, cy in dirty}
        if len(cells) > _REBUILD_ABOVE:
            report_cells_rebuild()
            return len(cells)
        recounted = len(cells)
        _cells_delete(cursor, levels.finest, cells)
        _finest_from_view(cursor, levels, cells)
        for level in range(levels.finest - 1, levels.coarsest - 1, -1):
            cells = {(cx >> 1, cy >> 1) for cx, cy in cells}
            _cells_delete(cursor, level, cells)
            _level_from_children(cursor, level, cells)
        tile_version_bump(source=REPORT_CELLS)
        return recounted
