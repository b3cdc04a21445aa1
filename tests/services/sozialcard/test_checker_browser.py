"""In Chromium, keyboard only: the checker page (sign-in, a valid static code, a refused code,
sign-out), the partner page (list and map) and the statistics page have no axe-core WCAG 2.1
A/AA violation at 390 and 1280 px, in German and English; the camera button appears with
JavaScript, and the jsQR fallback is served by us."""
import re
from urllib.parse import urlparse

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from services.sozialcard.codes import static_code
from services.sozialcard.models import VerificationCount
from services.sozialcard.services import card_issue, till_create
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, expect_map_replaced_by_note, request_hosts
from tests.frontend.test_report_flow_browser import tab_to

from .conftest import PERSON

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("viewport", "language"), [(PHONE, "de"), (DESKTOP, "de"), (PHONE, "en")],
                         ids=["390", "1280", "390-en"])
def test_checker_keyboard_only(new_context, live_server, sc, viewport, language):
    today = timezone.localdate()
    card = card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                      valid_until=today + relativedelta(months=6), owner=sc.citizen)
    _till, key = till_create(partner=sc.partner, name="Kasse Foyer")
    english = language == "en"
    context = new_context(viewport=viewport, locale="en-GB" if english else "de-DE",
                          extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    page.goto("/sozialcard/pruefen/")
    expect(page.locator("h1")).to_have_text("Check a Sozialcard" if english else "Sozialcard prüfen")
    assert axe_violations(page) == []
    tab_to(page, "input[name=key]")
    page.keyboard.type("falsch")
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_contain_text("Invalid till key." if english
                                                           else "Ungültiger Kassenschlüssel.")
    assert axe_violations(page) == []
    tab_to(page, "input[name=key]")
    page.keyboard.type(key)
    page.keyboard.press("Enter")
    expect(page.locator("#checker-till")).to_contain_text("Stadtbad Beispiel, Kasse Foyer")
    expect(page.locator("#checker-scan")).to_be_visible()  # a camera API is there (localhost is secure)
    assert axe_violations(page) == []

    tab_to(page, "input[name=code]")
    page.keyboard.type(static_code(card_hash=card.card_hash))
    page.keyboard.press("Enter")
    result = page.locator("#checker-result")
    expect(result.locator("h2")).to_have_text("✓ Valid" if english else "✓ Gültig")
    expect(result).to_be_focused()
    expect(page.locator("#checker-given-name")).to_have_text("Karla")
    expect(page.locator("#checker-static")).to_be_visible()
    assert "Kanarienvogel" not in page.content()
    assert axe_violations(page) == []

    tab_to(page, "input[name=code]")
    page.keyboard.type("hallo")
    page.keyboard.press("Enter")
    expect(result.locator("h2")).to_have_text("✗ Not valid" if english else "✗ Nicht gültig")
    expect(page.locator("#checker-given-name")).to_have_count(0)
    assert axe_violations(page) == []
    assert sum(VerificationCount.objects.values_list("count", flat=True)) == 2

    tab_to(page, ".checker-sign-out button")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=key]")).to_be_visible()
    assert page.request.get("/static/vendor/jsqr/jsQR.js").status == 200


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_partner_and_statistics_pages(new_context, live_server, sc, viewport):
    VerificationCount.objects.create(day=timezone.localdate(), partner=sc.partner, programme=sc.programme,
                                     card_type="static", result="valid", count=3)
    page = new_context(viewport=viewport).new_page()
    page.goto("/sozialcard/akzeptanzstellen/")
    expect(page.locator("#partner-map")).to_be_visible()
    marker = page.locator("#partner-map .maplibregl-marker")
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("aria-label", "Stadtbad Beispiel: Stadtbad")
    page.wait_for_function("window.stadtmelderMap.loaded()")
    marker.focus()  # a button (it has a popup): the keyboard opens it
    page.keyboard.press("Enter")
    expect(page.locator(".maplibregl-popup a")).to_have_attribute("href", re.compile(r"^#location-\d+$"))
    assert axe_violations(page) == []
    page.goto("/sozialcard/statistik/")
    expect(page.locator("#stats-month tbody tr")).to_have_count(1)
    assert axe_violations(page) == []


def test_partner_map_from_our_host_only_and_without_webgl(new_context, no_webgl_page, live_server, sc):
    context = new_context()
    hosts = request_hosts(context)
    page = context.new_page()
    page.goto("/sozialcard/akzeptanzstellen/")
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded()")
    assert hosts == {urlparse(live_server.url).netloc}, hosts

    no_webgl_page.goto("/sozialcard/akzeptanzstellen/")
    expect_map_replaced_by_note(no_webgl_page, "#partner-map", "#partner-map-note")
    assert no_webgl_page.locator(".partner-list li").count() >= 1
    assert axe_violations(no_webgl_page) == []
