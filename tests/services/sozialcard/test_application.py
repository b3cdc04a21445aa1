"""Applying for cards and the office's decision: the programme's login level, filing with
household members and the proof, every wrong input (400, German message, nothing written),
the re-send stored once; the clerk approves with a validity per person (cards created,
nothing of the social data on them), asks for a missing proof, rejects with a reason;
another department's clerk gets 404."""
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Case, CaseMessage
from services.sozialcard.models import Card
from tests.services.meldewesen_fixtures import ERIKA_CLAIMS, login_as

from .conftest import form_data

pytestmark = pytest.mark.django_db

KID = {"given_name": "Paul", "family_name": "Mustermann", "birthdate": "04.03.2015"}


def _apply(client, sc, **kwargs):
    login_as(client, sc.citizen, level="substanziell", claims=ERIKA_CLAIMS)
    return client.post("/sozialcard/sozialcard/antrag/", form_data(**kwargs))


def test_anonymous_and_low_logins_are_sent_to_log_in_at_the_programmes_level(sc, client):
    response = client.get("/sozialcard/sozialcard/antrag/")
    assert response.status_code == 302 and "substanziell" in response["Location"]
    login_as(client, sc.citizen, level="basisregistrierung")
    assert "substanziell" in client.get("/sozialcard/sozialcard/antrag/")["Location"]
    assert Client().get("/sozialcard/unbekannt/antrag/").status_code == 404


def test_the_form_is_prefilled_from_the_login(sc, client):
    login_as(client, sc.citizen, level="substanziell")
    page = client.get("/sozialcard/sozialcard/antrag/")
    assert page.status_code == 200
    assert 'value="Mustermann"' in page.content.decode() and "Sozialcard beantragen" in page.content.decode()


def test_filing_with_a_member_and_the_proof(sc, client):
    response = _apply(client, sc, members=[KID])
    assert response.status_code == 303
    case = Case.objects.get()
    assert response["Location"] == f"/sozialcard/gesendet/{case.tracking_token}/"
    assert (case.service, case.department, case.status, case.owner) == ("sozialcard", sc.sozialamt, "new", sc.citizen)
    assert case.data["persons"] == [
        {"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12"},
        {"given_name": "Paul", "family_name": "Mustermann", "birthdate": "2015-03-04"}]
    assert (case.data["programme"], case.data["benefit"]) == ("sozialcard", "buergergeld")
    assert case.attachments.count() == 1
    assert _apply(client, sc, members=[KID]).status_code == 303  # the re-send
    assert Case.objects.count() == 1
    assert case.reference in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("extra", "message"), [
    ({"members": [{"given_name": "Lina", "family_name": "Mustermann", "birthdate": "01.01.2024"}]},
     "Lina ist jünger als 6 Jahre: Eine Karte gibt es erst ab 6 Jahren."),
    ({"members": [KID, KID]}, "Paul steht zweimal im Antrag."),
    ({"proof": None}, "Leistungsbescheid"),
    ({"benefit": None}, "Welche Leistung beziehen Sie?"),
])
def test_wrong_input_is_refused_and_nothing_stored(sc, client, extra, message):
    response = _apply(client, sc, **extra)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0


@pytest.fixture
def filed(sc):
    client = Client()
    _apply(client, sc, members=[KID])
    clerk = Client()
    clerk.force_login(sc.sina)
    return Case.objects.get(), clerk


