"""The map home in Chromium, drawn by MapLibre GL JS (WebGL 2; headless Chromium renders it with
SwiftShader, its software GPU): the demo map on the city's basemap with the report symbols and
no request leaving the live server, counted circles, keyboard access, axe-core at phone and
desktop width, raster tiles from TILE_URL that fail, the filter, and the page without WebGL.

The map exposes itself as `window.stadtmelderMap` for these tests; what it draws is read with
MapLibre's `queryRenderedFeatures` on the layer ids of map.mjs's REPORT_LAYERS."""
import random
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.contrib.gis.geos import Point
from django.core.management import call_command

from reporter.models import Report
from tests.factories import ReportFactory
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

CENTER = (12.08, 50.88)  # settings.FRONTEND["MAP_CENTER"], lon/lat
DEMO_BASEMAP = Path(django_settings.BASE_DIR) / "demo" / "basemap_demo.gpkg"
DEMO_CREDIT = "Demo-Basiskarte (synthetisch)"  # as scripts/setup.sh imports it
POINTS, CLUSTERS, GRID = "report-points", "report-clusters", "report-grid-cells"  # map.mjs REPORT_LAYERS

# Every report drawn, deduplicated (a symbol near a tile edge is in two tiles): single points by
# report id, circles by cluster id, with their counts.
RENDERED = """() => {
  const map = window.stadtmelderMap;
  const seen = {};
  for (const f of map.queryRenderedFeatures({layers: ['report-points', 'report-clusters', 'report-grid-cells']})) {
    const id = f.properties.cluster_id ?? f.properties.id ?? JSON.stringify(f.geometry.coordinates);
    const key = f.layer.id + ':' + id;
    seen[key] = {layer: f.layer.id, count: f.properties.point_count ?? f.properties.count ?? 1,
                 status: f.properties.status ?? null};
  }
  return Object.values(seen);
}"""


def _reports_around_center(category, n=30, spread=0.04):
    rng = random.Random(3)
    statuses = [s for s, _ in Report.Status.choices]
    return [
        ReportFactory(category=category, status=statuses[i % len(statuses)],
                      address=f"Teststraße {i + 1}",
                      location=Point(CENTER[0] + (rng.random() - 0.5) * spread,
                                     CENTER[1] + (rng.random() - 0.5) * spread, srid=4326))
        for i in range(n)
    ]


def _wait_for_map(page, summary="Kartenausschnitt"):
    """Until the reports are loaded, the summary says so and MapLibre has drawn everything."""
    page.wait_for_function(f"/{summary}/.test(document.getElementById('map-summary').textContent)")
    page.wait_for_function("""() => {
      const map = window.stadtmelderMap;
      return map && map.loaded() && map.getSource('reports') && !map.isMoving()
        && map.queryRenderedFeatures({layers: ['report-points', 'report-clusters', 'report-grid-cells']}).length > 0;
    }""")


def _rendered(page) -> list[dict]:
    return page.evaluate(RENDERED)


def _canvas_has_pixels(page) -> bool:
    """Whether the WebGL canvas holds anything but one flat colour (read back after a render)."""
    return page.evaluate("""() => new Promise(resolve => {
      const map = window.stadtmelderMap;
      map.once('render', () => {
        const gl = map.getCanvas().getContext('webgl2');
        const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
        const px = new Uint8Array(w * h * 4);
        gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
        const colours = new Set();
        for (let i = 0; i < px.length; i += 4 * 97) colours.add(px[i] << 16 | px[i + 1] << 8 | px[i + 2]);
        resolve(colours.size > 20);
      });
      map.triggerRepaint();
    })""")


