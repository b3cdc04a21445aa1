"""The map home in Chromium, drawn by MapLibre GL JS (WebGL 2; headless Chromium renders it with
SwiftShader, its software GPU): the demo map on the city's basemap with the reports from their
vector tiles (counted cells at low zoom, status symbols from the point zooms) and no request
leaving the live server, keyboard access, axe-core at phone and desktop width, raster tiles
from TILE_URL that fail, the filters, the paged list of the reports in view, and the page
without WebGL.

The map exposes itself as `window.stadtmelderMap` for these tests; what it draws is read with
MapLibre's `queryRenderedFeatures` on the layer ids of map.mjs's REPORT_LAYERS. The count
tiles are read from the pre-aggregated cells, so the tests rebuild them after creating
reports (in production a refresh follows every write within seconds)."""
import random
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.contrib.gis.geos import Point
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from opendata.ogc.tiles.aggregates import report_cells_rebuild
from reporter.models import Report
from tests.factories import CategoryFactory, ReportFactory
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

CENTER = (12.08, 50.88)  # settings.FRONTEND["MAP_CENTER"], lon/lat
DEMO_BASEMAP = Path(django_settings.BASE_DIR) / "demo" / "basemap_demo.gpkg"
DEMO_CREDIT = "Demo-Basiskarte (synthetisch)"  # as scripts/setup.sh imports it
# map.mjs REPORT_LAYERS: points from the tiles, counted cells and one-report cells of the count
# tiles, the JSON grid (category filter below the point zooms).
POINTS, CELLS, SINGLES, GRID = "report-points", "report-cells", "report-cell-singles", "report-grid-cells"
LAYERS = [POINTS, CELLS, SINGLES, GRID]
POINTS_ZOOM = 13  # MapLibre zoom = tile zoom from which the tiles carry points (TILES_AGGREGATE_BELOW_ZOOM)
TILE_PATH = re.compile(r"/ogc/collections/reports/tiles/WebMercatorQuad/(\d+)/\d+/\d+")

# Every report drawn, deduplicated (a symbol near a tile edge is in two tiles): points by
# report id, cells by position, with their counts of the chosen statuses (all: "count").
RENDERED = """([statuses, layers]) => {
  const map = window.stadtmelderMap;
  const seen = {};
  for (const f of map.queryRenderedFeatures({layers})) {
    const p = f.properties;
    const where = f.geometry.coordinates.map(c => c.toFixed(6)).join(',');
    const key = f.layer.id + ':' + (f.id ?? where);
    const count = f.layer.id === 'report-points' ? 1
      : statuses.length && f.layer.id !== 'report-grid-cells' ? statuses.reduce((n, s) => n + (p[s] || 0), 0)
      : p.count;
    seen[key] = {layer: f.layer.id, count, status: p.status ?? null};
  }
  return Object.values(seen).filter(f => f.count > 0);
}"""


def _reports_around_center(category, n=30, spread=0.04):
    rng = random.Random(3)
    statuses = [s for s, _ in Report.Status.choices]
    reports = [
        ReportFactory(category=category, status=statuses[i % len(statuses)],
                      address=f"Teststraße {i + 1}",
                      location=Point(CENTER[0] + (rng.random() - 0.5) * spread,
                                     CENTER[1] + (rng.random() - 0.5) * spread, srid=4326))
        for i in range(n)
    ]
    report_cells_rebuild()
    return reports


def ten_thousand_reports(city) -> None:
    """10,000 reports within about 2 km of the centre (all in view at the city's zoom), counted."""
    rng = random.Random(11)
    Report.objects.bulk_create([
        Report(location=Point(CENTER[0] + (rng.random() - 0.5) * 0.03, CENTER[1] + (rng.random() - 0.5) * 0.02,
                              srid=4326),
               category=city.category, department=city.department, routing_explanation={})
        for _ in range(10_000)
    ], batch_size=2000)
    report_cells_rebuild()


def _wait_for_map(page, summary="Kartenausschnitt"):
    """Until the reports are loaded, the summary says so and MapLibre has drawn everything."""
    page.wait_for_function(f"/{summary}/.test(document.getElementById('map-summary').textContent)")
    page.wait_for_function("""(layers) => {
      const map = window.stadtmelderMap;
      return map && map.loaded() && map.getSource('reports') && !map.isMoving()
        && map.queryRenderedFeatures({layers}).length > 0;
    }""", arg=LAYERS)


