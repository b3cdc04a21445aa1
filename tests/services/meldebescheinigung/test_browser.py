"""In Chromium: the certificate's form, its error summary, the test payment page, the
cancellation page and the receipt have no axe-core WCAG 2.1 A/AA violation at 390 and 1280 px;
the whole way (form → payment → receipt) works without JavaScript and in English; the account
with an issued certificate."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from cases.models import Case, CaseMessage
from cases.services import case_create, case_message_add, case_status_change
from fitconnect_dev.certificate import certificate_pdf, person_from_data
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
    if viewport == PHONE and js:
        screenshot(page, "meldebescheinigung-phone")
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


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_account_shows_the_issued_certificate(new_context, live_server, office, viewport):
    """The answer as FIT-Connect brings it (the reference subscriber's PDF as a message, status
    issued) in /konto/: the case with its document link, no axe-core violation."""
    context = new_context(viewport=viewport)
    user = log_in(context, live_server, level="substanziell")
    person = {"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
              "street_address": "Markt 1", "postal_code": "07545", "locality": "Gera"}
    case, _created = case_create(service="meldebescheinigung", department=office.buergeramt,
                                 title="Einfache Meldebescheinigung", data={"person": person, "kind": "einfach"},
                                 owner=user, contact_email=user.email)
    pdf = certificate_pdf(title="Meldebescheinigung", person=person_from_data({"person": person}), case_id="demo")
    case_message_add(case=case, direction=CaseMessage.Direction.TO_CITIZEN, body=(
        "Die zuständige Stelle hat Ihnen ein Dokument geschickt: Meldebescheinigung. Sie finden es im Anhang "
        "dieser Nachricht."), attachments=[SimpleUploadedFile("Meldebescheinigung.pdf", pdf, "application/pdf")])
    case_status_change(case=case, status="issued")
    page = context.new_page()
    page.goto("/konto/")
    link = page.get_by_role("link", name="Meldebescheinigung.pdf")
    expect(link).to_have_attribute("href", f"/konto/vorgaenge/{case.reference}/dateien/"
                                           f"{case.attachments.get().pk}/")
    assert axe_violations(page) == []
    if viewport == PHONE:
        link.scroll_into_view_if_needed()
        screenshot(page, "konto-meldebescheinigung-phone")
