"""`manage.py opendata_rebuild [--dataset NAME]` — rebuild the generated datasets now.

Writes the GeoJSON, CSV and GeoPackage files of `meldungen` and of every
`zustaendigkeit-<layer>` dataset (or only NAME) and prints one line per dataset. Beat does
the same daily (`opendata.tasks.opendata_exports_rebuild_task`). Exits with an error if a
dataset failed; its previous files are kept.
"""
from django.core.management.base import BaseCommand, CommandError

from opendata.exports.services import ExportError, exports_rebuild


class Command(BaseCommand):
    help = "Rebuild the generated open datasets (reports, jurisdiction layers) as GeoJSON, CSV and GeoPackage."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", metavar="NAME", help="only this dataset, e.g. meldungen")

    def handle(self, *args, dataset=None, **options):
        try:
            results = exports_rebuild(dataset_name=dataset)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(str(result), self.style.SUCCESS if result.ok else self.style.ERROR)
        failed = [r.name for r in results if not r.ok]
        if failed:
            raise CommandError(f"Neuaufbau fehlgeschlagen: {', '.join(failed)}")
