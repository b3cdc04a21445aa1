"""The tables behind the vector tiles (app label `opendata`, imported by `opendata.models`).

- `TileVersion`: the version of a source of tiles, the strong ETag of every tile made from it.
  One row is left, "report_cells" (the low-zoom aggregates), incremented by their refresh and
  rebuild (`aggregates`) through the SQL function `opendata_tiles_version_next` (migration
  0007; from Python `versions.tile_version_bump`). The sources written by people and imports
  have no row here: a counter bumped in their writing transactions made writes wait for each
  other or deadlock (migrations 0006 for report points, 0008 for layers and datasets). Layers
  and datasets keep a version per collection on their own rows instead
  (`JurisdictionLayer.areas_version`, `Resource.features_version`); report points carry a
  digest of the tile (`caching`).
- `ReportCell`: the public reports counted per grid cell and status, at every level used by
  the low-zoom tiles. A cell of level L is the Web Mercator tile (L, cx, cy) (XYZ numbering,
  row 0 at the top); `sum_x`/`sum_y` (EPSG:3857 metres) give the cell's mean position.
- `ReportCellDirty`: cells of level `DIRTY_LEVEL` where a report changed since the last
  refresh, written by the triggers on `reporter_report`; the refresh recomputes them from the
  public view only (the triggers never decide what is public).
"""
from django.db import models

__all__ = ["DIRTY_LEVEL", "ReportCell", "ReportCellDirty", "TileVersion"]

# The level (Web Mercator zoom) of the cells the triggers mark: ~38 m at the equator, ~24 m
# at 51° N. Any aggregate level up to it is one right shift of these keys.
DIRTY_LEVEL = 20


class TileVersion(models.Model):
    """The version of one source of tiles (see the module docstring)."""

    source = models.CharField(max_length=20, primary_key=True)
    version = models.BigIntegerField(default=1)

    class Meta:
        app_label = "opendata"

    def __str__(self):
        return f"{self.source}: {self.version}"


class ReportCell(models.Model):
    """Public reports of one status in one grid cell (see the module docstring)."""

    level = models.PositiveSmallIntegerField()
    cx = models.BigIntegerField()
    cy = models.BigIntegerField()
    status = models.CharField(max_length=20)
    count = models.IntegerField()
    sum_x = models.FloatField()
    sum_y = models.FloatField()

    class Meta:
        app_label = "opendata"
        constraints = [models.UniqueConstraint(fields=["level", "cx", "cy", "status"],
                                               name="opendata_reportcell_unique")]

    def __str__(self):
        return f"{self.level}/{self.cx}/{self.cy} {self.status}: {self.count}"


class ReportCellDirty(models.Model):
    """A cell of level DIRTY_LEVEL whose counts may be out of date. A cell may be listed more
    than once: no unique key, so that marking never waits for another writer (migration 0006);
    the refresh takes each cell once."""

    cx = models.BigIntegerField()
    cy = models.BigIntegerField()

    class Meta:
        app_label = "opendata"

    def __str__(self):
        return f"{DIRTY_LEVEL}/{self.cx}/{self.cy}"
