"""The header of the citizen and open data pages in a real browser: on phones one compact bar with the
site name, "Melden" and a "Menü" disclosure button that opens the nav and the language switch (Enter,
Space, Escape); on desktops everything on one line without the button; without JavaScript the nav is
simply open. axe-core (WCAG 2.1 A/AA) finds nothing in either state at either width."""
import pytest
from playwright.sync_api import expect

from tests.factories import city_build
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

NAV = [("Leistungen", "/leistungen/"), ("Karte", "/"), ("Melden", "/melden/"), ("Anliegen", "/anliegen/"),
       ("Meine Meldungen", "/meine-meldungen/"), ("Statistik", "/statistik/"), ("Offene Daten", "/dataset/"),
       ("Mein Konto", "/konto/")]
# On phones "Melden" is the button in the bar; the menu holds the other seven.
PHONE_MENU = [item for item in NAV if item[0] != "Melden"]
FOCUSED = "(s) => document.activeElement !== null && document.activeElement.matches(s)"


def focused(page, selector: str) -> bool:
    return page.evaluate(FOCUSED, selector)


def focused_href(page) -> str | None:
    return page.evaluate("() => document.activeElement.getAttribute('href')")


def header_height(page) -> float:
    return page.locator("#site-header").bounding_box()["height"]


def assert_no_violations(page, where):
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def assert_focus_visible(page):
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, s.outlineWidth]; }")
    assert style == ["solid", "3px"], style


def assert_targets_at_least_44px(page):
    small = page.evaluate("""() => Array.from(document.querySelectorAll(
            '#site-header a[href], #site-header button, #site-header select'))
        .filter(el => el.offsetWidth > 0)
        .map(el => [el.textContent.trim().slice(0, 20), el.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([name, r]) => [name, Math.round(r.width), Math.round(r.height)])""")
    assert small == []


def open_menu_by_keyboard(page):
    """Tab from the top of the page to the menu button and open it with Enter."""
    page.keyboard.press("Tab")
    assert focused(page, ".skip-link")
    for _ in range(3):
        page.keyboard.press("Tab")
    assert focused(page, "#menu-toggle")
    page.keyboard.press("Enter")
    expect(page.locator("#menu-toggle")).to_have_attribute("aria-expanded", "true")


@pytest.mark.parametrize("url", ["/", "/melden/", "/meine-meldungen/", "/statistik/", "/dataset/"])
def test_phone_header_is_one_bar_and_the_content_starts_in_the_first_screen(new_context, url):
    city_build()
    page = new_context(viewport=PHONE).new_page()
    page.goto(url)
    assert header_height(page) <= 120
    toggle = page.get_by_role("button", name="Menü")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "site-menu")
    expect(page.locator("#site-menu")).to_be_hidden()
    expect(page.locator(".header-report")).to_be_visible()
    # The page's own heading is in the first phone screen, right below the bar.
    heading = page.locator("main h1").first.bounding_box()
    assert heading["y"] + heading["height"] <= PHONE["height"] / 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_phone_menu_opens_and_closes_by_keyboard(new_context):
    city_build()
    page = new_context(viewport=PHONE).new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/melden/")
    toggle = page.locator("#menu-toggle")
    menu = page.locator("#site-menu")

    # Skip link first, then the site name, "Melden" (the current page), the menu button.
    page.keyboard.press("Tab")
    assert focused(page, ".skip-link")
    page.keyboard.press("Tab")
    assert focused(page, ".brand")
    page.keyboard.press("Tab")
    assert focused(page, ".header-report") and focused_href(page) == "/melden/"
    assert page.locator(".header-report").get_attribute("aria-current") == "page"
    page.keyboard.press("Tab")
    assert focused(page, "#menu-toggle")
    assert_focus_visible(page)

    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    assert header_height(page) > 120  # the menu opens in the page flow, below the bar
    reached = []
    for _ in PHONE_MENU:
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        reached.append(focused_href(page))
    assert reached == [href for _, href in PHONE_MENU]
    page.keyboard.press("Tab")
    assert focused(page, "#lang-select")
    page.keyboard.press("Tab")
    assert focused(page, ".lang-switch button[type=submit]")
    assert_targets_at_least_44px(page)

    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    assert focused(page, "#menu-toggle")
    assert header_height(page) <= 120

    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    page.keyboard.press("Escape")  # straight from the button
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert focused(page, "#menu-toggle")

    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # the button toggles
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    page.keyboard.press("Tab")  # a closed menu is out of the tab order: next is the page itself
    assert page.evaluate("() => !document.getElementById('site-header').contains(document.activeElement)")
    assert errors == []


