"""`manage.py import_addresses FILE` — load the address list (house numbers), all or nothing.

FILE is either the official house coordinates (Hauskoordinaten Deutschland, HK-DE: `.csv` or
`.txt`, semicolon-separated, the 18 ZSHH columns NBA;OI;QUA;LAN;RBZ;KRS;GMD;OTT;SSS;HNR;ADZ;
East;North;STN;PLZ;ONM;ZON;POT with ETRS89/UTM zone 32 or 33 coordinates, header line
optional) or OpenStreetMap addresses (`addr:street`/`addr:housenumber`/`addr:postcode`/
`addr:city` on points or polygons) in GeoJSON, GeoPackage or an `.osm.pbf` extract. The full
column description is in `geodata.address_files`. Addresses are matched by street, number,
suffix and postcode, so a second import of the same file changes nothing. Output is in the
site's language (`LANGUAGE_CODE`).
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from geodata.errors import AddressImportError
from geodata.services import address_import


class Command(BaseCommand):
    help = "Import addresses with house numbers from official house coordinates (HK-DE) or an OSM extract."

    def add_arguments(self, parser):
        parser.add_argument("path", help="HK-DE .csv/.txt, or OSM .geojson/.gpkg/.osm.pbf")
        parser.add_argument("--utm-zone", type=int, choices=[32, 33], default=None,
                            help="UTM zone of HK-DE eastings written without zone (6 digits)")
        parser.add_argument("--demo", action="store_true", help="mark the addresses as demo data")

    def handle(self, *args, path, utm_zone, demo, **options):
        with translation.override(settings.LANGUAGE_CODE):
            def progress(done: int, total: int) -> None:
                self.stdout.write("  " + _("%(done)s/%(total)s gelesen") % {"done": done, "total": total})

            try:
                result = address_import(path=path, utm_zone=utm_zone, is_demo=demo, progress=progress)
            except AddressImportError as exc:
                raise CommandError(_("Import abgebrochen, nichts geschrieben: %(error)s") % {"error": exc}) from exc
            summary = _("Adressen: %(created)s neu, %(updated)s aktualisiert, %(unchanged)s unverändert") % {
                "created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            if result.deleted:
                summary += _(", %(deleted)s gelöscht") % {"deleted": result.deleted}
            if result.skipped:
                summary += _(", %(skipped)s Objekte ohne Adresse übersprungen") % {"skipped": result.skipped}
            self.stdout.write(self.style.SUCCESS(summary + "."))
