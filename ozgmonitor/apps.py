"""The OZG monitor's app config: `ready()` registers the system checks only."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OzgMonitorConfig(AppConfig):
    name = "ozgmonitor"
    verbose_name = _("OZG-Monitor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
