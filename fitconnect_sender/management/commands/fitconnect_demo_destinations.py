"""`manage.py fitconnect_demo_destinations [--state DIR]` — the demo's FIT-Connect destinations.

Reads the state directory of the local test server (`fitconnect_dev`, `config.json`, default
`$FITCONNECT_DEV_STATE` or `var/fitconnect`) and gives the registration office (department
slug `buergeramt`, the one the Meldebescheinigung and Abmeldung services file their cases
with; created if the demo data has none) an active destination for both services. Idempotent:
a second run changes nothing, a re-initialised state directory updates the destination id.

With `--print-env URL` it also prints the sender's configuration for the test server at URL
as shell `export` lines (token and API URL, the sender's client id and secret, the test CA,
a callback secret made once and kept in the state directory), which `scripts/run.sh` evaluates
unless a FIT-Connect sender is configured already. The callback URL is `SITE_URL` +
`/fitconnect/callback/`.
"""
import json
import os
import secrets
import shlex
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fitconnect_sender.models import FitConnectDestination
from routing_rules.models import Department

DEPARTMENT = ("buergeramt", "Bürgeramt (Meldebehörde)", "buergeramt@gera.example")
SERVICES = ("meldebescheinigung", "abmeldung")


class Command(BaseCommand):
    help = "Create the demo FIT-Connect destinations of the registration office (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--state", default=os.environ.get("FITCONNECT_DEV_STATE") or "var/fitconnect",
                            help="state directory of the FIT-Connect test server (after `server init`)")
        parser.add_argument("--print-env", metavar="URL", default="",
                            help="print the sender's configuration for the test server at URL as shell exports")

    @transaction.atomic
    def handle(self, *args, state, print_env, **options):
        config_file = Path(state) / "config.json"
        try:
            config = json.loads(config_file.read_text(encoding="utf-8"))
            destination_id = config["destinationId"]
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{config_file}: no FIT-Connect test server state ({exc.__class__.__name__}); "
                               f"run `python -m fitconnect_dev.server init --state {state}` first") from exc
        slug, name, email = DEPARTMENT
        department, _created = Department.objects.get_or_create(slug=slug, defaults={"name": name, "email": email})
        for service in SERVICES:
            destination, created = FitConnectDestination.objects.get_or_create(
                department=department, service=service,
                defaults={"destination_id": destination_id, "is_active": True})
            if not created and (str(destination.destination_id) != destination_id or not destination.is_active):
                destination.destination_id, destination.is_active = destination_id, True
                destination.save(update_fields=["destination_id", "is_active"])
            if not print_env:
                self.stdout.write(f"FIT-Connect: {department.slug} / {service} → {destination_id}")
        if print_env:
            for name, value in _sender_env(Path(state), config, print_env.rstrip("/")).items():
                self.stdout.write(f"export {name}={shlex.quote(value)}")


def _sender_env(state: Path, config: dict, url: str) -> dict:
    """The FITCONNECT_* variables of a sender talking to the test server at `url`."""
    secret_file = state / "sender-callback-secret"
    if not secret_file.exists():
        secret_file.touch(mode=0o600)
        secret_file.write_text(secrets.token_urlsafe(48), encoding="ascii")
    return {
        "FITCONNECT_TOKEN_URL": f"{url}/token",
        "FITCONNECT_SUBMISSION_API_URL": f"{url}/v1",
        "FITCONNECT_CLIENT_ID": config["sender"]["clientId"],
        "FITCONNECT_CLIENT_SECRET": config["sender"]["clientSecret"],
        "FITCONNECT_TRUSTED_CA_FILE": str(Path(config["caCertificate"]).resolve()),
        "FITCONNECT_CALLBACK_SECRET": secret_file.read_text(encoding="ascii").strip(),
    }
