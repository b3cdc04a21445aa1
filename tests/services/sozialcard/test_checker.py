"""The checker web app `/sozialcard/pruefen/`: sign-in with a till key (wrong key 403, revoked
key 403, a missing key 400, sign-out), a check through the same service as the till API (a
valid dynamic and static code, every refusal in words), exactly the allowed facts in the page
(canaries of family name, address and benefit never appear), the log, and the manifest."""
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from services.sozialcard.codes import STEP_SECONDS, dynamic_code, static_code, totp_for
from services.sozialcard.models import Card, Partner, VerificationCount
from services.sozialcard.services import card_activate, card_issue, card_revoke, till_create, till_revoke
from services.sozialcard.verification import REPLAY_LOOKBACK_STEPS, WINDOW_STEPS

from .conftest import PERSON

pytestmark = pytest.mark.django_db

PAGE, SIGN_IN, SIGN_OUT = "/sozialcard/pruefen/", "/sozialcard/pruefen/anmelden/", "/sozialcard/pruefen/abmelden/"


@pytest.fixture
def card(sc):
    today = timezone.localdate()
    issued = card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                        valid_until=today + relativedelta(months=6), owner=sc.citizen)
    return card_activate(card=issued)


@pytest.fixture
def till(sc):
    return till_create(partner=sc.partner, name="Kasse Foyer")


@pytest.fixture
def staff(till):
    """A browser signed in to the checker with the till's key."""
    _till, key = till
    client = Client()
    response = client.post(SIGN_IN, {"key": key})
    assert (response.status_code, response["Location"]) == (303, PAGE)
    return client


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _check(client, code):
    return client.post(PAGE, {"code": code})


def test_sign_in_shows_the_till_and_sign_out_ends_it(staff, sc):
    page = staff.get(PAGE)
    assert page.status_code == 200
    assert "Angemeldet: Stadtbad Beispiel, Kasse Foyer" in _text(page)
    assert 'name="code"' in page.content.decode() and page["Cache-Control"].startswith("max-age=0")
    assert staff.post(SIGN_OUT).status_code == 303
    page = staff.get(PAGE)
    assert 'name="key"' in page.content.decode() and 'name="code"' not in page.content.decode()
    assert _check(staff, "hallo").status_code == 403


def test_a_wrong_or_missing_key_is_refused_with_a_message(sc, till):
    client = Client()
    wrong = client.post(SIGN_IN, {"key": "falsch-falsch-falsch"})
    assert wrong.status_code == 403
    assert "Ungültiger Kassenschlüssel." in _text(wrong)
    missing = client.post(SIGN_IN, {"key": ""})
    assert missing.status_code == 400
    assert "Bitte geben Sie den Schlüssel der Kasse ein." in _text(missing)
    english = Client(headers={"accept-language": "en"}).post(SIGN_IN, {"key": "falsch"})
    assert english.status_code == 403 and "Invalid till key." in _text(english)
    assert client.get(SIGN_IN).status_code == 405
    unsigned = _check(client, "hallo")
    assert unsigned.status_code == 403
    assert "Bitte melden Sie sich zuerst mit dem Schlüssel der Kasse an." in _text(unsigned)
    assert VerificationCount.objects.count() == 0


def test_a_revoked_key_cannot_sign_in_and_ends_a_session(sc, till, staff):
    till_row, key = till
    till_revoke(till=till_row)
    refused = staff.post(PAGE, {"code": "hallo"})
    assert refused.status_code == 403
    assert "Der Schlüssel dieser Kasse ist gesperrt. Bitte melden Sie sich neu an." in _text(refused)
    assert 'name="key"' in staff.get(PAGE).content.decode()  # signed out
    again = Client().post(SIGN_IN, {"key": key})
    assert again.status_code == 403 and "Ungültiger Kassenschlüssel." in _text(again)
    assert VerificationCount.objects.count() == 0


def test_a_valid_dynamic_code_shows_exactly_what_a_till_may_learn(sc, card, staff):
    code = dynamic_code(card_hash=card.card_hash, generation=card.device_generation, secret=card.totp_secret)
    response = _check(staff, code)
    assert response.status_code == 200
    text = _text(response)
    assert "✓ Gültig" in text and "Gültig." in text
    facts = re.findall(r'<dd id="checker-([a-z-]+)">([^<]*)</dd>', response.content.decode())
    assert facts == [("programme", "Sozialcard"), ("category", "Erwachsene"), ("given-name", "Karla"),
                     ("birth-year", "1990"), ("card-type", "dynamisch (App, wechselnder Code)")]
    assert 'id="checker-static"' not in response.content.decode()
    html = response.content.decode()
    for canary in ("Kanarienvogel", "1990-03-04", "04.03.1990", "buergergeld", "Bürgergeld", "karla@example.org",
                   card.card_hash, card.totp_secret):
        assert canary not in html
    again = _check(staff, code)  # the same code once more: replayed, and nothing about the person
    assert "Dieser Code wurde schon verwendet." in _text(again) and "Karla" not in again.content.decode()


def test_a_static_code_is_marked_static(sc, card, staff):
    response = _check(staff, static_code(card_hash=card.card_hash))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="checker-card-type">statisch (gedruckt)</dd>' in html
    assert "Statischer Code einer gedruckten Karte:" in _text(response)


def _expire(card):
    today = timezone.localdate()
    Card.objects.filter(pk=card.pk).update(valid_from=today - relativedelta(months=2),
                                           valid_until=today - relativedelta(days=1))


def _not_yet(card):
    Card.objects.filter(pk=card.pk).update(valid_from=timezone.localdate() + relativedelta(days=1))


def _code_now(card, at):
    return dynamic_code(card_hash=card.card_hash, generation=card.device_generation, secret=card.totp_secret, at=at)


