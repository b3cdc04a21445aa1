"""`manage.py export_rules [FILE]` — write all routing rules as versioned YAML (stdout by default)."""
import yaml
from django.core.management.base import BaseCommand

from routing_rules.services import rules_export


class Command(BaseCommand):
    help = "Export the routing rules to a versioned YAML file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="output file (default: stdout)")

    def handle(self, *args, path=None, **options):
        text = yaml.safe_dump(rules_export(), allow_unicode=True, sort_keys=False)
        if path:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stdout.write(f"wrote {path}")
        else:
            self.stdout.write(text, ending="")
