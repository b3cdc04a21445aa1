"""App config of the forms-as-data core app."""
from django.apps import AppConfig


class EformsConfig(AppConfig):
    name = "eforms"
    verbose_name = "Formulare"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
