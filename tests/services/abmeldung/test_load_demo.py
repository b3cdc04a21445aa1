"""`load_demo` brings the registration office (with the demo clerk) and one sample case of each
registration service; a second run adds nothing."""
import pytest
from django.core.management import call_command

from cases.models import Case
from routing_rules.models import Department

pytestmark = pytest.mark.django_db


def test_load_demo_twice():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    office = Department.objects.get(slug="buergeramt")
    assert office.members.filter(username="sachbearbeitung").exists()
    for service in ("meldebescheinigung", "abmeldung"):
        case = Case.objects.get(service=service)
        assert (case.department, case.status, case.data["person"]["family_name"]) == (office, "new", "Mustermann")
