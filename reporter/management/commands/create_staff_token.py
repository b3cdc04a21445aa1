"""`manage.py create_staff_token USERNAME`: a new staff API token, printed once (only its hash is stored)."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reporter.api.tokens import staff_token_create


class Command(BaseCommand):
    help = "Create a staff API token for USERNAME (replacing an earlier one) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"User '{username}' does not exist or is inactive.")
        raw = staff_token_create(user=user)
        self.stdout.write(raw)
        self.stderr.write("Only a hash is stored: the token cannot be shown again. "
                          "Send it as 'Authorization: Token <token>'.")
