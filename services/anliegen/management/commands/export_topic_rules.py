"""`manage.py export_topic_rules [FILE]` — the topic rules of the general request as versioned YAML."""
from routing_rules.management.rules_commands import RulesExportCommand
from services.anliegen.rules_file import topic_rules_export


class Command(RulesExportCommand):
    help = "Export the topic rules (Themenregeln) of the general request to a versioned YAML file."

    def export(self) -> dict:
        return topic_rules_export()
