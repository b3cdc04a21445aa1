"""`manage.py load_demo` — the demo of the general request (and the city) plus the deregistration
abroad's: the registration office (Bürgeramt, Meldebehörde) with the demo clerk
"sachbearbeitung" as member, the form, and one sample deregistration in the office's inbox.

Chained like the general request's command: `services.meldebescheinigung` (first in
INSTALLED_APPS) runs this one, which runs the general request's, all in one transaction.
Idempotent: the department once, the sample with a fixed submission key.
"""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from routing_rules.models import Department
from services.abmeldung.conf import abmeldung_setting
from services.abmeldung.services import abmeldung_file, form_definition_ensure
from services.anliegen.management.commands.load_demo import Command as AnliegenCommand
from services.meldewesen import RegisteredPerson

#: The demo citizen of the demo provider (accounts.demo_provider.citizens), the sample's person.
DEMO_PERSON = RegisteredPerson(given_name="Erika", family_name="Mustermann", birthdate="1964-08-12",
                               street_address="Markt 1", postal_code="07545", locality="Gera")
OFFICE = ("Bürgeramt (Meldebehörde)", "buergeramt@gera.example")


def registration_office(slug: str) -> Department:
    """The registration office with the demo clerk as member (created once)."""
    office, _created = Department.objects.get_or_create(slug=slug, defaults={"name": OFFICE[0], "email": OFFICE[1]})
    clerk = get_user_model().objects.filter(username="sachbearbeitung").first()
    if clerk is not None:
        office.members.add(clerk)
    return office


class Command(AnliegenCommand):
    help = "Load the demo city, the general request's and the deregistration abroad's demo data (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        super().handle(*args, **options)
        office = registration_office(abmeldung_setting("DEPARTMENT"))
        form_definition_ensure()
        owner = get_user_model().objects.filter(username="demo-buerger").first()
        moved = timezone.localdate() + timedelta(days=5)
        _case, created = abmeldung_file(
            person=DEMO_PERSON, owner=owner, contact_email="erika.mustermann@example.org",
            submission_key="demo-abmeldung-1", form_version="abmeldung@1",
            values={"move_date": moved.isoformat(), "new_street": "Praterstraße 1", "new_postcode": "1020",
                    "new_city": "Wien", "new_country": "AT", "members": [], "documents": []})
        self.stdout.write(f"abmeldung demo: office „{office.name}“, {int(created)} sample deregistration created")
