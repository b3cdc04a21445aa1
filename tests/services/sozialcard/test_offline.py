"""The offline card: the activated phone (and only it) gets its key material to compute codes
itself (the same RFC 6238 code the server computes), the cards' service worker is served
with its scope, and the page carries what the script needs and a no-JavaScript note."""
import pyotp
import pytest
from django.test import Client

from services.sozialcard.codes import dynamic_code

from .conftest import citizen_client

pytestmark = pytest.mark.django_db


def test_only_the_activated_device_gets_the_key_material(sc, card):
    laptop, phone = citizen_client(sc), citizen_client(sc)
    assert laptop.get(f"/konto/karten/{card.pk}/geraet.json").status_code == 404
    phone.post(f"/konto/karten/{card.pk}/aktivieren/")
    assert laptop.get(f"/konto/karten/{card.pk}/geraet.json").status_code == 404  # logged in, not the device
    assert Client().get(f"/konto/karten/{card.pk}/geraet.json").status_code == 404
    response = phone.get(f"/konto/karten/{card.pk}/geraet.json")
    card.refresh_from_db()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data == {"card": card.pk, "prefix": "SC1D", "card_hash": card.card_hash, "generation": 1,
                    "secret": card.totp_secret, "algorithm": "SHA-1", "digits": 6, "step": 30,
                    "valid_from": card.valid_from.isoformat(), "valid_until": card.valid_until.isoformat()}
    # What the phone computes from it is the server's code.
    otp = pyotp.TOTP(data["secret"], digits=data["digits"], interval=data["step"]).now()
    assert f"{data['prefix']}.{data['card_hash']}.{data['generation']}.{otp}" == dynamic_code(
        card_hash=card.card_hash, generation=1, secret=card.totp_secret)
    assert "Kanarienvogel" not in response.content.decode() and "1990-03-04" not in response.content.decode()


def test_the_page_carries_the_offline_parts(sc, card):
    phone = citizen_client(sc)
    phone.post(f"/konto/karten/{card.pk}/aktivieren/")
    html = phone.get(f"/konto/karten/{card.pk}/").content.decode()
    assert 'data-on-device="true"' in html and f'data-device-url="/konto/karten/{card.pk}/geraet.json"' in html
    assert 'src="/static/vendor/qrcode-generator/qrcode.js"' in html and 'src="/static/sozialcard/card.js"' in html
    assert "<noscript>" in html and "Nutzen Sie dann die gedruckte Karte." in html
    card.refresh_from_db()
    assert card.totp_secret not in html  # the secret only through geraet.json


def test_the_service_worker_is_served_with_its_scope():
    response = Client().get("/konto/karten/sw.js")
    assert response.status_code == 200 and response["Content-Type"] == "text/javascript"
    assert response["Service-Worker-Allowed"] == "/konto/karten/"
    body = b"".join(response.streaming_content).decode()
    assert 'const CACHE = "stadtmelder-card-v1"' in body and "/static/vendor/qrcode-generator/qrcode.js" in body
