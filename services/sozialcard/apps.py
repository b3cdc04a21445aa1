"""The app of the Sozialcard and the other discount programmes (label "sozialcard")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SozialcardConfig(AppConfig):
    name = "services.sozialcard"
    label = "sozialcard"
    verbose_name = _("Sozialcard und Ermäßigungsprogramme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401 (the till key in the OpenAPI schema)
