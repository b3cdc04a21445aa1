"""The two management commands every rules file has: export to versioned YAML and load
(replace all, all or nothing). `export_rules`/`load_rules` (routing rules) and the topic
rules of the general request (`export_topic_rules`/`load_topic_rules`) are subclasses that
only name their export and load functions."""
from abc import ABC, abstractmethod

import yaml
from django.core.management.base import BaseCommand, CommandError

from routing_rules.services import RulesFileError

__all__ = ["RulesExportCommand", "RulesLoadCommand"]


class RulesExportCommand(BaseCommand, ABC):
    """`manage.py <command> [FILE]`: `export()` as YAML to FILE (stdout by default)."""

    help = "Export rules to a versioned YAML file."

    @abstractmethod
    def export(self) -> dict:
        """The rules as a YAML-ready dict."""

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="output file (default: stdout)")

    def handle(self, *args, path=None, **options):
        text = yaml.safe_dump(self.export(), allow_unicode=True, sort_keys=False)
        if path:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stdout.write(f"wrote {path}")
        else:
            self.stdout.write(text, ending="")


class RulesLoadCommand(BaseCommand, ABC):
    """`manage.py <command> FILE`: replace the rules by `load(data=...)` of the YAML in FILE;
    a RulesFileError (or subclass) becomes a CommandError and nothing changes."""

    help = "Replace rules by those in a YAML file (all or nothing)."

    @abstractmethod
    def load(self, *, data) -> int:
        """Replace the rules by `data`; the number loaded."""

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
            count = self.load(data=data)
        except RulesFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"loaded {count} rules")
