"""The project package as an app, so that its system checks (`config.checks`) are registered."""
from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "config"
    verbose_name = "Stadtmelder"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
