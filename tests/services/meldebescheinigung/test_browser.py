"""In Chromium: the certificate's form, its error summary, the test payment page, the
cancellation page and the receipt have no axe-core WCAG 2.1 A/AA violation at 390 and 1280 px;
the whole way (form → payment → receipt) works without JavaScript and in English."""
import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.accounts.test_browser import log_in
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("viewport", "js"), [(PHONE, True), (DESKTOP, True), (PHONE, False)],
                         ids=["390", "1280", "no-js"])
def test_pages_are_accessible_and_work_without_javascript(new_context, live_server, office, viewport, js):
    context = new_context(viewport=viewport, java_script_enabled=js)
    log_in(context, live_server, level="substanziell")
    page = context.new_page()
    page.goto("/meldebescheinigung/")
    expect(page.locator("h1")).to_have_text("Meldebescheinigung beantragen")
    expect(page.locator("#person-name")).to_have_text("Erika Mustermann")
    assert not js or axe_violations(page) == []
    page.get_by_role("button", name="Weiter zur Bezahlung").click()
    expect(page.locator("#error-summary")).to_contain_text("Welche Bescheinigung brauchen Sie?")
    assert not js or axe_violations(page) == []
    page.get_by_label("Erweiterte Meldebescheinigung").check()
    page.get_by_label("Nur für mich").check()
    page.get_by_label("Als PDF in meinem Konto").check()
    page.get_by_label("Ich beantrage die Bescheinigung").check()
    page.get_by_role("button", name="Weiter zur Bezahlung").click()
    expect(page.locator("#payment-amount")).to_have_text("10,00 EUR")
    assert not js or axe_violations(page) == []
    if viewport == PHONE and js:
        screenshot(page, "meldebescheinigung-payment-phone")
    page.get_by_role("button", name="10,00 EUR bezahlen").click()
    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    assert not js or axe_violations(page) == []


def test_cancel_page_and_english(new_context, live_server, office):
    context = new_context(viewport=PHONE, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    log_in(context, live_server, level="hoch")
    page = context.new_page()
    page.goto("/meldebescheinigung/")
    expect(page.locator("h1")).to_have_text("Apply for a registration certificate")
    assert axe_violations(page) == []
    page.get_by_label("Simple registration certificate").check()
    page.get_by_label("Only for me").check()
    page.get_by_label("By post to my registered address").check()
    page.get_by_label("I apply for the certificate").check()
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#error-summary")).to_contain_text("Payment cancelled")
    assert axe_violations(page) == []
    assert Case.objects.count() == 0
