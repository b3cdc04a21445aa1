"""`manage.py create_crew_token USERNAME [--name NAME]` — a token for the field-crew API.

The token is printed once; only its SHA-256 is stored. Use it as `Authorization: Crew <token>`.
Revoke it in the admin (Trupp-Tokens).
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mobile_api.services import CrewTokenRefused, crew_token_create


class Command(BaseCommand):
    help = "Create a crew token for the field-crew API and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label for the token (default: cli)")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"User {username!r} does not exist.")
        try:
            _token, raw = crew_token_create(user=user, name=name)
        except CrewTokenRefused as exc:
            raise CommandError(f"{username}: {exc}") from None
        self.stdout.write(raw)
