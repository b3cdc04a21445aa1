"""App configuration of `fitconnect_sender` (the FIT-Connect sender)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FitConnectConfig(AppConfig):
    name = "fitconnect_sender"
    verbose_name = _("FIT-Connect")
    default_auto_field = "django.db.models.BigAutoField"
