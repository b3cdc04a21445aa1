"""`manage.py import_layer PATH --layer SLUG` — import a jurisdiction layer (all or nothing).

Reads GeoJSON, a zipped Shapefile or a GeoPackage, transforms it to EPSG:4326 (lon/lat),
repairs invalid polygons (and lists each repair) and writes the layer in one transaction.
Output is in the site's language (`LANGUAGE_CODE`), whatever language was active before.
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from geodata.errors import LayerImportError
from geodata.models import JurisdictionLayer
from geodata.services import layer_import

PROGRESS_EVERY = 100  # features between two progress lines


class Command(BaseCommand):
    help = "Import polygons from GeoJSON, a zipped Shapefile or a GeoPackage as a jurisdiction layer."

    def add_arguments(self, parser):
        parser.add_argument("path", help="file: .geojson/.json, .zip (Shapefile) or .gpkg")
        parser.add_argument("--layer", required=True, dest="layer_slug", metavar="SLUG",
                            help="slug of the target layer")
        parser.add_argument("--name", dest="layer_name", metavar="NAME",
                            help="display name of the layer (default: slug)")
        parser.add_argument("--role", choices=JurisdictionLayer.Role.values,
                            help="role of the layer (default for a new layer: area)")
        parser.add_argument("--srid", type=int, metavar="N",
                            help="EPSG code of the source CRS; overrides the CRS the file declares")
        parser.add_argument("--name-field", metavar="F", help="attribute with the area name (default: 'name')")
        parser.add_argument("--code-field", metavar="F", help="attribute with the area code")
        parser.add_argument("--authority-field", metavar="F", help="attribute with the responsible authority")
        parser.add_argument("--source-layer", metavar="L", help="layer inside a GeoPackage/ZIP with several")
        parser.add_argument("--replace", action="store_true", help="replace the areas of an existing layer")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self._import(**options)

    def _import(self, *, path, layer_slug, **options):
        def progress(done: int, total: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                self.stdout.write("  " + _("%(done)s/%(total)s Objekte geprüft") % {"done": done, "total": total})

        try:
            result = layer_import(
                path=path, layer_slug=layer_slug, layer_name=options["layer_name"], role=options["role"],
                srid=options["srid"], name_field=options["name_field"], code_field=options["code_field"],
                authority_field=options["authority_field"], source_layer=options["source_layer"],
                replace=options["replace"], progress=progress,
            )
        except LayerImportError as exc:
            raise CommandError(_("Import abgebrochen, nichts geschrieben: %(error)s") % {"error": exc}) from exc
        for message in result.repaired:
            self.stdout.write(self.style.WARNING(message))
        layer = result.layer
        summary = _("Ebene „%(slug)s“ (%(role)s): %(created)s Gebiete importiert") % {
            "slug": layer.slug, "role": layer.get_role_display(), "created": result.created}
        if options["replace"]:
            summary += _(", %(deleted)s alte ersetzt") % {"deleted": result.deleted}
        summary += _(", %(repaired)s repariert, Quelle %(source)s (EPSG:%(srid)s).") % {
            "repaired": len(result.repaired), "source": layer.source, "srid": layer.source_srid or "?"}
        self.stdout.write(self.style.SUCCESS(summary))
