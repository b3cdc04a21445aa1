"""In Chromium: /anliegen/ and the clerks' entry page have no axe-core WCAG 2.1 A/AA violation
at 390 and 1280 px (also with the error summary shown); a citizen files a request with the
keyboard alone, and without JavaScript; the English page is accessible too."""
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.eforms.test_browser import _tab_to
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_citizen_page_is_accessible(new_context, org, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/anliegen/")
    expect(page.locator("h1")).to_have_text("Allgemeines Anliegen")
    assert axe_violations(page) == []
    if viewport == PHONE:
        screenshot(page, "anliegen-phone")
    page.get_by_role("button", name="Anliegen senden").click()
    expect(page.locator("#error-summary")).to_contain_text("Bitte füllen Sie „Beschreibung“ aus.")
    assert axe_violations(page) == []


def test_english_page_is_accessible(new_context, org):
    page = new_context(viewport=DESKTOP, locale="en-GB", extra_http_headers={"Accept-Language": "en"}).new_page()
    page.goto("/anliegen/")
    expect(page.locator("h1")).to_have_text("General request")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert axe_violations(page) == []


def test_file_a_request_with_the_keyboard_alone(new_context, org):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/anliegen/")
    expect(page.locator("#field-id_contact_email")).to_be_hidden()  # shown once "Ja" is chosen
    _tab_to(page, "id_topic_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_topic_0")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_description"
    page.keyboard.type("Nachts ist es an der Ecke sehr laut.")
    _tab_to(page, "id_contact_wanted_0")
    page.keyboard.press("Space")
    expect(page.locator("#field-id_contact_email")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.type("erika@example.org")
    _tab_to(page, "id_declaration")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Anliegen senden"
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Vielen Dank, Ihr Anliegen ist eingegangen")
    assert wait_for(page, lambda: Case.objects.count() == 1)
    case = Case.objects.get()
    expect(page.locator("#reference")).to_have_text(case.reference)
    assert (case.department_id, case.contact_email) == (org.order.pk, "erika@example.org")
    assert axe_violations(page) == []
    page.locator("#tracking-link").click()
    expect(page.locator("h1")).to_have_text(f"Ihr Vorgang {case.reference}")


def test_file_a_request_without_javascript(new_context, org):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/anliegen/")
    page.get_by_label("Sonstiges").check()
    page.get_by_label("Beschreibung").fill("Wann hat das Bürgeramt am Samstag geöffnet?")
    page.get_by_label("Nein").check()
    page.get_by_label("Ich habe die Hinweise zum Datenschutz gelesen.").check()
    page.get_by_role("button", name="Anliegen senden").click()
    expect(page.locator("#reference")).to_have_text(Case.objects.get().reference)
    assert Case.objects.get().department_id == org.triage.pk


def _login(page, url: str):
    page.goto(url)
    page.get_by_label("Benutzername").fill("tina")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda current: urlparse(current).path == url)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_staff_entry_page_is_accessible(new_context, org, viewport):
    page = new_context(viewport=viewport).new_page()
    _login(page, "/sachbearbeitung/anliegen/neu/")
    expect(page.locator("h1")).to_have_text("Anliegen erfassen")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Anliegen erfassen").click()
    expect(page.locator("#error-summary")).to_contain_text("Bitte beschreiben Sie das Anliegen.")
    assert axe_violations(page) == []
    page.get_by_label("Thema").select_option("verwaltung")
    page.get_by_label("Anliegen", exact=True).fill("Anruf: Frage zu Öffnungszeiten.")
    page.get_by_label("Brief").check()
    page.get_by_role("button", name="Anliegen erfassen").click()
    case = Case.objects.get()
    expect(page.locator("h1")).to_contain_text(case.reference)
    assert (case.channel, case.department_id) == ("letter", org.triage.pk)
    assert axe_violations(page) == []  # the work screen with links, templates and reassignment
