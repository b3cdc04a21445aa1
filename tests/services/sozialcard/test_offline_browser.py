"""In Chromium: the card on a family member's phone, offline. The owner makes a one-time
activation code in the account; the other phone (no login) activates the card with it; the
card page draws the QR code on the phone; the test takes the QR code from the screen
(screenshot), decodes it with zxing-cpp and posts it to `/api/pos/v1/verify` with a till key:
valid. Then the phone goes offline (CDP Network.emulateNetworkConditions) and the card page,
from the cards' service worker, still shows a new code every 30 seconds that verifies. The
pages this added or changed (card page, activation page, renewal form, the case screen with
"Entscheiden") have no axe-core WCAG 2.1 A/AA violation at 390 and 1280 px."""
import io
import re

import pytest
import zxingcpp
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from cases.models import Case
from services.sozialcard.applications import application_file
from services.sozialcard.services import card_issue, till_create
from tests.accounts.test_browser import log_in
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

from .conftest import PERSON, clerk_context

pytestmark = pytest.mark.django_db(transaction=True)

CACHE = "stadtmelder-card-v1"


def _qr_on_screen(page, name: str) -> str:
    """The text of the QR code as the screen shows it (a screenshot of the image, decoded)."""
    png = page.locator("#card-code-image").screenshot()
    screenshot(page, name)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, "no QR code on the screen"
    return found[0].text


def _verify(key: str, code: str) -> dict:
    response = Client(headers={"authorization": f"Till {key}"}).post(
        "/api/pos/v1/verify", {"code": code}, content_type="application/json")
    assert response.status_code == 200
    return response.json()


def _drawn_on_the_phone(page):
    expect(page.locator("#card-code-image")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))


def test_a_family_phone_activates_the_card_and_shows_it_offline(new_context, live_server, sc):
    owner_context = new_context(viewport=PHONE)
    user = log_in(owner_context, live_server, level="substanziell")
    today = timezone.localdate()
    card = card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                      valid_until=today + relativedelta(months=6), owner=user)
    _till, key = till_create(partner=sc.partner, name="Kasse Stadtbad")
    owner = owner_context.new_page()
    owner.goto(f"/konto/karten/{card.pk}/")
    owner.get_by_role("button", name="Aktivierungscode erzeugen").click()
    code = owner.locator("#activation-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    expect(owner.locator("#activation-qr")).to_have_attribute("alt", "QR-Code des Aktivierungslinks")

    phone_context = new_context(viewport=PHONE)  # a family member's phone: no login
    phone = phone_context.new_page()
    phone.goto("/sozialcard/aktivieren/")
    phone.get_by_label("Aktivierungscode").fill(code.lower())
    phone.get_by_role("button", name="Karte auf diesem Gerät aktivieren").click()
    expect(phone).to_have_url(f"{live_server.url}/konto/karten/{card.pk}/")
    expect(phone.locator("#card-name")).to_have_text("Karla")
    _drawn_on_the_phone(phone)
    online = _qr_on_screen(phone, "sozialcard-phone-online")
    expect(phone.locator("#card-code-value")).to_have_text(online)  # the text alternative
    answer = _verify(key, online)
    assert (answer["valid"], answer["card_type"], answer["given_name"], answer["birth_year"]) == (
        True, "dynamic", "Karla", 1990)

    # The page and its scripts are kept by the cards' service worker.
    phone.wait_for_function(f"""() => caches.open("{CACHE}").then(c => c.match(location.pathname))
                                     .then(r => !!r)""")
    assert phone.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)").endswith("/konto/karten/sw.js")
    cdp = phone_context.new_cdp_session(phone)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    # CDP takes this page offline; the service worker is a target of its own, so the context
    # goes offline too — otherwise the worker would still reach the server.
    phone_context.set_offline(True)
    assert phone.evaluate("fetch(location.pathname + 'geraet.json').then(() => 'online', () => 'offline')") == "offline"
    phone.reload()
    expect(phone.locator("#card-name")).to_have_text("Karla")
    expect(phone.locator("#card-code-offline")).to_be_visible()
    _drawn_on_the_phone(phone)
    # The next 30-second step: a code the server never showed, computed on the phone.
    expect(phone.locator("#card-code-value")).not_to_have_text(online, timeout=35_000)
    offline = _qr_on_screen(phone, "sozialcard-phone-offline")
    assert offline != online and offline.rsplit(".", 1)[0] == online.rsplit(".", 1)[0]
    answer = _verify(key, offline)
    assert (answer["valid"], answer["card_type"]) == (True, "dynamic")
    assert _verify(key, offline)["reason"] == "replayed"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_new_and_changed_pages_have_no_axe_violations(new_context, live_server, sc, viewport, tmp_path):
    context = new_context(viewport=viewport)
    user = log_in(context, live_server, level="substanziell")
    page = context.new_page()
    today = timezone.localdate()
    card = card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                      valid_until=today + relativedelta(months=6), owner=user)
    page.goto(f"/konto/karten/{card.pk}/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Aktivierungscode erzeugen").click()
    expect(page.locator("#activation-code")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Karte auf diesem Gerät aktivieren").click()
    _drawn_on_the_phone(page)
    assert axe_violations(page) == []

    other = new_context(viewport=viewport).new_page()
    other.goto("/sozialcard/aktivieren/")
    assert axe_violations(other) == []
    other.get_by_label("Aktivierungscode").fill("ZZZZ-ZZZZ")
    other.get_by_role("button", name="Karte auf diesem Gerät aktivieren").click()
    expect(other.locator("#error-summary")).to_contain_text("Diesen Aktivierungscode gibt es nicht.")
    assert axe_violations(other) == []

    # An approved application: its renewal form, and the case screen with the service's action.
    case, _created = application_file(programme=sc.programme, owner=user, values={
        "given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12", "benefit": "buergergeld",
        "declaration": True, "members": [{"given_name": "Paul", "family_name": "Mustermann",
                                          "birthdate": "2015-03-04"}]})
    Case.objects.filter(pk=case.pk).update(status="approved")
    page.goto(f"/sozialcard/verlaengern/{case.pk}/")
    expect(page.locator("#renewal-note")).to_contain_text(case.reference)
    expect(page.locator("#id_members-0-given_name")).to_have_value("Paul")
    assert axe_violations(page) == []
    Case.objects.filter(pk=case.pk).update(status="new")
    clerk = clerk_context(new_context, live_server, sc, viewport=viewport).new_page()
    clerk.goto(f"/sachbearbeitung/vorgaenge/{case.pk}/")
    clerk.get_by_role("link", name="Entscheiden").click()
    expect(clerk).to_have_url(f"{live_server.url}/sachbearbeitung/sozialcard/{case.pk}/")
    clerk.go_back()
    assert axe_violations(clerk) == []