def test_phone_menu_links_and_language_switch_work(new_context):
    city_build()
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    open_menu_by_keyboard(page)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    assert nav.get_by_role("link", name="Karte").get_attribute("aria-current") == "page"
    page.wait_for_function("document.getAnimations().length === 0")  # screenshot of the final state
    screenshot(page, "header-menu-phone")
    nav.get_by_role("link", name="Statistik").click()
    page.wait_for_url("**/statistik/")
    expect(page.locator("#site-menu")).to_be_hidden()  # a new page starts with the menu closed
    assert page.locator('#site-menu a[href="/statistik/"]').get_attribute("aria-current") == "page"

    page.get_by_role("button", name="Menü").click()
    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url.endswith("/statistik/")
    expect(page.locator("#site-menu")).to_be_hidden()
    assert page.locator(".lang-switch button").text_content().strip() == "Change"


def test_desktop_nav_on_one_line_without_the_button(new_context):
    city_build()
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/melden/")
    expect(page.locator("#menu-toggle")).to_be_hidden()
    expect(page.locator(".header-report")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    boxes = []
    for name, href in NAV:
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert link.get_attribute("href") == href
        boxes.append(link.bounding_box())
    assert nav.get_by_role("link", name="Melden").get_attribute("aria-current") == "page"
    assert len({round(box["y"]) for box in boxes}) == 1, boxes  # one line
    expect(page.get_by_label("Sprache")).to_be_visible()
    assert header_height(page) <= 80
    screenshot(page, "header-desktop")
    assert_targets_at_least_44px(page)

    # Tab order: skip link, site name, the six links, the language switch.
    page.keyboard.press("Tab")
    assert focused(page, ".skip-link")
    page.keyboard.press("Tab")
    assert focused(page, ".brand")
    reached = []
    for _ in NAV:
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        reached.append(focused_href(page))
    assert reached == [href for _, href in NAV]
    page.keyboard.press("Tab")
    assert focused(page, "#lang-select")


@pytest.mark.parametrize("url", ["/melden/", "/", "/dataset/"])
def test_no_axe_violations_in_either_state_at_either_width(new_context, url):
    city_build()
    page = new_context(viewport=PHONE).new_page()
    page.goto(url)
    assert_no_violations(page, f"{url} phone, menu closed")
    page.get_by_role("button", name="Menü").click()
    page.wait_for_function("document.getAnimations().length === 0")  # contrast of the final colours
    assert_no_violations(page, f"{url} phone, menu open")

    # Widened with the menu still open (aria-expanded="true"): the desktop bar, nav always shown.
    page.set_viewport_size(DESKTOP)
    expect(page.locator("#menu-toggle")).to_be_hidden()
    expect(page.locator("#site-menu")).to_be_visible()
    assert_no_violations(page, f"{url} desktop, after the menu was opened")

    desktop = new_context(viewport=DESKTOP).new_page()
    desktop.goto(url)
    assert_no_violations(desktop, f"{url} desktop")

    # Narrowed again: the menu is as the person left it, open, and closes with its button.
    page.set_viewport_size(PHONE)
    expect(page.locator("#site-menu")).to_be_visible()
    page.get_by_role("button", name="Menü").click()
    expect(page.locator("#site-menu")).to_be_hidden()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_without_javascript_every_nav_link_is_reachable(new_context, viewport):
    city_build()
    page = new_context(viewport=viewport, java_script_enabled=False).new_page()
    page.goto("/melden/")
    expect(page.locator("#menu-toggle")).to_be_hidden()
    expect(page.locator("#site-menu")).to_be_visible()
    links = PHONE_MENU if viewport == PHONE else NAV
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    for name, href in links:
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute("href", href)
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        if focused(page, "#lang-select"):
            break
        reached.append(focused_href(page))
    first = ["#main", "/"] + (["/melden/"] if viewport == PHONE else [])  # skip link, site name, bar button
    assert reached == first + [href for _, href in links]
    assert_targets_at_least_44px(page)
    if viewport == PHONE:
        assert header_height(page) <= 280  # open, but compact
        screenshot(page, "header-nojs-phone")

    # The language switch is a plain form.
    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/melden/")


@pytest.mark.parametrize("motion, animation", [("reduce", "none"), ("no-preference", "menu-in")])
def test_menu_animates_only_without_reduced_motion(new_context, motion, animation):
    city_build()
    page = new_context(viewport=PHONE, reduced_motion=motion).new_page()
    page.goto("/melden/")
    page.get_by_role("button", name="Menü").click()
    expect(page.locator("#site-menu")).to_be_visible()
    assert page.locator("#site-menu").evaluate("el => getComputedStyle(el).animationName") == animation


def test_narrowest_phone_has_no_horizontal_scrolling(new_context):
    city_build()
    page = new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True).new_page()
    page.goto("/melden/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.get_by_role("button", name="Menü")).to_be_visible()
    assert header_height(page) <= 120
