"""Fixtures of the two registration-office services: the registration office (Bürgeramt) with
its clerk, another department's clerk, and a citizen whose identity carries name, date of
birth and address (the demo provider's Erika Mustermann)."""
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.conftest import citizen_login
from tests.factories import DepartmentFactory, UserFactory

ERIKA_CLAIMS = {"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
                "street_address": "Markt 1", "postal_code": "07545", "locality": "Gera",
                "email": "erika.mustermann@example.org"}


@pytest.fixture
def office(db):
    buergeramt = DepartmentFactory(slug="buergeramt", name="Bürgeramt (Meldebehörde)",
                                   email="buergeramt@stadt.example")
    other = DepartmentFactory(slug="gruen", name="Grünflächenamt", email="gruen@stadt.example")
    mia = UserFactory(username="mia", is_staff=True)
    buergeramt.members.add(mia)
    gerd = UserFactory(username="gerd", is_staff=True)
    other.members.add(gerd)
    return SimpleNamespace(buergeramt=buergeramt, other=other, mia=mia, gerd=gerd)


@pytest.fixture
def erika(db):
    user = get_user_model()(username="erika-m", email="erika.mustermann@example.org")
    user.set_unusable_password()
    user.save()
    return user


def login_as(client, user, *, level: str, claims: dict | None = None) -> None:
    citizen_login(client, user, level=level, claims=ERIKA_CLAIMS if claims is None else claims)