def _rendered(page, statuses=()) -> list[dict]:
    return page.evaluate(RENDERED, [list(statuses), LAYERS])


def _drawn_count(page, expected: int, statuses=()) -> int:
    """The reports drawn (sum of `_rendered`), once it is `expected` or after 10 s: MapLibre
    draws tile by tile, so right after the first symbol appears a cell may still be missing."""
    try:
        page.wait_for_function(f"""([statuses, layers, expected]) =>
          ({RENDERED})([statuses, layers]).reduce((n, f) => n + f.count, 0) === expected""",
                               arg=[list(statuses), LAYERS, expected], timeout=10_000)
    except PlaywrightTimeoutError:
        pass  # the assertion below shows what was drawn instead
    return sum(f["count"] for f in _rendered(page, statuses))


def _zoom_to(page, zoom, center=CENTER):
    """Jump the map (MapLibre zoom) and wait until the tiles there are drawn."""
    page.evaluate("([zoom, center]) => window.stadtmelderMap.jumpTo({zoom, center})", [zoom, list(center)])
    page.wait_for_function("""(layers) => {
      const map = window.stadtmelderMap;
      return map.loaded() && map.areTilesLoaded() && !map.isMoving() && map.queryRenderedFeatures({layers}).length > 0;
    }""", arg=LAYERS)


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
    # Every report is drawn from the count tiles at the city's zoom: counted circles, and the
    # status symbol of a cell that holds one report.
    assert _drawn_count(page, len(reports)) == len(reports)
    assert {f["layer"] for f in _rendered(page)} == {CELLS, SINGLES}
    assert errors == []

    hosts = {urlparse(url).netloc for url in requests if not url.startswith(("data:", "blob:"))}
    assert hosts == {urlparse(live_server.url).netloc}, hosts
    paths = [urlparse(url).path for url in requests]
    assert "/karte/basemap/style.json" in paths
    assert any(re.fullmatch(r"/karte/basemap/\d+/\d+/\d+\.mvt", p) for p in paths)
    assert any(p.startswith("/karte/basemap/fonts/DejaVu%20Sans%20Bold/") for p in paths), paths
    assert "/static/vendor/maplibre-gl/maplibre-gl-worker.mjs" in paths
    assert any(TILE_PATH.fullmatch(p) for p in paths), paths
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

    assert _drawn_count(page, len(reports)) == len(reports)
    assert page.locator("#map-summary").inner_text() == (
        "30 Meldungen im Kartenausschnitt, nach Gebiet zusammengefasst. "
        "Vergrößern Sie die Karte, um einzelne Meldungen zu sehen.")
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
                           location=Point(*CENTER, srid=4326), supporter_count=3)
    report_cells_rebuild()
    page.goto("/")
    _wait_for_map(page)
    # At the city's zoom the count tiles hold a cell of one report: its status symbol.
    assert _rendered(page) == [{"layer": SINGLES, "count": 1, "status": None}]
    box = page.locator("#map canvas").bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    # A click on it zooms in to the point zooms, where the report is its own symbol.
    page.mouse.click(*middle)
    page.wait_for_function(f"window.stadtmelderMap.getZoom() >= {POINTS_ZOOM} && !window.stadtmelderMap.isMoving()")
    _wait_for_map(page)
    assert _rendered(page) == [{"layer": POINTS, "count": 1, "status": "open"}]

    # A click on the symbol opens its popup with the public fields and the link to the report.
    page.mouse.click(*middle)
    link = page.locator(".maplibregl-popup .popup-link")
    link.wait_for()
    assert link.get_attribute("href") == f"/meldungen/{report.pk}/"
    popup = page.locator(".maplibregl-popup").inner_text()
    assert city.category.name in popup and "offen" in popup and "Unterstützt von 3 Personen" in popup
    assert "Markt 1" not in popup  # the tiles carry no address
    assert page.locator(".maplibregl-popup-close-button").get_attribute("aria-label") == "Schließen"
    assert axe_violations(page) == []

    # Keyboard: the list entry in focus rings its symbol on the map.
    page.locator(f'#report-list a[href="/meldungen/{report.pk}/"]').focus()
    page.wait_for_function("window.stadtmelderMap.queryRenderedFeatures({layers: ['report-focus-ring']}).length === 1")


