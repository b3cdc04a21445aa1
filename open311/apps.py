"""App config of the Open311 GeoReport v2 interface (/open311/v2/)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "open311"
    verbose_name = _("Open311-Schnittstelle")
