"""App config for the defect report lifecycle."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReporterConfig(AppConfig):
    name = "reporter"
    verbose_name = _("Meldungen")
