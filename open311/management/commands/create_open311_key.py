"""`manage.py create_open311_key NAME` — a new Open311 client and its API key.

The key is printed once and only its SHA-256 is stored; the client sends it as `api_key`
with POST /open311/v2/requests.json. Deactivate a client in the admin to revoke its key.
"""
from django.core.management.base import BaseCommand, CommandError

from open311.models import Open311Client
from open311.services import client_create


class Command(BaseCommand):
    help = "Create an Open311 client and print its API key (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the client's name, e.g. the application that will use the key")

    def handle(self, *args, name, **options):
        name = name.strip()
        if not name:
            raise CommandError("The name must not be empty.")
        if Open311Client.objects.filter(name=name).exists():
            raise CommandError(f"A client named {name!r} exists already.")
        _client, raw = client_create(name=name)
        self.stdout.write(raw)