@pytest.mark.django_db(transaction=True)
def test_browser_demo_map_draws_basemap_and_reports_from_our_host_only(new_context, city, live_server):
    call_command("import_basemap", str(DEMO_BASEMAP), attribution=DEMO_CREDIT, verbosity=0)
    reports = _reports_around_center(city.category)
    context = new_context(viewport=DESKTOP)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto("/")
    _wait_for_map(page)

    # The basemap: its style, tiles with features (roads, places) and glyphs for the labels.
    basemap = page.evaluate("""() => {
      const map = window.stadtmelderMap;
      const layers = new Set(map.queryRenderedFeatures().filter(f => f.source === 'basemap').map(f => f.sourceLayer));
      return {layers: [...layers].sort(), style: map.getStyle().name};
    }""")
    assert basemap["style"] == "Stadtmelder Basiskarte"
    assert {"road", "place"} <= set(basemap["layers"]), basemap
    assert _canvas_has_pixels(page)
    # Every report is drawn: as its own symbol or inside a counted circle.
    drawn = _rendered(page)
    assert sum(f["count"] for f in drawn) == len(reports)
    assert any(f["layer"] == POINTS for f in drawn)
    assert errors == []

    hosts = {urlparse(url).netloc for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlparse(live_server.url).netloc}, hosts
    paths = [urlparse(url).path for url in requests]
    assert "/karte/basemap/style.json" in paths
    assert any(re.fullmatch(r"/karte/basemap/\d+/\d+/\d+\.mvt", p) for p in paths)
    assert any(p.startswith("/karte/basemap/fonts/DejaVu%20Sans%20Bold/") for p in paths), paths
    assert "/static/vendor/maplibre-gl/maplibre-gl-worker.mjs" in paths
    screenshot(page, "home-map-desktop")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_browser_map_shows_reports_and_has_no_axe_violations(new_context, city, viewport):
    call_command("import_basemap", str(DEMO_BASEMAP), attribution=DEMO_CREDIT, verbosity=0)
    reports = _reports_around_center(city.category)
    page = new_context(viewport=viewport).new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto("/")
    _wait_for_map(page)

    assert sum(f["count"] for f in _rendered(page)) == len(reports)
    assert page.locator("#map-summary").inner_text() == "30 Meldungen im Kartenausschnitt"
    assert page.locator("#list-title").inner_text() == "Neueste Meldungen im Kartenausschnitt"
    assert page.locator("#report-list .report-link").count() == 20
    href = page.locator("#report-here").get_attribute("href")
    assert re.fullmatch(r"/melden/\?lon=12\.08\d*&lat=50\.88\d*", href), href
    # A textual attribution, always open; German control labels.
    assert DEMO_CREDIT in page.locator(".maplibregl-ctrl-attrib").inner_text()
    assert page.locator(".maplibregl-ctrl-zoom-in").get_attribute("aria-label") == "Vergrößern"
    assert axe_violations(page) == []
    assert errors == []
    if viewport == PHONE:
        screenshot(page, "home-phone")


@pytest.mark.django_db(transaction=True)
def test_browser_symbol_popup_and_list_ring(page, city):
    report = ReportFactory(category=city.category, status=Report.Status.OPEN, address="Markt 1",
                           location=Point(*CENTER, srid=4326))
    page.goto("/")
    _wait_for_map(page)
    assert _rendered(page) == [{"layer": POINTS, "count": 1, "status": "open"}]

    # A click on the symbol (map centre) opens its popup with the link to the report.
    box = page.locator("#map canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    link = page.locator(".maplibregl-popup .popup-link")
    link.wait_for()
    assert link.get_attribute("href") == f"/meldungen/{report.pk}/"
    assert page.locator(".maplibregl-popup-close-button").get_attribute("aria-label") == "Schließen"
    assert axe_violations(page) == []

    # Keyboard: the list entry in focus rings its symbol on the map.
    page.locator(f'#report-list a[href="/meldungen/{report.pk}/"]').focus()
    page.wait_for_function("window.stadtmelderMap.queryRenderedFeatures({layers: ['report-focus-ring']}).length === 1")


@pytest.mark.django_db(transaction=True)
def test_browser_keyboard_pans_and_zooms_the_map_and_skips_it(page, city):
    _reports_around_center(city.category, n=5)
    page.goto("/")
    _wait_for_map(page)
    reached = []
    for _ in range(15):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "document.activeElement.getAttribute('aria-label') || document.activeElement.textContent.trim()"))
        if reached[-1] == "Karte überspringen":
            break
    assert reached[0] == "Zum Inhalt springen"
    assert "Hier ein Problem melden" in reached
    assert reached[-1] == "Karte überspringen"
    assert page.locator(".skip-map").bounding_box()["width"] > 50

    # The next stop is the map canvas: arrows pan, + zooms (no animation under reduced motion).
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('maplibregl-canvas')")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Karte. Pfeiltasten")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    before = page.evaluate("window.stadtmelderMap.getCenter().lng")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"window.stadtmelderMap.getCenter().lng > {before} + 1e-4")
    zoom = page.evaluate("window.stadtmelderMap.getZoom()")
    page.keyboard.press("Equal")
    page.wait_for_function(f"window.stadtmelderMap.getZoom() >= {zoom} + 0.9")

    # The skip link leads past the map.
    page.locator(".skip-map").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "reports"


@pytest.mark.django_db(transaction=True)
def test_browser_reduced_motion_jumps_instead_of_flying(new_context, city):
    _reports_around_center(city.category, n=5)
    page = new_context(reduced_motion="reduce").new_page()
    page.goto("/")
    _wait_for_map(page)
    moving = page.evaluate("""() => {
      const map = window.stadtmelderMap;
      map.easeTo({zoom: map.getZoom() + 1, duration: 1000});
      return map.isMoving();
    }""")
    assert moving is False