@pytest.mark.django_db(transaction=True)
def test_browser_enter_on_the_canvas_opens_the_report_in_the_centre(new_context, city):
    report = ReportFactory(category=city.category, status=Report.Status.RESOLVED,
                           location=Point(*CENTER, srid=4326))
    report_cells_rebuild()
    page = new_context(reduced_motion="reduce").new_page()
    page.goto("/")
    _wait_for_map(page)
    canvas = page.locator("#map canvas")
    canvas.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").endswith(
        "Die Eingabetaste öffnet die Meldung in der Kartenmitte.")
    assert page.evaluate("document.getElementById('map').classList.contains('keyboard-centre')")
    # On the one-report cell Enter zooms in (no animation under reduced motion) …
    page.keyboard.press("Enter")
    page.wait_for_function(f"window.stadtmelderMap.getZoom() >= {POINTS_ZOOM}")
    _wait_for_map(page)
    # … then Enter on the symbol opens the popup and puts the focus on its link; Enter follows it.
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('popup-link')")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/meldungen/{report.pk}/"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/meldungen/{report.pk}/")

    # Nothing in the centre: the note says so (and the list is named as the way to the reports).
    page.go_back()
    _wait_for_map(page)
    page.evaluate(f"window.stadtmelderMap.jumpTo({{center: [{CENTER[0] + 0.02}, {CENTER[1]}], zoom: 14}})")
    page.locator("#map canvas").focus()
    page.keyboard.press("Enter")
    note = page.locator("#map-note")
    note.wait_for(state="visible")
    assert note.inner_text() == ("In der Kartenmitte ist keine Meldung. "
                                 "Verschieben Sie die Karte oder nutzen Sie die Liste.")


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
def test_browser_10000_reports_come_from_the_tiles_not_from_json(page, city):
    """10,000 reports in view: the map asks for report tiles only — counted cells at the city's
    zoom, points from the point zooms — and the JSON API only for one page of the list (no
    request for all reports, no grid counts)."""
    ten_thousand_reports(city)
    requests = []
    page.on("request", lambda r: requests.append(urlparse(r.url)))
    page.goto("/")
    _wait_for_map(page, summary="zusammengefasst")
    assert page.locator("#map-summary").inner_text().startswith("10.000 Meldungen im Kartenausschnitt")
    assert _drawn_count(page, 10_000) == 10_000
    drawn = _rendered(page)
    assert {f["layer"] for f in drawn} == {CELLS}
    assert len(drawn) < 100
    tiles = [TILE_PATH.fullmatch(u.path) for u in requests if TILE_PATH.fullmatch(u.path)]
    assert tiles and {int(t.group(1)) for t in tiles} == {POINTS_ZOOM - 1}
    json_requests = [u for u in requests if u.path.startswith("/api/")]
    assert [u.path for u in json_requests] == ["/api/v1/reports/"]
    assert "limit=20&offset=0" in json_requests[0].query
    assert page.locator("#report-list .report-link").count() == 20
    assert page.locator("#map-pager .map-pager-page").inner_text() == "Seite 1 von 500"
    assert axe_violations(page) == []

    # At the point zooms the same tiles carry the reports themselves.
    requests.clear()
    _zoom_to(page, POINTS_ZOOM + 1)
    drawn = _rendered(page)
    assert {f["layer"] for f in drawn} == {POINTS}
    assert len(drawn) > 100
    # Deeper than the source's maxzoom the point tiles are enlarged, not fetched anew.
    assert {int(TILE_PATH.fullmatch(u.path).group(1)) for u in requests if TILE_PATH.fullmatch(u.path)} \
        == {POINTS_ZOOM + 1}
    assert not any(u.path.startswith("/api/v1/reports/clusters") for u in requests)


