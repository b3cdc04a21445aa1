"""Celery tasks keeping the report aggregates of the low-zoom tiles fresh (registered through
`opendata.tasks`):

- `report_cells_refresh_task`: recount the dirty cells; queued (debounced) after a report
  save (`receivers`) and run every minute by beat;
- `report_cells_rebuild_task`: recount everything; beat, nightly.
"""
from celery import shared_task

from .aggregates import report_cells_rebuild, report_cells_refresh

__all__ = ["report_cells_rebuild_task", "report_cells_refresh_task"]


@shared_task(ignore_result=True)
def report_cells_refresh_task() -> int:
    """Recount the dirty cells; returns how many were recounted."""
    return report_cells_refresh()


@shared_task(ignore_result=True)
def report_cells_rebuild_task() -> int:
    """Recount every public report into the cells; returns the number of cells."""
    return report_cells_rebuild()
