"""App config for the city's own basemap (roads, buildings, water, green, railways, place names)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasemapConfig(AppConfig):
    name = "basemap"
    verbose_name = _("Basiskarte")
