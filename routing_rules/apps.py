"""App config for departments, categories and the rules that route a point to a department."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingRulesConfig(AppConfig):
    name = "routing_rules"
    verbose_name = _("Zuständigkeiten")
