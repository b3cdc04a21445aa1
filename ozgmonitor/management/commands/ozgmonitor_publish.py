"""`manage.py ozgmonitor_publish`: add entries for the registered plug-in services and rebuild
the open dataset `ozg-monitor` now (what the daily beat task does)."""
from django.core.management.base import BaseCommand

from ozgmonitor.dataset import monitor_dataset_rebuild
from ozgmonitor.services import portal_services_sync


class Command(BaseCommand):
    help = "Sync the plug-in services into the OZG monitor and rebuild its open dataset."

    def handle(self, *args, **options):
        created, retired = portal_services_sync()
        self.stdout.write(f"plug-in services: {created} added, {retired} retired")
        self.stdout.write(str(monitor_dataset_rebuild()))
