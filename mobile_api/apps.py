"""App config of the field-crew API (/api/mobile/v1/)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobileApiConfig(AppConfig):
    name = "mobile_api"
    verbose_name = _("Außendienst-API")

    def ready(self):
        # Registers the OpenAPI description of the crew token (drf-spectacular's registry).
        from . import schema  # noqa: F401