def _approval(**extra):
    today = timezone.localdate()
    data = {"action": "approve", "p0-approved": "on", "p0-category": "erwachsene", "p0-valid_from": today.isoformat(),
            "p0-valid_until": (today + timedelta(days=180)).isoformat(), "p1-approved": "on",
            "p1-category": "kinder", "p1-valid_from": today.isoformat(),
            "p1-valid_until": (today + timedelta(days=180)).isoformat()}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_the_clerk_approves_with_a_validity_per_person(sc, filed):
    case, clerk = filed
    page = clerk.get(f"/sachbearbeitung/sozialcard/{case.pk}/")
    assert page.status_code == 200 and "Paul Mustermann" in page.content.decode()
    response = clerk.post(f"/sachbearbeitung/sozialcard/{case.pk}/", _approval())
    assert (response.status_code, response["Location"]) == (303, f"/sachbearbeitung/vorgaenge/{case.pk}/")
    case.refresh_from_db()
    assert case.status == "approved"
    cards = {card.given_name: card for card in Card.objects.filter(case=case)}
    assert sorted(cards) == ["Erika", "Paul"]
    assert (cards["Paul"].birth_year, cards["Paul"].category.slug, cards["Paul"].owner) == (2015, "kinder", sc.citizen)
    assert cards["Erika"].valid_until == timezone.localdate() + timedelta(days=180)
    stored = str(list(Card.objects.values()))
    assert "Mustermann" not in stored and "buergergeld" not in stored and "1964-08-12" not in stored
    again = clerk.post(f"/sachbearbeitung/sozialcard/{case.pk}/", _approval())
    assert again.status_code == 409 and "Über diesen Antrag ist schon entschieden." in again.content.decode()
    assert Card.objects.count() == 2


def test_approving_only_some_persons_and_wrong_decisions(sc, filed):
    case, clerk = filed
    url = f"/sachbearbeitung/sozialcard/{case.pk}/"
    too_long = (timezone.localdate() + timedelta(days=400)).isoformat()
    for data, message in [
        (_approval(**{"p1-valid_until": too_long}), "Paul: Die Karte darf höchstens 12 Monate gültig sein."),
        (_approval(**{"p0-valid_from": "morgen"}), "Bitte geben Sie für Erika ein gültiges Datum an"),
        (_approval(**{"p0-category": "gold"}), "Bitte wählen Sie für Erika eine Ermäßigungsstufe."),
        (_approval(**{"p0-approved": None, "p1-approved": None}),
         "Bitte wählen Sie mindestens eine Person, die eine Karte bekommt."),
        ({"action": "verschenken"}, "Unbekannte Entscheidung."),
    ]:
        response = clerk.post(url, data)
        assert response.status_code == 400, message
        assert message in response.content.decode()
    assert (Card.objects.count(), Case.objects.get().status) == (0, "new")
    assert clerk.post(url, _approval(**{"p1-approved": None})).status_code == 303
    assert list(Card.objects.values_list("given_name", flat=True)) == ["Erika"]


def test_the_clerk_asks_for_a_missing_proof_then_rejects(sc, filed):
    case, clerk = filed
    url = f"/sachbearbeitung/sozialcard/{case.pk}/"
    assert clerk.post(url, {"action": "proof", "text": " "}).status_code == 400
    response = clerk.post(url, {"action": "proof", "text": "Bitte reichen Sie den Bescheid ab Januar nach."})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == "proof_missing"
    message = case.messages.get()
    assert (message.direction, message.body) == (CaseMessage.Direction.TO_CITIZEN,
                                                 "Bitte reichen Sie den Bescheid ab Januar nach.")
    empty = clerk.post(url, {"action": "reject", "reason": ""})
    assert empty.status_code == 400 and "Bitte geben Sie einen Grund für die Ablehnung an." in empty.content.decode()
    assert clerk.post(url, {"action": "reject", "reason": "Kein Leistungsbezug."}).status_code == 303
    case.refresh_from_db()
    assert case.status == "rejected" and Card.objects.count() == 0


def test_another_departments_clerk_gets_404(sc, filed):
    case, _clerk = filed
    gerd = Client()
    gerd.force_login(sc.gerd)
    assert gerd.get(f"/sachbearbeitung/sozialcard/{case.pk}/").status_code == 404
    assert gerd.post(f"/sachbearbeitung/sozialcard/{case.pk}/", _approval()).status_code == 404
    assert Card.objects.count() == 0
