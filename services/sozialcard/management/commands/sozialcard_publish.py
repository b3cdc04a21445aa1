"""`manage.py sozialcard_publish`: rebuild the Sozialcard's open datasets now (what the nightly
beat task does): the partners and the check counts."""
from django.core.management.base import BaseCommand

from services.sozialcard.dataset import sozialcard_datasets_rebuild


class Command(BaseCommand):
    help = "Rebuild the open datasets of the Sozialcard's partners and check counts."

    def handle(self, *args, **options):
        self.stdout.write(sozialcard_datasets_rebuild())
