"""Renewal: the reminder before a card ends goes once per card to the account holder (through
the notification outbox, nothing of the social data in it; the beat entry runs it daily), and
the renewal application reuses the earlier one — household prefilled, a new proof required —
filed as a new case linked to the earlier one; only the owner of an approved application may
renew it."""
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client

from cases.models import Case, CaseLink
from config.celery import beat_schedule
from notifications.models import Notification
from services.sozialcard.models import Card
from services.sozialcard.renewal import renewal_reminders_send
from services.sozialcard.services import card_revoke
from services.sozialcard.tasks import sozialcard_renewal_reminders_task
from tests.services.meldewesen_fixtures import ERIKA_CLAIMS, login_as

from .conftest import form_data
from .test_application import KID, _apply, _approval

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(sc):
    citizen = Client()
    _apply(citizen, sc, members=[KID])
    case = Case.objects.get()
    clerk = Client()
    clerk.force_login(sc.sina)
    assert clerk.post(f"/sachbearbeitung/sozialcard/{case.pk}/", _approval()).status_code == 303
    case.refresh_from_db()
    return case, citizen


def test_the_reminder_goes_once_per_card(sc, approved):
    case, _citizen = approved
    cards = list(Card.objects.filter(case=case).order_by("given_name"))
    last_day = cards[0].valid_until
    assert renewal_reminders_send(today=last_day - timedelta(days=31)) == 0
    assert renewal_reminders_send(today=last_day - timedelta(days=30)) == 2
    assert renewal_reminders_send(today=last_day - timedelta(days=29)) == 0  # once per card
    mails = Notification.objects.filter(event="sozialcard.renewal_reminder").order_by("object_id")
    assert [(m.recipient, m.object_id) for m in mails] == [("karla@example.org", str(card.pk)) for card in cards]
    erika = mails.get(object_id=str(cards[0].pk))
    assert erika.subject == f"Ihre Sozialcard endet am {last_day:%d.%m.%Y}"
    assert f"{django_settings.SITE_URL}/sozialcard/verlaengern/{case.pk}/" in erika.body and "Erika" in erika.body
    for mail in mails:  # nothing of the social data
        assert "Mustermann" not in mail.body and "Bürgergeld" not in mail.body and "1964" not in mail.body


def test_revoked_cards_and_the_task(sc, approved):
    case, _citizen = approved
    erika, paul = Card.objects.filter(case=case).order_by("given_name")
    card_revoke(card=paul, reason=Card.Revocation.BENEFIT_ENDED)
    assert renewal_reminders_send(today=erika.valid_until - timedelta(days=1)) == 1
    assert set(Notification.objects.filter(event="sozialcard.renewal_reminder").values_list("object_id", flat=True)) \
        == {str(erika.pk)}
    assert sozialcard_renewal_reminders_task() == 0  # today is far from the end
    entry = beat_schedule()["sozialcard-renewal-reminders"]
    assert entry["task"] == sozialcard_renewal_reminders_task.name


def test_the_renewal_is_prefilled_and_needs_a_new_proof(sc, approved):
    case, citizen = approved
    url = f"/sozialcard/verlaengern/{case.pk}/"
    page = citizen.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="renewal-note"' in html and case.reference in html
    assert 'name="members-0-given_name" value="Paul"' in html
    assert 'name="members-0-birthdate" value="2015-03-04"' in html
    assert 'name="members-INITIAL_FORMS" value="0"' in html
    assert f'action="{url}"' in html
    missing = citizen.post(url, form_data(members=[KID], proof=None, submission_key="sc-0002"))
    assert missing.status_code == 400 and "Leistungsbescheid" in missing.content.decode()
    assert Case.objects.count() == 1
    response = citizen.post(url, form_data(members=[KID], submission_key="sc-0002"))
    assert response.status_code == 303
    renewal = Case.objects.exclude(pk=case.pk).get()
    assert response["Location"] == f"/sozialcard/gesendet/{renewal.tracking_token}/"
    assert (renewal.status, renewal.data["renewal_of"], renewal.owner) == ("new", case.reference, sc.citizen)
    assert [p["given_name"] for p in renewal.data["persons"]] == ["Erika", "Paul"]
    assert renewal.attachments.count() == 1
    assert CaseLink.objects.filter(first_id=min(case.pk, renewal.pk), second_id=max(case.pk, renewal.pk)).exists()
    case.refresh_from_db()
    assert case.status == "approved"


def test_only_the_owner_renews_an_approved_application(sc, approved):
    case, _citizen = approved
    url = f"/sozialcard/verlaengern/{case.pk}/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "substanziell" in anonymous["Location"]
    stranger = type(sc.citizen)(username="fremd")
    stranger.save()
    other = Client()
    login_as(other, stranger, level="substanziell", claims=ERIKA_CLAIMS)
    assert other.get(url).status_code == 404
    assert other.post(url, form_data(members=[KID], submission_key="sc-0003")).status_code == 404
    Case.objects.filter(pk=case.pk).update(status="in_progress")
    owner = Client()
    login_as(owner, sc.citizen, level="substanziell", claims=ERIKA_CLAIMS)
    assert owner.get(url).status_code == 404
    assert Case.objects.count() == 1
