"""`manage.py load_rules FILE` — replace all routing rules by those in a versioned YAML file."""
import yaml
from django.core.management.base import BaseCommand, CommandError

from routing_rules.services import RulesFileError, rules_load


class Command(BaseCommand):
    help = "Replace the routing rules by those in a YAML file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise CommandError(f"{path} is not valid YAML: {exc}") from exc
        try:
            count = rules_load(data=data)
        except RulesFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"loaded {count} rules")
