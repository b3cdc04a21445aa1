"""The card in the account: the owner only; activation binds the card to one device (a new
activation makes the old device's page and codes worthless); the dynamic code is RFC 6238
over the device secret and changes with the 30-second step; the printable PDF carries the
static code; revoked cards show no code."""
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from django.test import Client

from services.sozialcard.codes import code_parse, static_code
from services.sozialcard.models import Card
from services.sozialcard.services import card_revoke
from tests.services.meldewesen_fixtures import login_as

from .conftest import citizen_client

pytestmark = pytest.mark.django_db


def _code_on(page) -> str:
    return re.search(r"<code[^>]*>(SC1D\.[^<]+)</code>", page.content.decode())[1]


def test_only_the_owner_sees_the_card(sc, card):
    assert Client().get(f"/konto/karten/{card.pk}/").status_code == 404
    stranger = type(sc.citizen)(username="fremd")
    stranger.save()
    other = Client()
    login_as(other, stranger, level="substanziell")
    for path in ("", "code.svg", "karte.pdf"):
        assert other.get(f"/konto/karten/{card.pk}/{path}").status_code == 404
    assert other.post(f"/konto/karten/{card.pk}/aktivieren/").status_code == 404
    assert Card.objects.get().device_generation == 0


def test_activation_binds_the_card_to_one_device(sc, card):
    phone = citizen_client(sc)
    page = phone.get(f"/konto/karten/{card.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="activate"' in html and "SC1D." not in html
    assert phone.get(f"/konto/karten/{card.pk}/code.svg").status_code == 404
    response = phone.post(f"/konto/karten/{card.pk}/aktivieren/")
    assert (response.status_code, response["Location"]) == (303, f"/konto/karten/{card.pk}/")
    cookie = response.cookies[f"sozialcard_device_{card.pk}"]
    assert cookie["httponly"] and cookie["path"] == f"/konto/karten/{card.pk}/"
    card.refresh_from_db()
    assert card.device_generation == 1 and len(card.totp_secret) == 32
    code = _code_on(phone.get(f"/konto/karten/{card.pk}/"))
    parsed = code_parse(code)
    assert (parsed.kind, parsed.card_hash, parsed.generation) == ("dynamic", card.card_hash, 1)
    assert pyotp.TOTP(card.totp_secret).verify(parsed.otp)
    svg = phone.get(f"/konto/karten/{card.pk}/code.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content

    new_phone = citizen_client(sc)
    assert "anderen Gerät aktiviert" in new_phone.get(f"/konto/karten/{card.pk}/").content.decode()
    assert new_phone.post(f"/konto/karten/{card.pk}/aktivieren/").status_code == 303
    card.refresh_from_db()
    assert card.device_generation == 2
    assert "anderen Gerät aktiviert" in phone.get(f"/konto/karten/{card.pk}/").content.decode()
    assert phone.get(f"/konto/karten/{card.pk}/code.svg").status_code == 404
    assert code_parse(_code_on(new_phone.get(f"/konto/karten/{card.pk}/"))).generation == 2


def test_the_code_changes_with_the_30_second_step(sc, card):
    phone = citizen_client(sc)
    phone.post(f"/konto/karten/{card.pk}/aktivieren/")
    now = int(datetime.now(tz=UTC).timestamp())
    start = datetime.fromtimestamp(now - now % 30 + 60, tz=UTC)  # a step boundary (the session lives on)
    card.refresh_from_db()
    with time_machine.travel(start, tick=False):
        first = _code_on(phone.get(f"/konto/karten/{card.pk}/"))
    with time_machine.travel(start + timedelta(seconds=29), tick=False):
        assert _code_on(phone.get(f"/konto/karten/{card.pk}/")) == first
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        second = _code_on(phone.get(f"/konto/karten/{card.pk}/"))
    assert second != first
    assert code_parse(second).otp == pyotp.TOTP(card.totp_secret).at(start + timedelta(seconds=30))


def test_the_printable_card_and_a_revoked_card(sc, card):
    phone = citizen_client(sc)
    pdf = phone.get(f"/konto/karten/{card.pk}/karte.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert code_parse(static_code(card_hash=card.card_hash)).kind == "static"
    card.given_name = "Łucja Żaneta"  # outside Latin-1: printed without a 500
    card.save()
    assert phone.get(f"/konto/karten/{card.pk}/karte.pdf").status_code == 200
    card_revoke(card=card, reason=Card.Revocation.LOST)
    page = phone.get(f"/konto/karten/{card.pk}/")
    assert "Diese Karte ist gesperrt." in page.content.decode() and 'id="activate"' not in page.content.decode()
    assert phone.get(f"/konto/karten/{card.pk}/karte.pdf").status_code == 404
    refused = phone.post(f"/konto/karten/{card.pk}/aktivieren/")
    assert refused.status_code == 400 and "Diese Karte ist gesperrt." in refused.content.decode()
    assert Card.objects.get().device_generation == 0
