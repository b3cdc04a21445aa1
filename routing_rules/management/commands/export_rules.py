"""`manage.py export_rules [FILE]` — write all routing rules as versioned YAML (stdout by default)."""
from routing_rules.management.rules_commands import RulesExportCommand
from routing_rules.services import rules_export


class Command(RulesExportCommand):
    help = "Export the routing rules to a versioned YAML file."

    def export(self) -> dict:
        return rules_export()
