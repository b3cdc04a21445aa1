"""The app of the general request (label "anliegen"): registers its system checks."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnliegenConfig(AppConfig):
    name = "services.anliegen"
    label = "anliegen"
    verbose_name = _("Allgemeines Anliegen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks
