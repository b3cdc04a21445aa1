"""In Chromium: the Sozialcard's start page, the section "Meine Karten" of `/konto/`, the card
page before and after activation (the QR code image loads), the
application (form, error summary, receipt) and the clerk's decision page have no axe-core
WCAG 2.1 A/AA violation at 390 and 1280 px, in German and English, and work without
JavaScript: apply, then approve."""
import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from services.sozialcard.services import card_issue
from tests.accounts.test_browser import log_in
from tests.cases.conftest import PDF
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, wait_for

from .conftest import PERSON, clerk_context

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("viewport", "js"), [(PHONE, True), (DESKTOP, True), (PHONE, False)],
                         ids=["390", "1280", "no-js"])
def test_start_page_and_account_card(new_context, live_server, sc, viewport, js):
    context = new_context(viewport=viewport, java_script_enabled=js)
    user = log_in(context, live_server, level="substanziell")
    today = timezone.localdate()
    card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
               valid_until=today + relativedelta(months=6), owner=user)
    page = context.new_page()
    page.goto("/sozialcard/")
    expect(page.locator("h1")).to_have_text("Sozialcard und Ermäßigungsprogramme")
    expect(page.locator("#programm-sozialcard")).to_contain_text("ab 6 Jahren")
    assert not js or axe_violations(page) == []
    page.goto("/konto/")
    card = page.locator(".account-card")
    expect(card.locator("h3")).to_have_text("Sozialcard: Karla")
    expect(card.locator(".card-state")).to_have_text("gültig")
    assert not js or axe_violations(page) == []
    card.locator("h3 a").click()
    expect(page.locator("#card-name")).to_have_text("Karla")
    assert not js or axe_violations(page) == []
    page.get_by_role("button", name="Karte auf diesem Gerät aktivieren").click()
    expect(page.locator("#card-code-image")).to_be_visible()
    # The SVG loads (a broken image stays at width 0). Polled from here: without JavaScript an
    # onload handler in the page would never run, and a waiting evaluate has no timeout.
    assert wait_for(page, lambda: page.locator("#card-code-image").evaluate(
        "img => img.complete && img.naturalWidth > 0"))
    expect(page.locator("#card-code-text")).to_contain_text("SC1D.")
    if js:  # the script renews the image itself
        expect(page.locator("#card-code-renew")).to_be_hidden()
    assert not js or axe_violations(page) == []


def test_english(new_context, live_server, sc):
    context = new_context(viewport=PHONE, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    page.goto("/sozialcard/")
    expect(page.locator("h1")).to_have_text("Social card and discount programmes")
    expect(page.locator("#programm-sozialcard h3")).to_have_text("Social card")
    assert axe_violations(page) == []


@pytest.mark.parametrize(("viewport", "js"), [(PHONE, True), (DESKTOP, True), (PHONE, False)],
                         ids=["390", "1280", "no-js"])
def test_application_and_decision_pages(new_context, live_server, sc, viewport, js, tmp_path):
    proof = tmp_path / "bescheid.pdf"
    proof.write_bytes(PDF)
    context = new_context(viewport=viewport, java_script_enabled=js)
    log_in(context, live_server, level="substanziell")
    page = context.new_page()
    page.goto("/sozialcard/sozialcard/antrag/")
    expect(page.locator("h1")).to_have_text("Sozialcard beantragen")
    assert not js or axe_violations(page) == []
    page.get_by_role("button", name="Antrag senden").click()
    expect(page.locator("#error-summary")).to_contain_text("Welche Leistung beziehen Sie?")
    assert not js or axe_violations(page) == []
    page.get_by_label("Bürgergeld (SGB II)").check()
    page.get_by_label("Leistungsbescheid").set_input_files(str(proof))
    page.get_by_label("Meine Angaben sind richtig").check()
    page.get_by_role("button", name="Antrag senden").click()
    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    assert not js or axe_violations(page) == []

    office = clerk_context(new_context, live_server, sc, viewport=viewport, java_script_enabled=js)
    clerk = office.new_page()
    clerk.goto(f"/sachbearbeitung/sozialcard/{case.pk}/")
    expect(clerk.locator("h1")).to_have_text(f"Entscheidung über {case.reference}")
    assert not js or axe_violations(clerk) == []
    clerk.get_by_role("button", name="Bewilligen und Karten ausstellen").click()
    expect(clerk).to_have_url(f"{live_server.url}/sachbearbeitung/vorgaenge/{case.pk}/")
    case.refresh_from_db()
    assert case.status == "approved"
