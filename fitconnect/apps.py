"""App configuration of `fitconnect` (the FIT-Connect sender)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FitConnectConfig(AppConfig):
    name = "fitconnect"
    verbose_name = _("FIT-Connect")
    default_auto_field = "django.db.models.BigAutoField"
