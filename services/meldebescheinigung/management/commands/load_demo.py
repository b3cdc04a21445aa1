"""`manage.py load_demo` — everything before it (city, general request, deregistration abroad:
`services.abmeldung`'s command) plus the registration certificate's demo: the form and one
sample certificate application (paid, in the registration office's inbox).

This app comes first of the services in INSTALLED_APPS, so Django runs this command; it runs
the chain in one transaction. Idempotent (fixed submission key).
"""
from django.contrib.auth import get_user_model
from django.db import transaction

from services.abmeldung.management.commands.load_demo import DEMO_PERSON, registration_office
from services.abmeldung.management.commands.load_demo import Command as AbmeldungCommand
from services.meldebescheinigung.conf import meldebescheinigung_setting
from services.meldebescheinigung.services import case_data_build, form_definition_ensure, meldebescheinigung_file


class Command(AbmeldungCommand):
    help = "Load the demo city and every service's demo data (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        super().handle(*args, **options)
        registration_office(meldebescheinigung_setting("DEPARTMENT"))
        definition = form_definition_ensure()
        owner = get_user_model().objects.filter(username="demo-buerger").first()
        data = case_data_build(person=DEMO_PERSON, values={
            "kind": "einfach", "for_whom": "ich", "purpose": "Vorlage beim Arbeitgeber", "delivery": "konto"})
        data["payment"] = {"provider": "demo", "reference": "demo", "amount_cents": data["fee_cents"]}
        case = meldebescheinigung_file(data=data, owner=owner, contact_email="erika.mustermann@example.org",
                                       language="de", submission_key="demo-meldebescheinigung-1",
                                       form_version=f"{definition.slug}@{definition.version}")
        self.stdout.write(f"meldebescheinigung demo: sample application {case.reference}")
