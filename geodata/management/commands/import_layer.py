"""`manage.py import_layer PATH --layer SLUG` — import a jurisdiction layer (all or nothing).

Reads GeoJSON, a zipped Shapefile or a GeoPackage, transforms it to EPSG:4326 (lon/lat),
repairs invalid polygons (and lists each repair) and writes the layer in one transaction.
"""
from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args, path, layer_slug, **options):
        def progress(done: int, total: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                self.stdout.write(f"  {done}/{total} Objekte geprüft")

        try:
            result = layer_import(
                path=path, layer_slug=layer_slug, layer_name=options["layer_name"], role=options["role"],
                srid=options["srid"], name_field=options["name_field"], code_field=options["code_field"],
                authority_field=options["authority_field"], source_layer=options["source_layer"],
                replace=options["replace"], progress=progress,
            )
        except LayerImportError as exc:
            raise CommandError(f"Import abgebrochen, nichts geschrieben: {exc}") from exc
        for message in result.repaired:
            self.stdout.write(self.style.WARNING(message))
        layer = result.layer
        replaced = f", {result.deleted} alte ersetzt" if options["replace"] else ""
        self.stdout.write(self.style.SUCCESS(
            f"Ebene „{layer.slug}“ ({layer.get_role_display()}): {result.created} Gebiete importiert"
            f"{replaced}, {len(result.repaired)} repariert, Quelle {layer.source} "
            f"(EPSG:{layer.source_srid or '?'})."
        ))
