"""The small map on a report page in Chromium (MapLibre GL JS on the city's basemap): the
report's marker where the report is, no request leaving the live server, axe-core at phone and
desktop width, keyboard focus on the map, and the page without WebGL."""
from urllib.parse import urlparse

import pytest
from django.contrib.gis.geos import Point

from tests.factories import ReportFactory, city_build
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, expect_map_replaced_by_note, request_hosts

pytestmark = pytest.mark.django_db(transaction=True)

LON, LAT = 12.0712, 50.8795

MAP_READY = "window.stadtmelderMap && window.stadtmelderMap.loaded() && !window.stadtmelderMap.isMoving()"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_report_page_map_marks_the_report_from_our_host_only(new_context, live_server, viewport):
    city = city_build()
    report = ReportFactory(category=city.category, department=city.department, location=Point(LON, LAT, srid=4326))
    context = new_context(viewport=viewport)
    hosts = request_hosts(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"/meldungen/{report.pk}/")
    page.wait_for_function(MAP_READY)

    centre = page.evaluate("window.stadtmelderMap.getCenter().toArray()")
    assert centre == pytest.approx([LON, LAT], abs=1e-6)
    assert page.evaluate("window.stadtmelderMap.getZoom()") == 15  # 16 in 256-px levels
    marker = page.locator("#report-map .maplibregl-marker")
    assert marker.get_attribute("aria-label") == "Ort der Meldung"
    assert marker.get_attribute("role") == "img"
    assert page.evaluate("window.stadtmelderMap.scrollZoom.isEnabled()") is False
    assert page.locator("#report-map canvas").get_attribute("tabindex") == "0"
    assert page.locator("#report-map-note").is_hidden()
    assert axe_violations(page) == []
    assert errors == []
    assert hosts == {urlparse(live_server.url).netloc}, hosts


def test_report_page_without_webgl_says_so_and_keeps_the_place_as_text(no_webgl_page):
    city = city_build()
    report = ReportFactory(category=city.category, department=city.department, location=Point(LON, LAT, srid=4326))
    page = no_webgl_page
    page.goto(f"/meldungen/{report.pk}/")
    expect_map_replaced_by_note(page, "#report-map", "#report-map-note")
    assert "lon 12.0712, lat 50.8795" in page.locator(".report-facts").inner_text()
    assert axe_violations(page) == []
