"""App config for departments, categories and the rules that route a point to a department."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingRulesConfig(AppConfig):
    name = "routing_rules"
    verbose_name = _("Zuständigkeiten")

    def ready(self):
        # Every admin module is imported by now (django.contrib.admin comes first): close the
        # admin pages of accounts and third-party people tables to clerks (routing_rules.access).
        from .admin import admin_close_to_clerks

        admin_close_to_clerks()
