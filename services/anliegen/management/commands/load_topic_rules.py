"""`manage.py load_topic_rules FILE` — replace all topic rules by those in a versioned YAML file."""
from routing_rules.management.rules_commands import RulesLoadCommand
from services.anliegen.rules_file import topic_rules_load


class Command(RulesLoadCommand):
    help = "Replace the topic rules (Themenregeln) of the general request by those in a YAML file."

    def load(self, *, data) -> int:
        return topic_rules_load(data=data)
