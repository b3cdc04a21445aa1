"""Sets up the demo OpenID provider (development only): its RSA key (DEMO_OIDC_KEY_FILE), the
portal as its client (ACCOUNTS OIDC_CLIENT_ID/SECRET, callback under SITE_URL) and the demo
persons as its users. Idempotent; scripts/run.sh runs it when the demo provider is on."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from oauth2_provider.models import get_application_model

from accounts.conf import accounts_setting
from accounts.demo_provider.citizens import DEMO_CITIZENS
from accounts.demo_provider.keys import signing_key_ensure


class Command(BaseCommand):
    help = "Set up the demo OpenID provider (key, client, demo persons); development only."

    def handle(self, *args, **options):
        if not settings.DEMO_OIDC_PROVIDER:
            raise CommandError("DEMO_OIDC_PROVIDER is not true: the demo provider is for development only.")
        client_id = accounts_setting("OIDC_CLIENT_ID")
        client_secret = accounts_setting("OIDC_CLIENT_SECRET")
        if not client_id or not client_secret:
            raise CommandError("Set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET for the demo client.")
        if signing_key_ensure(settings.DEMO_OIDC_KEY_FILE):
            self.stdout.write("Made the demo provider's signing key in var/demo-oidc/.")
        Application = get_application_model()
        User = get_user_model()
        with transaction.atomic():
            Application.objects.filter(client_id=client_id).delete()
            Application.objects.create(
                name="Stadtmelder (Demo)", client_id=client_id, client_secret=client_secret,
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=settings.SITE_URL + reverse("accounts:oidc-callback"),
                algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
            )
            for username, person in DEMO_CITIZENS.items():
                user, _created = User.objects.get_or_create(username=username)
                user.is_staff = user.is_superuser = False
                user.first_name, user.last_name = person["given_name"], person["family_name"]
                user.set_password(person["password"])
                user.save()
        self.stdout.write(f"Demo OpenID provider ready: client {client_id}, persons {', '.join(DEMO_CITIZENS)}.")
