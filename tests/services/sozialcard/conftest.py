"""Fixtures of the Sozialcard's tests: the social welfare office with its clerk, another
department's clerk, the programme "Sozialcard" (from 6 years, 12 months) with two discount
categories, a partner with a location and its discounts, and a citizen account."""
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from services.sozialcard.models import DiscountCategory, Partner, PartnerDiscount, PartnerLocation, Programme
from tests.factories import DepartmentFactory, UserFactory

#: The data of a person on a card (the family name and the date of birth must never be kept).
PERSON = {"given_name": "Karla", "family_name": "Kanarienvogel", "birthdate": date(1990, 3, 4)}


@pytest.fixture
def sc(db):
    sozialamt = DepartmentFactory(slug="sozialamt", name="Sozialamt", email="sozialamt@stadt.example")
    other = DepartmentFactory(slug="gruen", name="Grünflächenamt", email="gruen@stadt.example")
    sina = UserFactory(username="sina", is_staff=True)
    sozialamt.members.add(sina)
    gerd = UserFactory(username="gerd", is_staff=True)
    other.members.add(gerd)
    programme = Programme.objects.create(
        slug="sozialcard", name_de="Sozialcard", name_en="Social card", eligibility_de="Bürgergeld, Wohngeld",
        eligibility_en="Citizen's income, housing benefit", proofs_de="Bewilligungsbescheid",
        proofs_en="Benefit decision", max_validity_months=12, minimum_age=6, department=sozialamt)
    adults = DiscountCategory.objects.create(programme=programme, slug="erwachsene", name_de="Erwachsene",
                                             name_en="Adults")
    children = DiscountCategory.objects.create(programme=programme, slug="kinder", name_de="Kinder", name_en="Children")
    partner = Partner.objects.create(name="Stadtbad Beispiel", department=sozialamt)
    PartnerLocation.objects.create(partner=partner, name="Stadtbad", address="Badstraße 1, 07545 Gera",
                                   point=Point(12.0733, 50.8773, srid=4326))
    PartnerDiscount.objects.create(partner=partner, programme=programme, category=adults,
                                   description_de="Eintritt 2 €", description_en="Admission €2")
    citizen = get_user_model()(username="karla", email="karla@example.org")
    citizen.set_unusable_password()
    citizen.save()
    return SimpleNamespace(sozialamt=sozialamt, other=other, sina=sina, gerd=gerd, programme=programme,
                           adults=adults, children=children, partner=partner, citizen=citizen)


# Attachments go to a private temporary storage; fast password hashing (from the cases' tests).
from tests.cases.conftest import PDF, _fast_passwords, _private_files, upload  # noqa: E402, F401


def form_data(*, members=(), **extra) -> dict:
    """A valid filling-in of the application (the bundled definition): Erika and `members`
    (dicts with given_name, family_name, birthdate as typed, e.g. "04.03.2015")."""
    data = {"given_name": "Erika", "family_name": "Mustermann", "birthdate": "12.08.1964",
            "email": "erika.mustermann@example.org", "benefit": "buergergeld", "declaration": "on",
            "proof": upload("bescheid.pdf", PDF, "application/pdf"), "submission_key": "sc-0001", "_submit": "1",
            "members-TOTAL_FORMS": str(len(members)), "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "10"}
    for index, member in enumerate(members):
        data.update({f"members-{index}-{key}": value for key, value in member.items()})
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}