@pytest.mark.django_db(transaction=True)
def test_browser_10000_reports_in_view_use_server_clusters(page, city):
    """10,000 reports in view: above the threshold (1,000) the map draws the server's grid
    counts — a few hundred circles at most — and asks for a finer grid when zooming in."""
    rng = random.Random(11)
    Report.objects.bulk_create([
        Report(location=Point(CENTER[0] + (rng.random() - 0.5) * 0.03, CENTER[1] + (rng.random() - 0.5) * 0.02,
                              srid=4326),
               category=city.category, department=city.department, routing_explanation={})
        for _ in range(10_000)
    ], batch_size=2000)
    cluster_requests = []
    page.on("request", lambda r: cluster_requests.append(r.url) if "/api/v1/reports/clusters" in r.url else None)
    started = time.monotonic()
    page.goto("/")
    _wait_for_map(page, summary="zusammengefasst")
    assert time.monotonic() - started < 8
    assert page.locator("#map-summary").inner_text().startswith("10.000 Meldungen im Kartenausschnitt")
    drawn = _rendered(page)
    assert {f["layer"] for f in drawn} == {GRID}
    assert sum(f["count"] for f in drawn) == 10_000
    assert len(drawn) < 500
    assert cluster_requests and "zoom=13" in cluster_requests[0]
    assert page.locator("#report-list .report-link").count() == 20
    assert axe_violations(page) == []

    with page.expect_response(lambda r: "/api/v1/reports/clusters" in r.url and "zoom=14" in r.url) as grid:
        page.locator(".maplibregl-ctrl-zoom-in").click()
    assert grid.value.status == 200
    expected = grid.value.json()["numberMatched"]
    page.wait_for_function(f"""() => {{
      const map = window.stadtmelderMap;
      return map.loaded() && map.queryRenderedFeatures({{layers: ['report-grid-cells']}})
        .reduce((n, f) => n + f.properties.count, 0) === {expected};
    }}""")


@pytest.mark.django_db(transaction=True)
def test_browser_raster_tiles_from_tile_url_that_fail_show_a_note(page, city, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": "http://tiles.invalid/{z}/{x}/{y}.png",
                         "TILE_ATTRIBUTION": "Testkacheln"}
    _reports_around_center(city.category, n=3)
    page.goto("/")
    note = page.locator("#map-note")
    note.wait_for(state="visible")
    assert note.inner_text() == ("Die Hintergrundkarte konnte nicht geladen werden. "
                                 "Die Meldungen werden trotzdem angezeigt.")
    _wait_for_map(page)
    assert page.evaluate("Object.keys(window.stadtmelderMap.getStyle().sources).sort()") == [
        "raster", "report-focus", "report-grid", "reports"]
    assert "Testkacheln" in page.locator(".maplibregl-ctrl-attrib").inner_text()


@pytest.mark.django_db(transaction=True)
def test_browser_filter_without_reload(page, city):
    _reports_around_center(city.category, n=14)  # statuses cycle: 2 of each of the 7
    page.goto("/")
    _wait_for_map(page)
    page.locator("#map-filter summary").click()
    page.get_by_label("erledigt").check()
    page.wait_for_function("document.getElementById('map-summary').textContent.startsWith('2 ')")
    assert page.url.endswith("/?status=resolved")
    assert page.locator("#report-list .report-link").count() == 2
    page.wait_for_function("""() => window.stadtmelderMap
      .queryRenderedFeatures({layers: ['report-points', 'report-clusters']})
      .reduce((n, f) => n + (f.properties.point_count || 1), 0) === 2""")


@pytest.mark.django_db(transaction=True)
def test_browser_without_webgl_keeps_list_and_filter_and_says_why(no_webgl_page, city):
    page = no_webgl_page
    reports = _reports_around_center(city.category, n=3)
    assert page.evaluate("document.createElement('canvas').getContext('webgl2')") is None
    page.goto("/")
    note = page.locator("#map-note")
    note.wait_for(state="visible")
    assert note.inner_text().startswith("Ihr Browser kann die Karte nicht darstellen (WebGL fehlt")
    assert page.locator("#map").is_hidden()
    # The server-rendered list and the filter (a GET form) are the page; MapLibre is not loaded.
    assert page.locator("#report-list .report-link").count() == len(reports)
    assert not any("maplibre-gl.mjs" in path for path in page.requested)
    page.locator("#map-filter summary").click()
    page.get_by_label("erledigt").check()
    page.get_by_role("button", name="Filter anwenden").click()
    page.wait_for_url("**/?status=resolved")
    assert page.locator("#report-list .report-link").count() == 0
    assert axe_violations(page) == []
