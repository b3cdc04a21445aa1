"""App config for the open data catalogue (organisations, groups, datasets, resources)
and its CKAN-compatible Action API."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Offene Daten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import checks, upstream  # noqa: F401  (registers the system checks; connects the upstream push)
        from .ogc.tiles.receivers import report_changed

        # The low-zoom report tiles count reports: refresh them after a report changes.
        post_save.connect(report_changed, sender="reporter.Report", dispatch_uid="opendata_tiles_report_saved")
        post_delete.connect(report_changed, sender="reporter.Report", dispatch_uid="opendata_tiles_report_deleted")
