"""App config for the open data catalogue (organisations, groups, datasets, resources)
and its CKAN-compatible Action API."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Offene Daten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, upstream  # noqa: F401  (registers the system checks; connects the upstream push)
