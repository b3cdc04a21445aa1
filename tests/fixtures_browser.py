"""Browser-test fixtures for any test: Debian's headless Chromium driven by Playwright against a
live server.

Every request to a host other than the live server is aborted (the test machine has no
internet, and no page may depend on a third-party asset); map tiles are switched off.
`axe_violations(page)` runs axe-core (from node_modules, injected into the page) with the
WCAG 2.1 A/AA rules. Screenshots of the main pages go to docs/screenshots/. `wait_for` polls
the database while the live server writes.
"""
import os
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# The README's screenshots are refreshed only on request (`make screenshots`, which sets
# UPDATE_SCREENSHOTS=1); an ordinary test run writes them to var/ and leaves the work tree clean.
SCREENSHOTS = Path(settings.BASE_DIR) / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "var") \
    / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Async-unsafe Django calls from the live-server test while Playwright's loop runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


@pytest.fixture
def launch_browser(browser):
    """Factory for a Chromium of the test's own, started with extra command-line flags (e.g. a
    fake camera) and closed after the test; the session's `browser` stays as it is. Give its
    browser to `new_context(in_browser=...)` for a context that only reaches the live server."""
    launched = []

    def launch(*flags: str):
        own = browser.browser_type.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *flags])
        launched.append(own)
        return own

    yield launch
    for own in launched:
        own.close()


@pytest.fixture(autouse=True)
def _no_tiles(settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}


def _local_only(live_url: str):
    allowed = urlparse(live_url).netloc

    def handler(route):
        if urlparse(route.request.url).netloc == allowed:
            route.continue_()
        else:
            route.abort()

    return handler


@pytest.fixture
def new_context(browser, live_server, launch_browser):
    """Factory for browser contexts (phone by default) that only reach the live server; in the
    session's browser, or in `in_browser` (one from `launch_browser`, closed after these contexts)."""
    contexts = []

    def make(*, viewport=None, in_browser=None, **kwargs):
        # Playwright's string predicates (wait_for_function) and axe-core's injected script
        # would count as inline script: the pages' CSP is checked in tests/config/test_csp_browser.py.
        options = {"viewport": viewport or PHONE, "locale": "de-DE", "base_url": live_server.url,
                   "bypass_csp": True}
        if (viewport or PHONE) == PHONE:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        options.update(kwargs)
        context = (in_browser or browser).new_context(**options)
        context.route("**/*", _local_only(live_server.url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def no_webgl_page(browser, live_server):
    """A phone-sized page in a Chromium started with WebGL switched off (--disable-webgl): the
    maps' fallback. `page.requested` lists the paths it asked for."""
    without = browser.browser_type.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-webgl", "--disable-3d-apis"])
    context = without.new_context(viewport=PHONE, locale="de-DE", base_url=live_server.url, bypass_csp=True)
    context.route("**/*", _local_only(live_server.url))
    requests = []
    context.on("request", lambda request: requests.append(urlparse(request.url).path))
    page = context.new_page()
    page.requested = requests
    yield page
    context.close()
    without.close()


NO_WEBGL_NOTE = "Ihr Browser kann die Karte nicht darstellen (WebGL fehlt"  # maplibre-map.mjs, data-t-no-webgl


def request_hosts(context) -> set[str]:
    """The hosts of every http(s) request `context` makes from now on (a set that fills as it goes)."""
    hosts = set()
    context.on("request", lambda r: hosts.add(urlparse(r.url).netloc) if r.url.startswith("http") else None)
    return hosts


def expect_map_replaced_by_note(page, map_selector: str, note_selector: str) -> None:
    """Without WebGL: the map element is hidden and its status note says why (maplibre-map.mjs)."""
    note = page.locator(note_selector)
    note.wait_for(state="visible")
    assert note.inner_text().startswith(NO_WEBGL_NOTE)
    assert page.locator(map_selector).is_hidden()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the current page (empty list = none)."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
               values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def screenshot(page, name: str) -> Path:
    """Save a screenshot of the current page to <SCREENSHOTS>/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def wait_for(page, condition, timeout=10.0) -> bool:
    """Poll `condition()` (e.g. a database query; the live server writes from another thread)
    until it is true or `timeout` seconds have passed; returns its last value. Waits through
    Playwright, not time.sleep: the context's request router runs in this thread, only inside
    Playwright calls."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(100)
    return condition()
