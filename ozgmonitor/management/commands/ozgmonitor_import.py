"""`manage.py ozgmonitor_import FILE.csv`: import a list of services into the OZG monitor, all
or nothing (`ozgmonitor.csv_import`); errors name their line, exit status 1, nothing written."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ozgmonitor.csv_import import CsvImportError, services_import_csv


class Command(BaseCommand):
    help = "Import services into the OZG monitor from a CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Die Datei %(path)s ist nicht lesbar: %(error)s")
                               % {"path": path, "error": exc.strerror}) from None
        try:
            result = services_import_csv(content=content)
        except CsvImportError as exc:
            raise CommandError("\n".join(exc.errors)) from None
        self.stdout.write(_("%(created)d Leistungen angelegt, %(updated)d geändert.")
                          % {"created": result.created, "updated": result.updated})
