"""The back-office maps in Chromium (MapLibre GL JS on the city's basemap): the queue's circles
(overdue larger with a red ring) with a popup linking the report, the work screen's marker, no
request leaving the live server, axe-core at phone and desktop width, and the queue without
WebGL (a note; the list is the page)."""
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.backoffice.test_browser import QUEUE_MAP_DRAWN, _login
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, expect_map_replaced_by_note, request_hosts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_queue_map_draws_the_filtered_reports_from_our_host_only(new_context, live_server, office, viewport):
    context = new_context(viewport=viewport)
    hosts = request_hosts(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page)
    expect(page.locator("#map-status")).to_have_text("3 Meldungen auf der Karte")
    page.wait_for_function(QUEUE_MAP_DRAWN.replace("N", "3"))
    drawn = page.evaluate("""() => window.stadtmelderMap.queryRenderedFeatures({layers: ['queue-reports']})
      .map(f => [f.properties.id, f.properties.overdue]).sort((a, b) => a[0] - b[0])""")
    assert drawn == sorted([[office.r.new_north.pk, False], [office.r.overdue_south.pk, True],
                            [office.r.light_north.pk, False]])
    # Privacy: the queue's GeoJSON is staff-only, but the map page still carries no reporter data.
    assert "erika@example.org" not in page.evaluate("JSON.stringify(window.stadtmelderMap.getSource('queue-reports')"
                                                    ".serialize())")
    assert axe_violations(page) == []

    # A click on the overdue circle opens its popup with the link to the work screen.
    page.locator("#queue-map").scroll_into_view_if_needed()
    # Centred first: at phone width the fitted view puts it near the attribution at the edge.
    page.evaluate(f"""() => {{ const map = window.stadtmelderMap;
      const f = map.queryRenderedFeatures({{layers: ['queue-reports']}})
        .find(f => f.properties.id === {office.r.overdue_south.pk});
      map.jumpTo({{center: f.geometry.coordinates}}); }}""")
    box = page.locator("#queue-map canvas").bounding_box()
    point = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(*point)
    link = page.locator(".maplibregl-popup .report-link")
    expect(link).to_have_attribute("href", f"/sachbearbeitung/meldungen/{office.r.overdue_south.pk}/")
    expect(page.locator(".maplibregl-popup")).to_contain_text("(überfällig)")
    assert axe_violations(page) == []
    assert errors == []
    assert hosts == {urlparse(live_server.url).netloc}, hosts


def test_work_screen_map_marks_the_report(new_context, office):
    page = new_context(viewport=DESKTOP).new_page()
    _login(page)
    report = office.r.overdue_south
    page.goto(f"/sachbearbeitung/meldungen/{report.pk}/")
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded()")
    assert page.evaluate("window.stadtmelderMap.getCenter().toArray()") == pytest.approx([12.05, 50.86], abs=1e-6)
    assert page.locator("#report-map .maplibregl-marker").get_attribute("aria-label") == "Ort der Meldung"
    assert axe_violations(page) == []


def test_queue_without_webgl_keeps_the_list_and_says_why(no_webgl_page, office):
    page = no_webgl_page
    _login(page)
    expect(page.locator("#queue-table tbody tr")).to_have_count(3)
    expect_map_replaced_by_note(page, "#queue-map", "#queue-map-note")
    assert page.locator("#map-status").inner_text() == ""
    assert axe_violations(page) == []
