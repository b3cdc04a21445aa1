"""`manage.py tiles_rebuild` — count every public report into the grid cells of the low-zoom
vector tiles now (`opendata.ogc.tiles.aggregates.report_cells_rebuild`).

Needed after changing `OPENDATA["TILES_AGGREGATE_BELOW_ZOOM"]`, `["TILES_AGGREGATE_CELL_BITS"]`
or `STADTMELDER["PUBLIC_COORDINATE_DECIMALS"]`, or after loading reports with the triggers
disabled; beat runs it nightly anyway.
"""
import time

from django.core.management.base import BaseCommand

from opendata.ogc.tiles.aggregates import report_cells_rebuild


class Command(BaseCommand):
    help = "Rebuild the report counts of the low-zoom vector tiles."

    def handle(self, *args, **options):
        started = time.monotonic()
        cells = report_cells_rebuild()
        self.stdout.write(self.style.SUCCESS(
            f"{cells} Zellen in {time.monotonic() - started:.1f} s neu gezählt."))
