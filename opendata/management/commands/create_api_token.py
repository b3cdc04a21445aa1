"""`manage.py create_api_token USERNAME [--name NAME]` — create a CKAN-style API token.

The token is printed once and only its SHA-256 is stored; use it in the `Authorization`
header (ckanapi: `RemoteCKAN(url, apikey=TOKEN)`, CLI: `ckanapi … -a TOKEN`).
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from opendata.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for the open data Action API and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label for the token (default: cli)")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"User {username!r} does not exist.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        _token, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
