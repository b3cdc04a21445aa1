"""Fixtures of the Sozialcard's tests: the social welfare office with its clerk, another
department's clerk, the programme "Sozialcard" (from 6 years, 12 months) with two discount
categories, a partner with a location and its discounts, and a citizen account."""
from datetime import date
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from services.sozialcard.models import DiscountCategory, Partner, PartnerDiscount, PartnerLocation, Programme
from services.sozialcard.services import card_issue
from tests.factories import DepartmentFactory, UserFactory
from tests.services.meldewesen_fixtures import login_as

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


@pytest.fixture
def card(sc):
    """Karla's card (adults, valid today for six months) in the citizen's account."""
    today = timezone.localdate()
    return card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                      valid_until=today + relativedelta(months=6), owner=sc.citizen)


def citizen_client(sc) -> Client:
    """A browser of the card's owner (a test client logged in at "substanziell")."""
    client = Client()
    login_as(client, sc.citizen, level="substanziell")
    return client


def clerk_context(new_context, live_server, sc, **options):
    """A Chromium context logged in as the social welfare office's clerk Sina."""
    office = new_context(**options)
    session = SessionStore()
    session.update({"_auth_user_id": str(sc.sina.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": sc.sina.get_session_auth_hash()})
    session.create()
    office.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key,
                         "url": live_server.url}])
    return office


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
