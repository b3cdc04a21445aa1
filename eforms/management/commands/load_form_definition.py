"""`manage.py load_form_definition FILE [--slug SLUG] [--inactive]`: a new version of a form
from a JSON definition file (the slug defaults to the file name without ".json")."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eforms.definition import DefinitionInvalid
from eforms.services import form_definition_create


class Command(BaseCommand):
    help = "Creates a new version of a form definition from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--slug", help="the form's slug (default: the file name without .json)")
        parser.add_argument("--inactive", action="store_true", help="create the version as not active")

    def handle(self, *args, file: Path, slug=None, inactive=False, **options):
        try:
            definition = json.loads(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file} is not JSON: {exc}") from exc
        slug = slug or file.name.removesuffix(".json")
        try:
            created = form_definition_create(slug=slug, definition=definition, is_active=not inactive)
        except DefinitionInvalid as exc:
            raise CommandError(f"{file} is not a valid form definition:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"{created.slug}: version {created.version} created")