def _wrong_code(card, at):
    """A dynamic code of the card whose digits no time step of the window or the replay
    lookback around `at` has: certainly refused as invalid, never valid or replayed."""
    totp = totp_for(card.totp_secret)
    current = int(at.timestamp()) // STEP_SECONDS
    taken = {totp.at(step * STEP_SECONDS)
             for step in range(current - REPLAY_LOOKBACK_STEPS - 1, current + WINDOW_STEPS + 2)}
    otp = next(f"{n:06d}" for n in range(10 ** 6) if f"{n:06d}" not in taken)
    return f"SC1D.{card.card_hash}.{card.device_generation}.{otp}"


@pytest.mark.parametrize(("prepare", "code_of", "message"), [
    (None, lambda card, at: "hallo", "Unbekannter Code: Das ist keine Karte eines Programms der Stadt."),
    (lambda card: card_revoke(card=card, reason="benefit_ended"), _code_now, "Diese Karte ist gesperrt."),
    (_expire, _code_now, "Diese Karte ist abgelaufen."),
    (_not_yet, _code_now, "Diese Karte gilt noch nicht."),
    (lambda card: card_activate(card=card), _code_now,
     "Diese Karte wurde auf ein anderes Handy übertragen; dieser Code gilt nicht mehr."),
    (None, _wrong_code, "Der Code ist nicht gültig. Bitte den aktuellen Code zeigen lassen."),
], ids=["unknown", "revoked", "expired", "not_yet_valid", "device_replaced", "invalid_code"])
def test_each_refusal_in_words_and_nothing_about_the_person(sc, card, staff, prepare, code_of, message):
    at = timezone.now()
    code = code_of(card, at)
    if prepare:
        prepare(card)
    with time_machine.travel(at, tick=False):  # the check in the time step the code was made for
        response = _check(staff, code)
    assert response.status_code == 200
    text = _text(response)
    assert "✗ Nicht gültig" in text and message in text
    html = response.content.decode()
    assert "Karla" not in html and "1990" not in html and 'id="checker-programme"' not in html


def test_wrong_partner_is_refused(sc, card):
    museum = Partner.objects.create(name="Museum ohne Sozialcard", department=sc.sozialamt)
    _till, key = till_create(partner=museum, name="Museumskasse")
    client = Client()
    client.post(SIGN_IN, {"key": key})
    response = _check(client, static_code(card_hash=card.card_hash))
    assert "Für dieses Programm gibt es hier keine Ermäßigung." in _text(response)
    assert "Karla" not in response.content.decode()


def test_missing_and_overlong_codes_answer_400_and_log_nothing(sc, staff):
    missing = _check(staff, "")
    assert missing.status_code == 400 and "Bitte geben Sie den Code der Karte ein." in _text(missing)
    long = _check(staff, "x" * 201)
    assert long.status_code == 400 and "Das ist kein Code einer Karte: höchstens 200 Zeichen." in _text(long)
    assert VerificationCount.objects.count() == 0


def test_checks_are_logged_like_the_till_apis(sc, card, staff):
    _check(staff, static_code(card_hash=card.card_hash))
    _check(staff, "hallo")
    rows = set(VerificationCount.objects.values_list("partner__name", "programme__slug", "card_type", "result",
                                                     "count"))
    assert rows == {("Stadtbad Beispiel", "sozialcard", "static", "valid", 1),
                    ("Stadtbad Beispiel", None, "", "unknown", 1)}


def test_english_result(sc, card, staff):
    card_revoke(card=card, reason="lost")
    response = staff.post(PAGE, {"code": static_code(card_hash=card.card_hash)}, headers={"accept-language": "en"})
    assert "Not valid" in _text(response) and "This card is revoked." in _text(response)


def test_the_manifest_makes_the_checker_installable(sc):
    manifest = Client().get("/sozialcard/pruefen/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert (data["name"], data["start_url"], data["scope"], data["display"]) == (
        "Sozialcard prüfen", PAGE, PAGE, "standalone")
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    page = Client().get(PAGE).content.decode()
    assert page.count('rel="manifest"') == 1 and 'href="/sozialcard/pruefen/manifest.webmanifest"' in page


def test_the_checker_shares_the_till_apis_rate_limit(sc, card, till, staff, settings):
    """Per till, the API's limit and count: two checks on the page, the third (page or API)
    answers 429 with Retry-After, in German or English, and is not logged."""
    settings.SOZIALCARD = {"TILL_RATE": "3/min"}
    _till, key = till
    assert [_check(staff, "hallo").status_code for _ in range(2)] == [200, 200]
    api = Client(headers={"authorization": f"Till {key}"})
    assert api.post("/api/pos/v1/verify", {"code": "hallo"}, content_type="application/json").status_code == 200
    refused = _check(staff, static_code(card_hash=card.card_hash))
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert re.search(r"Zu viele Prüfungen mit dieser Kasse in kurzer Zeit\. Bitte versuchen Sie es in \d+ "
                     r"Sekunden erneut\.", _text(refused))
    assert "Karla" not in refused.content.decode()
    english = staff.post(PAGE, {"code": "hallo"}, headers={"accept-language": "en"})
    assert english.status_code == 429
    assert re.search(r"Too many checks with this till in a short time\. Please try again in \d+ seconds\.",
                     _text(english))
    assert api.post("/api/pos/v1/verify", {"code": "hallo"}, content_type="application/json").status_code == 429
    assert set(VerificationCount.objects.values_list("result", "count")) == {("unknown", 3)}
    _other, other_key = till_create(partner=sc.partner, name="Kasse Halle")  # another till counts apart
    second = Client()
    second.post(SIGN_IN, {"key": other_key})
    assert _check(second, "hallo").status_code == 200
