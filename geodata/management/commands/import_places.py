"""`manage.py import_places FILE.csv|FILE.geojson` — load the gazetteer (all or nothing).

Columns/properties: name, kind (street, square, landmark, district), lon, lat (WGS 84),
optional alt_names. Places are matched by (name, kind); `--replace` also removes places
that are not in the file. Output is in the site's language (`LANGUAGE_CODE`).
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from geodata.errors import PlaceImportError
from geodata.services import place_import


class Command(BaseCommand):
    help = "Import streets, squares, landmarks and districts (gazetteer) from CSV or GeoJSON."

    def add_arguments(self, parser):
        parser.add_argument("path", help="file: .csv (name,kind,lon,lat[,alt_names]) or .geojson (Points)")
        parser.add_argument("--replace", action="store_true", help="delete places that are not in the file")

    def handle(self, *args, path, replace, **options):
        with translation.override(settings.LANGUAGE_CODE):
            try:
                result = place_import(path=path, replace=replace)
            except PlaceImportError as exc:
                raise CommandError(_("Import abgebrochen, nichts geschrieben: %(error)s") % {"error": exc}) from exc
            summary = _("Ortsverzeichnis: %(created)s neu, %(updated)s aktualisiert") % {
                "created": result.created, "updated": result.updated}
            if replace:
                summary += _(", %(deleted)s entfernt") % {"deleted": result.deleted}
            self.stdout.write(self.style.SUCCESS(summary + "."))
