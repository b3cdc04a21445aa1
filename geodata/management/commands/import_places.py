"""`manage.py import_places FILE.csv|FILE.geojson` — load the gazetteer (all or nothing).

Columns/properties: name, kind (street, square, landmark, district), lon, lat (WGS 84),
optional alt_names. Places are matched by (name, kind); `--replace` also removes places
that are not in the file.
"""
from django.core.management.base import BaseCommand, CommandError

from geodata.errors import PlaceImportError
from geodata.services import place_import


class Command(BaseCommand):
    help = "Import streets, squares, landmarks and districts (gazetteer) from CSV or GeoJSON."

    def add_arguments(self, parser):
        parser.add_argument("path", help="file: .csv (name,kind,lon,lat[,alt_names]) or .geojson (Points)")
        parser.add_argument("--replace", action="store_true", help="delete places that are not in the file")

    def handle(self, *args, path, replace, **options):
        try:
            result = place_import(path=path, replace=replace)
        except PlaceImportError as exc:
            raise CommandError(f"Import abgebrochen, nichts geschrieben: {exc}") from exc
        deleted = f", {result.deleted} entfernt" if replace else ""
        self.stdout.write(self.style.SUCCESS(
            f"Ortsverzeichnis: {result.created} neu, {result.updated} aktualisiert{deleted}."))
