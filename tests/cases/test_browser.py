"""In Chromium: the citizen's tracking page and the clerks' case pages have no axe-core WCAG 2.1
A/AA violation at 390 and 1280 px; the citizen answers without JavaScript, with a file."""
import pytest
from playwright.sync_api import expect

from cases import services
from cases.models import CaseMessage
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot, wait_for

from .conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def busy_case(make_case, org):
    case = make_case(participants=[org.parks])
    services.case_status_change(case=case, status="in_progress", actor=org.anna, note_public="Wir prüfen das.")
    services.case_message_add(case=case, body="Haben Sie ein Foto?", direction="to_citizen", author=org.anna)
    return case


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_tracking_page_is_accessible(new_context, busy_case, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto(f"/vorgang/{busy_case.tracking_token}/")
    expect(page.locator("h1")).to_have_text(f"Ihr Vorgang {busy_case.reference}")
    assert axe_violations(page) == []
    if viewport == PHONE:
        screenshot(page, "case-tracking-phone")
    page.locator("button[type=submit]", has_text="Nachricht senden").click()  # empty: the error summary
    expect(page.locator("#error-summary")).to_contain_text("Bitte schreiben Sie eine Nachricht.")
    assert axe_violations(page) == []


def test_not_found_page_is_accessible(new_context, db):
    page = new_context(viewport=DESKTOP).new_page()
    response = page.goto("/vorgang/unbekannt/")
    assert response.status == 404
    assert axe_violations(page) == []


def test_reply_without_javascript_with_a_file(new_context, busy_case, tmp_path):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"/vorgang/{busy_case.tracking_token}/")
    page.get_by_label("Ihre Nachricht").fill("Das Foto liegt bei.")
    pdf = tmp_path / "nachweis.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Dateien (optional)").set_input_files(str(pdf))
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.locator(".messages")).to_have_text("Ihre Nachricht wurde gesendet.")
    expect(page.locator(".case-message-from_citizen")).to_contain_text("Das Foto liegt bei.")
    expect(page.get_by_role("link", name="nachweis.pdf")).to_be_visible()
    assert wait_for(page, lambda: CaseMessage.objects.filter(direction="from_citizen").count() == 1)


def _login(page):
    page.goto("/sachbearbeitung/vorgaenge/")
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sachbearbeitung/?art=vorgang")  # the old list's address: the inbox, cases only


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_staff_pages_are_accessible(new_context, busy_case, viewport):
    page = new_context(viewport=viewport).new_page()
    _login(page)
    expect(page.get_by_role("link", name=busy_case.reference)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=busy_case.reference).click()
    expect(page.locator("h1")).to_contain_text(busy_case.reference)
    assert axe_violations(page) == []
    if viewport == DESKTOP:
        screenshot(page, "case-work-desktop")
    page.get_by_label("Neuer federführender Fachbereich").select_option(label="Grünflächenamt")
    page.locator("#reassign-title ~ form button").click()  # no reason: 400 with the error summary
    expect(page.locator("#error-summary")).to_contain_text("Bitte geben Sie einen Grund für die Weiterleitung an.")
    assert axe_violations(page) == []
