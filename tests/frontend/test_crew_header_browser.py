"""The header of the crew web app in a real phone browser: one bar of at most 72 px on a 390 px phone on the
login page, the task list and a task; the title links to the task list (marked aria-current="page" there and
named "Meine Aufgaben" for screen readers), on the right the signed-in name (cut with an ellipsis when long,
read in full) and "Abmelden". Skip link first, every header control reachable by keyboard with a visible
focus and at least 44 px high; axe-core (WCAG 2.1 A/AA) finds nothing."""
import pytest
from playwright.sync_api import expect

from reporter.models import Crew
from tests.factories import UserFactory
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations
from tests.frontend.test_crew_browser import GPS, crew_world, login

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = "(s) => document.activeElement !== null && document.activeElement.matches(s)"
LONG_NAME = "Maximiliane Wilhelmine Katharina von Hohenzollern-Sigmaringen"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def focused(page, selector: str) -> bool:
    return page.evaluate(FOCUSED, selector)


def header_height(page) -> float:
    return page.locator("#crew-header").bounding_box()["height"]


def assert_one_compact_bar(page, width=PHONE["width"]):
    assert header_height(page) <= 72
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Everything visible in the header sits inside the bar and inside the viewport.
    outside = page.evaluate("""(width) => {
        const bar = document.getElementById('crew-header').getBoundingClientRect();
        return Array.from(document.querySelectorAll('#crew-header .brand, #crew-header .crew-user, #crew-logout'))
          .filter(el => el.offsetWidth > 0)
          .map(el => [el.className || el.id, el.getBoundingClientRect()])
          .filter(([, r]) => r.top < bar.top || r.bottom > bar.bottom || r.left < 0 || r.right > width)
          .map(([name]) => name);
    }""", width)
    assert outside == []


def assert_focus_visible(page):
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, s.outlineWidth, s.boxShadow !== 'none']; }")
    assert style == ["solid", "3px", True], style


def assert_targets_at_least_44px(page):
    small = page.evaluate("""() => Array.from(document.querySelectorAll('#crew-header a[href], #crew-header button'))
        .filter(el => el.offsetWidth > 0)
        .map(el => [el.textContent.trim().slice(0, 20), el.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([name, r]) => [name, Math.round(r.width), Math.round(r.height)])""")
    assert small == []


def assert_no_violations(page, where):
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def test_login_page_header_is_one_compact_bar(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/crew/anmelden/")
    assert_one_compact_bar(page)
    brand = page.locator("#crew-header .brand")
    expect(brand).to_have_attribute("href", "/crew/")
    assert brand.get_attribute("aria-current") is None  # the login page is not the task list
    expect(page.locator("#crew-logout")).to_have_count(0)  # nothing to sign out of here
    expect(page.locator("#crew-header .crew-user")).to_have_count(0)

    page.keyboard.press("Tab")
    assert focused(page, ".skip-link")
    page.keyboard.press("Tab")
    assert focused(page, "#crew-header .brand")
    assert_focus_visible(page)
    page.keyboard.press("Tab")  # the header has no more controls: next is the form
    assert focused(page, "#id_username")
    assert_targets_at_least_44px(page)
    assert_no_violations(page, "login page, phone")


def test_task_list_header_is_one_compact_bar_reachable_by_keyboard(new_context):
    crew_world()
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    login(page)
    expect(page.locator(".task-link")).to_have_count(3)
    expect(page.locator("#crew-user")).to_have_text("Bernd Bau")
    expect(page.locator("#crew-logout")).to_be_visible()
    assert_one_compact_bar(page)
    # The title is the way to "Meine Aufgaben", and says so to screen readers; here it is the current page.
    tasks_link = page.get_by_role("link", name="Außendienst Gera (Demo) – Meine Aufgaben", exact=True)
    expect(tasks_link).to_have_attribute("href", "/crew/")
    expect(tasks_link).to_have_attribute("aria-current", "page")
    expect(page.locator("#crew-header .crew-user")).to_match_aria_snapshot(
        "- paragraph: Angemeldet als Bernd Bau")
    # Title left, name and "Abmelden" right, in that order, on one line.
    brand, user, logout = (page.locator(s).bounding_box() for s in ("#crew-header .brand", "#crew-header .crew-user",
                                                                  "#crew-logout"))
    assert brand["x"] + brand["width"] < user["x"] < user["x"] + user["width"] <= logout["x"]
    assert logout["x"] + logout["width"] <= PHONE["width"]
    assert_targets_at_least_44px(page)
    assert_no_violations(page, "task list, phone")

    # Keyboard: skip link first, then the title, then "Abmelden" – which signs out with Enter.
    page.reload()
    expect(page.locator("#crew-logout")).to_be_visible()
    page.keyboard.press("Tab")
    assert focused(page, ".skip-link")
    page.keyboard.press("Tab")
    assert focused(page, "#crew-header .brand")
    assert_focus_visible(page)
    page.keyboard.press("Tab")
    assert focused(page, "#crew-logout")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/crew/anmelden/")
    assert page.evaluate("localStorage.getItem('stadtmelder.crew.token')") is None


def test_a_long_name_is_cut_with_an_ellipsis_and_read_in_full(new_context):
    crew_world()
    Crew.objects.get(name="Kolonne Nord").members.add(
        UserFactory(username="lang", first_name="Maximiliane Wilhelmine Katharina",
                    last_name="von Hohenzollern-Sigmaringen"))
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    page.goto("/crew/anmelden/")
    page.get_by_label("Benutzername").fill("lang")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/crew/")
    expect(page.locator(".task-link")).to_have_count(3)
    name = page.locator("#crew-header .crew-user")
    expect(page.locator("#crew-user")).to_have_text(LONG_NAME)
    expect(name).to_match_aria_snapshot(f"- paragraph: Angemeldet als {LONG_NAME}")
    cut = name.evaluate("el => [getComputedStyle(el).textOverflow, el.scrollWidth > el.clientWidth]")
    assert cut == ["ellipsis", True]
    assert_one_compact_bar(page)
    expect(page.locator("#crew-logout")).to_have_text("Abmelden")
    logout = page.locator("#crew-logout").bounding_box()
    assert logout["x"] + logout["width"] <= PHONE["width"] and logout["height"] >= 44
    assert_no_violations(page, "task list with a long name, phone")

    narrow = new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True,
                         geolocation=GPS, permissions=["geolocation"])
    narrow_page = narrow.new_page()
    narrow_page.goto("/crew/anmelden/")
    narrow_page.get_by_label("Benutzername").fill("lang")
    narrow_page.get_by_label("Passwort").fill("pw-12345678")
    narrow_page.get_by_role("button", name="Anmelden").click()
    narrow_page.wait_for_url("**/crew/")
    expect(narrow_page.locator("#crew-logout")).to_be_visible()
    assert_one_compact_bar(narrow_page, width=320)


def test_task_page_and_desktop_header(new_context):
    _worker, tasks = crew_world()
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    login(page)
    page.goto(f"/crew/aufgabe/?id={tasks[0].pk}")
    expect(page.get_by_role("button", name="Erledigt")).to_be_visible()
    assert_one_compact_bar(page)
    brand = page.get_by_role("link", name="Außendienst Gera (Demo) – Meine Aufgaben", exact=True)
    assert brand.get_attribute("aria-current") is None  # a task is not the list
    brand.click()
    page.wait_for_url("**/crew/")
    expect(page.locator(".task-link")).to_have_count(3)

    page.set_viewport_size(DESKTOP)
    assert header_height(page) <= 72
    assert_targets_at_least_44px(page)
    assert_no_violations(page, "task list, desktop")
