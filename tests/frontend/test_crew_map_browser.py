"""The crew task map in Chromium (MapLibre GL JS on the city's basemap): each task a link on the
map, the phone's position, no request leaving the live server, axe-core at phone and desktop
width, a note instead of the map offline (the task list stays), and the page without WebGL."""
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, expect_map_replaced_by_note, request_hosts
from tests.frontend.test_crew_browser import GPS, crew_world, login

pytestmark = pytest.mark.django_db(transaction=True)

OFFLINE_NOTE = "Offline: Die Karte braucht eine Verbindung. Ihre Aufgaben stehen in der Liste unten."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_crew_map_links_every_task_from_our_host_only(new_context, live_server, viewport):
    _worker, tasks = crew_world()
    context = new_context(viewport=viewport, geolocation=GPS, permissions=["geolocation"])
    hosts = request_hosts(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page)
    expect(page.locator(".task-link")).to_have_count(3)
    markers = page.locator("#crew-map a.crew-task-marker")
    expect(markers).to_have_count(3)
    expect(page.locator("#crew-map .crew-here")).to_have_attribute("aria-label", "Ihr Standort")
    page.wait_for_function("window.stadtmelderMap.loaded() && !window.stadtmelderMap.isMoving()")
    hrefs = sorted(markers.evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    assert hrefs == sorted(f"/crew/aufgabe/?id={t.pk}" for t in tasks)
    assert (f"Aufgabe {tasks[0].pk}: Schlagloch" in
            markers.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))"))
    # Every task and the position are in view (fitted).
    assert page.locator("#crew-map .maplibregl-marker").count() == 4
    assert page.evaluate("""() => [[12.09, 50.87], [12.0705, 50.8801], [12.07, 50.88]]
      .every(p => window.stadtmelderMap.getBounds().contains(p))""")
    assert axe_violations(page) == []
    assert errors == []
    assert hosts == {urlparse(live_server.url).netloc}, hosts

    # Keyboard: a task marker is a link; Enter opens the task.
    markers.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/crew/aufgabe/?id=*")


def test_crew_map_offline_shows_a_note_and_the_list_stays(new_context):
    crew_world()
    context = new_context(geolocation=GPS, permissions=["geolocation"])
    page = context.new_page()
    login(page)
    expect(page.locator("#crew-map a.crew-task-marker")).to_have_count(3)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the crew service worker
    expect(page.locator(".task-link")).to_have_count(3)

    context.set_offline(True)
    page.reload()
    expect(page.locator(".task-link")).to_have_count(3)
    expect(page.locator("#crew-map-note")).to_have_text(OFFLINE_NOTE)
    assert page.locator("#crew-map").is_hidden()
    assert axe_violations(page) == []

    context.set_offline(False)  # back online: the map starts
    expect(page.locator("#crew-map a.crew-task-marker")).to_have_count(3)
    assert page.locator("#crew-map-note").is_hidden()


def test_crew_map_without_webgl_says_so(no_webgl_page):
    crew_world()
    page = no_webgl_page
    login(page)
    expect(page.locator(".task-link")).to_have_count(3)
    expect_map_replaced_by_note(page, "#crew-map", "#crew-map-note")
    assert not any("maplibre-gl.mjs" in path for path in page.requested)
    assert axe_violations(page) == []
