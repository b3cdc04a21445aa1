"""The Sozialcard in the portal: the catalogue entry, the case type, the public start page,
the section "Meine Karten" of `/konto/` (only the owner's cards), the export and erasure of
the account, and the admin scoped to the clerk's departments."""
import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from accounts.services import account_erase
from cases.types import case_type_get
from services.sozialcard.account import card_account_export
from services.sozialcard.models import ActivationCode, Card
from services.sozialcard.services import activation_code_create, card_issue
from tests.services.meldewesen_fixtures import login_as

from .conftest import PERSON

pytestmark = pytest.mark.django_db


def _card(sc, owner):
    today = timezone.localdate()
    return card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                      valid_until=today + relativedelta(months=6), owner=owner)


def test_the_service_is_in_the_catalogue_and_has_a_case_type():
    services = {entry["slug"]: entry for entry in Client().get("/api/v1/services/").json()}
    assert services["sozialcard"]["title"] == "Sozialcard beantragen"
    case_type = case_type_get("sozialcard")
    assert (case_type.reference_prefix, case_type.accepted_status, case_type.rejected_status) == (
        "SC", "approved", "rejected")
    assert case_type.transitions["proof_missing"] == ("in_progress", "approved", "rejected")


def test_the_start_page_shows_programmes_partners_and_discounts(sc):
    page = Client().get("/sozialcard/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Sozialcard", "Bürgergeld, Wohngeld", "Bewilligungsbescheid", "ab 6 Jahren", "höchstens 12 Monate",
                 "Stadtbad Beispiel", "Badstraße 1, 07545 Gera", "Sozialcard (Erwachsene): Eintritt 2 €"):
        assert text in html
    english = Client(headers={"accept-language": "en"}).get("/sozialcard/").content.decode()
    assert "Social card (Adults): Admission €2" in english and "from the age of 6" in english


def test_the_account_shows_the_owners_cards_only(sc, client):
    _card(sc, sc.citizen)
    login_as(client, sc.citizen, level="substanziell")
    html = client.get("/konto/").content.decode()
    assert "Meine Karten" in html and "Sozialcard: Karla" in html and "1990" in html and ">gültig<" in html
    assert "Kanarienvogel" not in html
    other = Client()
    stranger = type(sc.citizen)(username="fremd")
    stranger.save()
    login_as(other, stranger, level="substanziell")
    assert "Meine Karten" not in other.get("/konto/").content.decode()


def test_export_and_erasure_of_the_account(sc):
    card = _card(sc, sc.citizen)
    key, data = card_account_export(sc.citizen)
    assert key == "sozialcard"
    assert data == [{"programme": "sozialcard", "category": "erwachsene", "given_name": "Karla", "birth_year": 1990,
                     "valid_from": card.valid_from.isoformat(), "valid_until": card.valid_until.isoformat(),
                     "kind": "dynamic", "activated_at": None, "revoked_at": None}]
    activation_code_create(card=card)
    account_erase(user=sc.citizen)
    card.refresh_from_db()
    assert (card.owner, card.given_name, card.revocation_reason) == (None, "", "account_deleted")
    assert card.revoked_at is not None
    assert not ActivationCode.objects.exists()


def test_the_admin_shows_cards_and_tills_to_the_offices_clerks_only(sc):
    from django.contrib.auth.models import Permission
    card = _card(sc, sc.citizen)
    for clerk in (sc.sina, sc.gerd):
        clerk.user_permissions.add(*Permission.objects.filter(content_type__app_label="sozialcard"))
    sina, gerd = Client(), Client()
    sina.force_login(sc.sina)
    gerd.force_login(sc.gerd)
    assert f"/admin/sozialcard/card/{card.pk}/change/" in sina.get("/admin/sozialcard/card/").content.decode()
    assert f"/admin/sozialcard/card/{card.pk}/change/" not in gerd.get("/admin/sozialcard/card/").content.decode()
    assert gerd.get(f"/admin/sozialcard/card/{card.pk}/change/").status_code == 302  # "does not exist" → list
    assert sina.get("/admin/sozialcard/programme/").status_code == 200
    programme_link = f"/admin/sozialcard/programme/{sc.programme.pk}/change/"
    assert programme_link in sina.get("/admin/sozialcard/programme/").content.decode()
    assert programme_link not in gerd.get("/admin/sozialcard/programme/").content.decode()
    assert Card.objects.count() == 1


@pytest.mark.parametrize("url", ["/sozialcard/", "/leistungen/", "/leistungen.json", "/leistungen.csv",
                                 "/api/v1/services/", "/catalog.ttl", "/api/3/action/package_list"])
def test_a_cardholder_is_in_no_public_output(sc, url):
    _card(sc, sc.citizen)
    response = Client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Karla" not in body and "Kanarienvogel" not in body and "1990" not in body
