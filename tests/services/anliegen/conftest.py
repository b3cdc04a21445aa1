"""The general request under test: the triage department (Bürgerservice) and two departments
with one clerk each, topic rules, a citizen, and the form as the citizen page posts it."""
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from services.anliegen.models import TopicRule
from tests.accounts.conftest import citizen_login  # noqa: F401 (used by the tests)
from tests.cases.conftest import PDF, PNG, _fast_passwords, _private_files, upload  # noqa: F401
from tests.factories import DepartmentFactory, UserFactory

from .imap_server import imap_server  # noqa: F401 (Dovecot on localhost, for the mail intake's tests)


@pytest.fixture
def org(db):
    triage = DepartmentFactory(slug="buergerservice", name="Bürgerservice", email="buergerservice@stadt.example",
                               lead_email="leitung-bs@stadt.example")
    order = DepartmentFactory(slug="ordnungsamt", name="Ordnungsamt", email="ordnung@stadt.example")
    parks = DepartmentFactory(slug="gruen", name="Grünflächenamt", email="gruen@stadt.example")
    tina = UserFactory(username="tina", is_staff=True)
    triage.members.add(tina)
    otto = UserFactory(username="otto", is_staff=True)
    order.members.add(otto)
    gerd = UserFactory(username="gerd", is_staff=True)
    parks.members.add(gerd)
    rules = SimpleNamespace(
        order=TopicRule.objects.create(name="Ordnung → Ordnungsamt", order=10, topic="ordnung", department=order),
        waste=TopicRule.objects.create(name="Müll → Grün", order=20, keywords="Sperrmüll, Laub", department=parks),
        inactive=TopicRule.objects.create(name="Verkehr (aus)", order=5, topic="verkehr", department=parks,
                                          is_active=False),
    )
    return SimpleNamespace(triage=triage, order=order, parks=parks, tina=tina, otto=otto, gerd=gerd, rules=rules)


@pytest.fixture
def citizen(db):
    user = get_user_model()(username="buerger-test", email="erika@example.org")
    user.set_unusable_password()
    user.save()
    return user


def form_data(**extra) -> dict:
    """A valid filling-in of the citizen form (the bundled definition)."""
    data = {"topic": "ordnung", "description": "Nachts ist es an der Ecke sehr laut.", "contact_wanted": "ja",
            "contact_email": "erika@example.org", "contact_phone": "0365 1234567", "contact_given_name": "Erika",
            "contact_family_name": "Muster", "declaration": "on", "submission_key": "k-0001", "_submit": "1"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}