@pytest.mark.django_db(transaction=True)
def test_browser_list_pages_the_reports_in_view(page, city):
    _reports_around_center(city.category, n=25, spread=0.01)
    page.goto("/")
    _wait_for_map(page)
    assert page.locator("#map-summary").inner_text().startswith("25 Meldungen im Kartenausschnitt")
    assert page.locator("#report-list .report-link").count() == 20
    pager = page.locator("#map-pager")
    assert pager.get_attribute("aria-label") == "Seiten der Liste"
    assert pager.locator(".map-pager-page").inner_text() == "Seite 1 von 2"
    newer = pager.get_by_role("button", name="Neuere Meldungen")
    older = pager.get_by_role("button", name="Ältere Meldungen")
    assert newer.get_attribute("aria-disabled") == "true"
    with page.expect_response(lambda r: "/api/v1/reports/" in r.url and "offset=20" in r.url) as second:
        older.click()
    assert second.value.status == 200
    page.wait_for_function("document.querySelectorAll('#report-list .report-link').length === 5")
    assert pager.locator(".map-pager-page").inner_text() == "Seite 2 von 2"
    assert older.get_attribute("aria-disabled") == "true"
    assert page.evaluate("document.activeElement.textContent") == "Ältere Meldungen"  # focus stays
    newer.click()
    page.wait_for_function("document.querySelectorAll('#report-list .report-link').length === 20")
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_browser_list_says_more_than_the_count_cap_and_pages_by_the_next_link(page, city, settings):
    settings.STADTMELDER = {**getattr(settings, "STADTMELDER", {}), "LIST_COUNT_MAX": 20}
    _reports_around_center(city.category, n=25, spread=0.01)
    page.goto("/")
    _wait_for_map(page)
    # 25 match, the server counts at most 20: the summary says "more than", the pager has no total.
    assert page.locator("#map-summary").inner_text().startswith("Mehr als 20 Meldungen im Kartenausschnitt")
    pager = page.locator("#map-pager")
    assert pager.locator(".map-pager-page").inner_text() == "Seite 1"
    older = pager.get_by_role("button", name="Ältere Meldungen")
    assert older.get_attribute("aria-disabled") == "false"
    older.click()
    page.wait_for_function("document.querySelectorAll('#report-list .report-link').length === 5")
    # The last page ends the list: its total is exact again.
    assert page.locator("#map-summary").inner_text().startswith("25 Meldungen im Kartenausschnitt")
    assert pager.locator(".map-pager-page").inner_text() == "Seite 2 von 2"
    assert older.get_attribute("aria-disabled") == "true"
    assert axe_violations(page) == []


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
    _reports_around_center(city.category, n=14, spread=0.01)  # statuses cycle: 2 of each of the 7
    page.goto("/")
    _wait_for_map(page)
    page.locator("#map-filter summary").click()
    page.get_by_label("erledigt").check()
    page.wait_for_function("document.getElementById('map-summary').textContent.startsWith('2 ')")
    assert page.url.endswith("/?status=resolved")
    assert page.locator("#report-list .report-link").count() == 2
    # The count tiles know the statuses: the cells count the chosen one only.
    page.wait_for_function("""() => window.stadtmelderMap.loaded()""")
    assert _drawn_count(page, 2, ["resolved"]) == 2
    _zoom_to(page, POINTS_ZOOM)
    assert [f["status"] for f in _rendered(page)] == ["resolved", "resolved"]


@pytest.mark.django_db(transaction=True)
def test_browser_category_filter_uses_the_json_grid_below_the_point_zooms(page, city):
    """The count tiles have no categories: with a category chosen the low zooms draw the server's
    grid counts of the filtered reports; the point zooms filter the tiles' points."""
    _reports_around_center(city.category, n=6, spread=0.01)
    other = CategoryFactory(slug="graffiti", name="Graffiti", default_department=city.department)
    _reports_around_center(other, n=4, spread=0.01)
    page.goto("/")
    _wait_for_map(page)
    assert _drawn_count(page, 10) == 10
    page.locator("#map-filter summary").click()
    with page.expect_response(lambda r: "/api/v1/reports/clusters" in r.url and "category=graffiti" in r.url) as grid:
        page.get_by_label("Graffiti").check()
    assert grid.value.status == 200
    page.wait_for_function("document.getElementById('map-summary').textContent.startsWith('4 ')")
    page.wait_for_function("""() => window.stadtmelderMap.loaded()
      && window.stadtmelderMap.queryRenderedFeatures({layers: ['report-grid-cells']}).length > 0""")
    assert _drawn_count(page, 4) == 4
    assert {f["layer"] for f in _rendered(page)} == {GRID}
    cluster_requests = []
    page.on("request", lambda r: cluster_requests.append(r.url) if "/clusters" in r.url else None)
    _zoom_to(page, POINTS_ZOOM)
    page.wait_for_function("""() => window.stadtmelderMap.loaded()
      && window.stadtmelderMap.queryRenderedFeatures({layers: ['report-grid-cells']}).length === 0""")
    drawn = _rendered(page)
    assert {f["layer"] for f in drawn} == {POINTS}
    assert len(drawn) == 4
    assert cluster_requests == []


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
