"""`manage.py import_basemap FILE.osm.pbf|FILE.gpkg` — replace the basemap (all or nothing).

Progress goes to stdout; on any error the previous basemap stays and the command exits
non-zero with the reason. `--if-empty` skips when a basemap exists (set-up runs it
every time). Output is in the site's language (`LANGUAGE_CODE`).
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from basemap.conf import basemap_setting
from basemap.errors import BasemapImportError
from basemap.selectors import basemap_current
from basemap.services import basemap_import
from basemap.sources.gpkg import mapping_load


class Command(BaseCommand):
    help = "Import the basemap from an OpenStreetMap extract (.osm.pbf) or a GeoPackage (.gpkg)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="an .osm.pbf extract or a .gpkg GeoPackage")
        parser.add_argument("--mapping", help="GeoPackage layer mapping (JSON), see basemap.sources.gpkg")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if a basemap was imported before")
        parser.add_argument("--attribution", help="source credit shown on the map (default for OSM: ODbL credit)")

    def handle(self, *args, path, mapping, attribution, if_empty, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if if_empty and basemap_current() is not None:
                self.stdout.write(_("Basiskarte schon vorhanden, nichts importiert."))
                return
            try:
                layer_mapping = mapping_load(path=mapping) if mapping else basemap_setting("GPKG_MAPPING")
                version = basemap_import(path=path, mapping=layer_mapping, attribution=attribution,
                                         progress=self.stdout.write)
            except BasemapImportError as exc:
                raise CommandError(_("Import abgebrochen, die bisherige Basiskarte bleibt: %(error)s")
                                   % {"error": exc}) from exc
            self.stdout.write(self.style.SUCCESS(
                _("Basiskarte importiert: %(n)s Objekte aus „%(source)s“")
                % {"n": sum(version.counts.values()), "source": version.source}))
