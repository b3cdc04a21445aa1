"""The form preview in Chromium: 0 axe-core violations (WCAG 2.1 A/AA) at 390 and 1280 px
with the error summary shown, the form filled in and sent with the keyboard alone, the
conditional fields hidden and shown by our script, and the whole form working without
JavaScript (notes instead of hiding, "Weitere Person hinzufügen" as a submit button)."""
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clerk(department):
    user = UserFactory(username="eva", is_staff=True)
    department.members.add(user)
    return user


def _login(page, url: str):
    page.goto(url)
    page.get_by_label("Benutzername").fill("eva")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda current: urlparse(current).path == url)


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} not reached with Tab")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations_with_errors_shown(new_context, clerk, haushalt, anliegen, viewport):
    page = new_context(viewport=viewport).new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, "/sachbearbeitung/formulare/")
    assert axe_violations(page) == []
    page.goto("/sachbearbeitung/formulare/demo-haushalt/1/?identitaet=beispiel")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Testweise prüfen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary li").first).to_have_text("Bitte wählen Sie bei „Staatsangehörigkeit“ "
                                                                 "eine Antwort aus.")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    screenshot(page, f"eforms-preview-errors-{'phone' if viewport == PHONE else 'desktop'}")
    page.goto("/sachbearbeitung/formulare/anliegen/1/")
    page.get_by_role("button", name="Testweise prüfen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations_as_rendered_without_our_script(new_context, clerk, anliegen, viewport):
    """What a browser without JavaScript shows (notes instead of hidden fields), checked by axe,
    which itself needs JavaScript: only our script is held back."""
    context = new_context(viewport=viewport)
    context.route("**/eforms/js/conditions.js", lambda route: route.abort())
    page = context.new_page()
    _login(page, "/sachbearbeitung/formulare/anliegen/1/")
    expect(page.locator("#field-id_contact_email .condition-note")).to_be_visible()
    page.get_by_role("button", name="Testweise prüfen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []


def test_fill_in_and_send_with_the_keyboard_alone(new_context, clerk, anliegen):
    page = new_context(viewport=DESKTOP).new_page()
    _login(page, "/sachbearbeitung/formulare/anliegen/1/")
    # With JavaScript the contact fields stay hidden until "Ja" is chosen.
    expect(page.locator("#field-id_contact_email")).to_be_hidden()
    _tab_to(page, "id_topic_0")
    page.keyboard.press("ArrowDown")  # arrow keys choose within a radio group
    expect(page.locator("#id_topic_1")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_description"
    page.keyboard.type("Die Parkbank am Teich ist umgekippt.")
    _tab_to(page, "id_contact_wanted_0")
    page.keyboard.press("Space")
    expect(page.locator("#field-id_contact_email")).to_be_visible()
    expect(page.locator("#field-id_contact_email .condition-note")).to_be_hidden()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_contact_email"
    page.keyboard.type("erika@example.org")
    _tab_to(page, "id_declaration")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Testweise prüfen"
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_have_text("Die Eingaben sind gültig. Gespeichert wurde nichts.")


def test_the_form_works_without_javascript(new_context, clerk, haushalt):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    _login(page, "/sachbearbeitung/formulare/demo-haushalt/1/")
    note = page.locator("#field-id_heating_other .condition-note")
    expect(note).to_be_visible()
    expect(note).to_have_text("Nur ausfüllen, wenn bei „Heizungsart“ „Andere“ gewählt ist.")
    page.locator("#id_members-0-name").fill("Max")
    page.get_by_role("button", name="Weitere Person hinzufügen").click()
    expect(page.locator(".eform-item legend")).to_have_text(["Person 1", "Person 2"])
    expect(page.locator("#id_members-0-name")).to_have_value("Max")
    expect(page.locator("#error-summary")).to_have_count(0)
    # Sent with a condition that does not hold: the note's field is not required.
    page.locator("#id_heating").select_option("gas")
    page.get_by_role("button", name="Testweise prüfen").click()
    summary = page.locator("#error-summary li")
    expect(summary.first).to_be_visible()
    assert "„Welche Heizungsart?“" not in page.locator("#error-summary").inner_text()
    page.locator("#id_heating").select_option("andere")
    page.get_by_role("button", name="Testweise prüfen").click()
    expect(page.locator("#error-summary")).to_contain_text("Bitte füllen Sie „Welche Heizungsart?“ aus.")
