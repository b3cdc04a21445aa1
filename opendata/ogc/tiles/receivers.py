"""Queues the refresh of the low-zoom report aggregates after a report is saved or deleted
through the ORM (connected in `opendata.apps`).

Debounced: during TILES_REFRESH_DELAY seconds after the first change only one task is
queued (a cache key marks it), and it runs at the end of that window, so a burst of a
hundred changes costs one refresh. Queued after commit through `config.queueing` (nothing
for a rolled-back write; a broker outage is logged, and beat's minute refresh catches up).
A cache outage never fails the report's write: the refresh is then queued undebounced.
Writes that bypass the ORM's signals (bulk updates, SQL) are caught by that beat run: the
triggers have marked their cells dirty either way.
"""
import logging

from django.core.cache import cache
from redis.exceptions import RedisError

from config.queueing import task_enqueue_on_commit

from ...conf import opendata_setting

__all__ = ["report_changed"]

logger = logging.getLogger(__name__)

_QUEUED_KEY = "opendata:tiles:refresh-queued"


def report_changed(sender, **kwargs) -> None:
    """post_save/post_delete of `reporter.Report`: queue one refresh per debounce window."""
    delay = int(opendata_setting("TILES_REFRESH_DELAY"))
    try:
        first = cache.add(_QUEUED_KEY, 1, timeout=max(delay, 1))
    except (RedisError, OSError) as exc:  # as config.throttling: a report write must not fail
        logger.warning("Tile refresh not debounced, cache unavailable: %s", exc)
        first = True
    if first:
        task_enqueue_on_commit("opendata.ogc.tiles.tasks.report_cells_refresh_task", countdown=delay)
