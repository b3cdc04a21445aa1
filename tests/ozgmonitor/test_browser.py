"""In Chromium: `/ozg-monitor/` has no axe-core WCAG 2.1 A/AA violation at 390 and 1280 px
(also with a bad filter's error summary, and in English); the filters work with the keyboard
alone and without JavaScript; the data table behind the chart opens with the keyboard."""
import pytest
from playwright.sync_api import expect

from tests.eforms.test_browser import _tab_to
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

from .conftest import at, case_filed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_monitor_is_accessible(new_context, entries, org, viewport):
    case_filed(service="anliegen", department=org.citizens, created=at(2026, 11, 3, 10), closed=at(2026, 11, 5, 10))
    page = new_context(viewport=viewport).new_page()
    page.goto("/ozg-monitor/")
    expect(page.locator("h1")).to_have_text("OZG-Monitor")
    assert axe_violations(page) == []
    screenshot(page, f"ozg-monitor-{'phone' if viewport == PHONE else 'desktop'}")
    page.goto("/ozg-monitor/?status=offline")
    expect(page.locator("#error-summary")).to_contain_text("Unbekannter Status.")
    assert axe_violations(page) == []


def test_english_page_is_accessible(new_context, entries):
    page = new_context(viewport=DESKTOP, locale="en-GB", extra_http_headers={"Accept-Language": "en"}).new_page()
    page.goto("/ozg-monitor/")
    expect(page.locator("h1")).to_have_text("OZG monitor")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert axe_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_filter_with_the_keyboard_alone(new_context, entries, javascript):
    page = new_context(viewport=DESKTOP, java_script_enabled=javascript).new_page()
    page.goto("/ozg-monitor/")
    _tab_to(page, "id_status")
    page.keyboard.press("ArrowDown")  # "geplant"
    page.keyboard.press("ArrowDown")  # "in Umsetzung"
    expect(page.locator("#id_status")).to_have_value("in_progress")
    _tab_to(page, "id_department")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Filtern"
    page.keyboard.press("Enter")
    expect(page.locator("#monitor-count")).to_have_text("1 Leistung")
    expect(page.locator(".monitor-card h3")).to_have_text("Hund anmelden")


def test_the_table_behind_the_chart_opens_with_the_keyboard(new_context, entries):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/ozg-monitor/")
    expect(page.locator("#progress-table")).to_be_hidden()
    page.locator(".data-table summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#progress-table")).to_be_visible()
    assert axe_violations(page) == []
