"""One-time activation codes: the owner gets a code (and the QR code of its link) for a family
member's phone; that phone activates the card without the account's login and shows it; the
phone before stops working; the code is stored only as a keyed hash, used once, ends after
its minutes, and guessing is rate-limited. Every refusal has its status code and message, in
German and English."""
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from services.sozialcard.codes import code_parse
from services.sozialcard.models import ActivationCode, Card
from services.sozialcard.services import (
    activation_code_create,
    activation_code_hash,
    activation_code_normalize,
    card_revoke,
)
from tests.services.meldewesen_fixtures import login_as

from .conftest import citizen_client

pytestmark = pytest.mark.django_db

ACTIVATE = "/sozialcard/aktivieren/"


def _code_from(page) -> str:
    return re.search(r'id="activation-code">([0-9A-Z]{4}-[0-9A-Z]{4})<', page.content.decode())[1]


def _error(page) -> str:
    return re.search(r'<li><a href="#id_code">([^<]+)</a></li>', page.content.decode())[1]


def test_the_owner_gets_a_code_and_a_family_phone_activates_the_card(sc, card):
    owner = citizen_client(sc)
    owner.post(f"/konto/karten/{card.pk}/aktivieren/")  # the owner's own phone first
    page = owner.post(f"/konto/karten/{card.pk}/aktivierungscode/")
    html = page.content.decode()
    assert page.status_code == 201
    code = _code_from(page)
    assert 'id="activation-qr" src="data:image/svg+xml' in html
    assert f"/sozialcard/aktivieren/?code={code.replace('-', '')}" in html
    row = ActivationCode.objects.get()
    assert row.code_hash == activation_code_hash(code.replace("-", "")) and code.replace("-", "") not in row.code_hash
    assert abs((row.expires_at - row.created_at) - timedelta(minutes=15)) < timedelta(seconds=1)

    family = Client()  # no login
    form = family.get(f"{ACTIVATE}?code={code.replace('-', '')}")
    assert form.status_code == 200 and f'value="{code.replace("-", "")}"' in form.content.decode()
    assert ActivationCode.objects.get().used_at is None  # the link alone uses nothing
    response = family.post(ACTIVATE, {"code": code.lower()})
    assert (response.status_code, response["Location"]) == (303, f"/konto/karten/{card.pk}/")
    assert response.cookies[f"sozialcard_device_{card.pk}"]["httponly"]
    card.refresh_from_db()
    assert card.device_generation == 2
    shown = family.get(f"/konto/karten/{card.pk}/")
    html = shown.content.decode()
    assert shown.status_code == 200 and 'id="card-pdf"' not in html and 'id="activation-form"' not in html
    shown_code = re.search(r'<code id="card-code-value">([^<]+)</code>', html)[1]
    assert code_parse(shown_code).generation == 2
    assert family.get(f"/konto/karten/{card.pk}/karte.pdf").status_code == 404  # the owner's only
    assert family.post(f"/konto/karten/{card.pk}/aktivierungscode/").status_code == 404
    # The owner's phone activated before shows no code any more.
    assert "anderen Gerät aktiviert" in owner.get(f"/konto/karten/{card.pk}/").content.decode()
    assert owner.get(f"/konto/karten/{card.pk}/code.svg").status_code == 404


def test_used_wrong_and_malformed_codes_are_refused(sc, card):
    _row, code = activation_code_create(card=card)
    assert Client().post(ACTIVATE, {"code": code}).status_code == 303
    used = Client().post(ACTIVATE, {"code": code})
    assert used.status_code == 409
    assert _error(used) == ("Dieser Aktivierungscode wurde schon benutzt. Lassen Sie sich im Konto "
                            "einen neuen geben.")
    wrong = Client().post(ACTIVATE, {"code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 400 and _error(wrong) == "Diesen Aktivierungscode gibt es nicht. Bitte prüfen Sie ihn."
    short = Client().post(ACTIVATE, {"code": "ABC"})
    assert short.status_code == 400
    assert _error(short) == "Ein Aktivierungscode hat acht Zeichen, zum Beispiel K7QM-4XTP."
    english = Client(headers={"accept-language": "en"}).post(ACTIVATE, {"code": "ZZZZ-ZZZZ"})
    assert english.status_code == 400
    assert _error(english) == "There is no such activation code. Please check it."
    assert Card.objects.get().device_generation == 1


def test_an_expired_code_is_refused(sc, card):
    _row, code = activation_code_create(card=card)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        expired = Client().post(ACTIVATE, {"code": code})
    assert expired.status_code == 410
    assert _error(expired) == "Dieser Aktivierungscode ist abgelaufen. Lassen Sie sich im Konto einen neuen geben."
    assert Card.objects.get().device_generation == 0 and ActivationCode.objects.get().used_at is None


def test_a_new_code_voids_the_unused_one_and_revoked_cards_get_none(sc, card):
    _row, first = activation_code_create(card=card)
    _row, second = activation_code_create(card=card)
    assert Client().post(ACTIVATE, {"code": first}).status_code == 400
    assert Client().post(ACTIVATE, {"code": second}).status_code == 303
    card_revoke(card=card, reason=Card.Revocation.LOST)
    refused = citizen_client(sc).post(f"/konto/karten/{card.pk}/aktivierungscode/")
    assert refused.status_code == 400 and "Diese Karte ist gesperrt." in refused.content.decode()
    assert ActivationCode.objects.count() == 1


def test_only_the_owner_gets_a_code(sc, card):
    assert Client().post(f"/konto/karten/{card.pk}/aktivierungscode/").status_code == 404
    stranger = type(sc.citizen)(username="fremd")
    stranger.save()
    other = Client()
    login_as(other, stranger, level="substanziell")
    assert other.post(f"/konto/karten/{card.pk}/aktivierungscode/").status_code == 404
    assert not ActivationCode.objects.exists()


def test_guessing_is_rate_limited(sc, card, settings):
    settings.SOZIALCARD = {"ACTIVATION_RATE": "3/h"}
    _row, code = activation_code_create(card=card)
    guesser = Client()
    for _ in range(3):
        assert guesser.post(ACTIVATE, {"code": "ZZZZ-ZZZZ"}).status_code == 400
    limited = guesser.post(ACTIVATE, {"code": code})
    assert limited.status_code == 429
    assert _error(limited) == "Zu viele Versuche. Bitte warten Sie eine Stunde und versuchen Sie es dann erneut."
    assert ActivationCode.objects.get().used_at is None


def test_codes_are_read_forgivingly():
    assert activation_code_normalize(" k7qm-4xtp ") == "K7QM4XTP"
    assert activation_code_normalize("K7QM 4XTO") == "K7QM4XT0"  # O is read as zero
    assert activation_code_normalize("K7QM-4XT") == "" and activation_code_normalize("K7QM-4XTU") == ""
