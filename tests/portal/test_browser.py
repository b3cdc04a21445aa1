"""The catalogue page in a real browser: 0 axe-core violations (WCAG 2.1 A/AA) at 390 px and
1280 px — results, no results, the error state, English — no sideways scrolling on phones,
and a search done with the keyboard alone, with and without JavaScript."""
import pytest
from playwright.sync_api import expect

from portal import hooks
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

from .conftest import wohngeld_service

pytestmark = pytest.mark.django_db(transaction=True)

STATES = ["/leistungen/", "/leistungen/?q=Hundesteuer", "/leistungen/?q=a%09b", "/leistungen/?lebenslage=wohnen-test"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_axe_violations_in_any_state(new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/leistungen/")
    screenshot(page, f"leistungen-{'phone' if viewport == PHONE else 'desktop'}")
    with hooks.register_temporarily("register_service", wohngeld_service):
        for url in STATES:
            response = page.goto(url)
            assert response.status == (400 if "%09" in url else 200)
            assert axe_violations(page) == [], url
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.goto("/leistungen/")
    expect(page.locator("h1")).to_have_text("Services of the city")
    assert axe_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_search_with_the_keyboard_alone(new_context, javascript):
    page = new_context(viewport=DESKTOP, java_script_enabled=javascript).new_page()
    page.goto("/leistungen/")
    for _ in range(12):  # skip link, site name, the nav, the language switch, then the search field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("Straßenlaterne")
    page.keyboard.press("Enter")
    page.wait_for_url("**/leistungen/?q=Stra%C3%9Fenlaterne&lebenslage=")
    expect(page.locator("#service-count")).to_have_text("1 Leistung")
    expect(page.locator("#id_q")).to_have_value("Straßenlaterne")
    # The new page starts at the top: Tab through the header and the form to the first service.
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if page.evaluate("document.activeElement.closest('.service-card') !== null"):
            break
    assert reached[-3:] == ["Suchen", "Alle Leistungen zeigen",
                            "Mängelmelder: Schaden oder Gefahr im öffentlichen Raum melden"]
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/melden/"
    page.keyboard.press("Enter")
    page.wait_for_url("**/melden/")


def test_the_lebenslage_list_filters_with_the_keyboard(new_context):
    page = new_context(viewport=PHONE).new_page()
    with hooks.register_temporarily("register_service", wohngeld_service):
        page.goto("/leistungen/")
        page.locator("#id_lebenslage").focus()
        page.keyboard.press("ArrowDown")  # a closed <select> changes its value with the arrow keys
        page.get_by_role("button", name="Suchen").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/leistungen/?q=&lebenslage=wohnen-test")
        expect(page.locator(".service-card h3")).to_have_text(["Wohngeld beantragen (Test)"])
