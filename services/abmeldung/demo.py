"""The deregistration abroad's demo (hook `register_demo_data`, run by `manage.py load_demo`):
the registration office with the demo clerk as member, the form, and one sample deregistration
in the office's inbox. Idempotent: the department once, the sample with a fixed submission key."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from services.demo import DEMO_PERSON, registration_office

from .conf import abmeldung_setting
from .services import abmeldung_file, form_definition_ensure

__all__ = ["abmeldung_demo_load"]


def abmeldung_demo_load(*, stdout) -> None:
    """See the module docstring; one line of output to `stdout`."""
    office = registration_office(abmeldung_setting("DEPARTMENT"))
    form_definition_ensure()
    owner = get_user_model().objects.filter(username="demo-buerger").first()
    moved = timezone.localdate() + timedelta(days=5)
    _case, created = abmeldung_file(
        person=DEMO_PERSON, owner=owner, contact_email="erika.mustermann@example.org",
        submission_key="demo-abmeldung-1", form_version="abmeldung@1",
        values={"move_date": moved.isoformat(), "new_street": "Praterstraße 1", "new_postcode": "1020",
                "new_city": "Wien", "new_country": "AT", "members": [], "documents": []})
    stdout.write(f"abmeldung demo: office „{office.name}“, {int(created)} sample deregistration created")
