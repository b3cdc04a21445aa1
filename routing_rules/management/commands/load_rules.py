"""`manage.py load_rules FILE` — replace all routing rules by those in a versioned YAML file."""
from routing_rules.management.rules_commands import RulesLoadCommand
from routing_rules.services import rules_load


class Command(RulesLoadCommand):
    help = "Replace the routing rules by those in a YAML file (all or nothing)."

    def load(self, *, data) -> int:
        return rules_load(data=data)
