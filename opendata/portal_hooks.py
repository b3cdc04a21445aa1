"""The open data portal's entry in the header navigation (every page of its `portal`
URL namespace belongs to it)."""
from datetime import timedelta

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal import hooks
from portal.catalogue import NavigationItem


@hooks.register("register_navigation_item")
def opendata_navigation_item():
    return NavigationItem(label=_("Offene Daten"), url_name="portal:dataset-search", order=90, section=("portal",))


@hooks.register("register_periodic_tasks")
def opendata_periodic_tasks() -> dict:
    """The generated open datasets (reports, jurisdiction layers) nightly at 03:15; geodata
    ingests and upstream CKAN pushes left pending by a broker outage or a killed worker; the
    report counts of the low-zoom vector tiles: dirty cells every minute (writes that bypassed
    the debounced refresh), everything nightly at 03:40."""
    return {
        "opendata-exports-rebuild": {"task": "opendata.tasks.opendata_exports_rebuild_task",
                                     "schedule": crontab(hour=3, minute=15)},
        "opendata-geo-ingests-requeue": {"task": "opendata.tasks.resources_geo_ingest_requeue_task",
                                         "schedule": timedelta(minutes=5)},
        "upstream-pushes-requeue-stale": {"task": "opendata.tasks.upstream_pushes_requeue_stale_task",
                                          "schedule": timedelta(minutes=5)},
        "opendata-tiles-cells-refresh": {"task": "opendata.ogc.tiles.tasks.report_cells_refresh_task",
                                         "schedule": timedelta(minutes=1)},
        "opendata-tiles-cells-rebuild": {"task": "opendata.ogc.tiles.tasks.report_cells_rebuild_task",
                                         "schedule": crontab(hour=3, minute=40)},
    }
