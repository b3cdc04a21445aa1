"""The map home: server-rendered filter and list (no JS), what the page hands its script (the
report tiles, the list's page size), the paged list of the reports in view the script reads,
the grid-cluster endpoint (the category filter's map below the point zooms), page weight. In
Chromium: test_map_home_browser.py."""
import gzip
import math
import random
import re
from collections import Counter

import pytest
from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders
from django.db import connection

from reporter.models import Report
from tests.factories import CategoryFactory, ReportFactory

EARTH_RADIUS_M = 6378137  # WGS 84 semi-major axis: the sphere of web mercator (EPSG:3857)
CENTER = (12.08, 50.88)  # settings.FRONTEND["MAP_CENTER"], lon/lat


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """WGS 84 lon/lat → EPSG:3857 metres (spherical mercator), independent of PostGIS."""
    return (EARTH_RADIUS_M * math.radians(lon),
            EARTH_RADIUS_M * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def lonlat(x: float, y: float) -> tuple[float, float]:
    """EPSG:3857 metres → WGS 84 lon/lat."""
    return math.degrees(x / EARTH_RADIUS_M), math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS_M)) - math.pi / 2)


def cell_size(zoom: int) -> float:
    """Edge of a 64-px grid cell at `zoom`, mercator metres (256-px tiles)."""
    return 2 * math.pi * EARTH_RADIUS_M / 256 / 2**zoom * 64


def report_at(x: float, y: float, **kwargs) -> Report:
    lon, lat = lonlat(x, y)
    return ReportFactory(location=Point(lon, lat, srid=4326), **kwargs)


# --- the page without JavaScript ------------------------------------------------

@pytest.mark.django_db
def test_home_lists_newest_reports_with_links_and_filters(client, city):
    other = CategoryFactory(slug="graffiti", name="Graffiti", default_department=city.department)
    older = ReportFactory(category=city.category, address="Markt 1")
    newer = ReportFactory(category=other, status=Report.Status.RESOLVED)
    hidden = ReportFactory(category=city.category, moderation=Report.Moderation.HIDDEN)

    html = client.get("/").content.decode()

    assert f'href="/meldungen/{newer.pk}/"' in html and f'href="/meldungen/{older.pk}/"' in html
    assert f'href="/meldungen/{hidden.pk}/"' not in html
    assert html.index(f"/meldungen/{newer.pk}/") < html.index(f"/meldungen/{older.pk}/")  # newest first
    assert "Markt 1" in html
    assert "2 Meldungen passen zum Filter." in html
    assert 'name="status" value="resolved" id="f-status-resolved"' in html
    assert 'name="category" value="graffiti" id="f-category-graffiti"' in html
    assert '<form method="get" action="/" id="filter-form">' in html


@pytest.mark.django_db
def test_home_filter_by_status_and_category(client, city):
    other = CategoryFactory(slug="graffiti", name="Graffiti", default_department=city.department)
    pothole_open = ReportFactory(category=city.category, status=Report.Status.OPEN)
    pothole_done = ReportFactory(category=city.category, status=Report.Status.RESOLVED)
    graffiti_open = ReportFactory(category=other, status=Report.Status.OPEN)

    html = client.get("/?status=open&category=schlagloch").content.decode()
    assert f"/meldungen/{pothole_open.pk}/" in html
    assert f"/meldungen/{pothole_done.pk}/" not in html
    assert f"/meldungen/{graffiti_open.pk}/" not in html
    assert "1 Meldung passt zum Filter." in html
    assert 'value="open" id="f-status-open" checked' in html
    assert 'value="schlagloch" id="f-category-schlagloch" checked' in html
    assert '<details class="map-filter" id="map-filter" open>' in html

    html = client.get("/?status=open&status=resolved").content.decode()
    assert "3 Meldungen passen zum Filter." in html

    # Unknown values (a tampered URL) are ignored rather than failing the page.
    response = client.get("/?status=nonsense&category=nonsense&seite=x")
    assert response.status_code == 200
    assert "3 Meldungen passen zum Filter." in response.content.decode()


@pytest.mark.django_db
def test_home_list_pages(client, city):
    reports = [ReportFactory(category=city.category) for _ in range(21)]

    first = client.get("/?status=submitted").content.decode()
    assert first.count('class="report-item"') == 20
    assert 'href="?status=submitted&amp;seite=2" rel="next"' in first
    second = client.get("/?status=submitted&seite=2").content.decode()
    assert second.count('class="report-item"') == 1
    assert f"/meldungen/{reports[0].pk}/" in second  # the oldest
    assert 'href="?status=submitted&amp;seite=1" rel="prev"' in second


@pytest.mark.django_db
def test_home_structure_skip_link_map_name_and_report_button(client, city, settings):
    html = client.get("/").content.decode()
    skip = html.index('<a class="skip-map" href="#reports">Karte überspringen</a>')
    map_container = html.index('<div id="map" class="map" role="region" aria-label="Karte der Meldungen"')
    target = html.index('<section id="reports" class="map-side" tabindex="-1"')
    assert skip < map_container < target
    assert 'id="report-here" href="/melden/"' in html
    assert "Hier ein Problem melden" in html
    # Legend: every status as symbol (shape) and text.
    for value, label in Report.Status.choices:
        assert re.search(rf'<li data-status="{value}" data-symbol="\w+"><svg class="sym st-{value}"[^>]*>'
                         rf'<use href="#sym-\w+"></use></svg><span class="legend-label">{label}</span></li>', html)
    # The city's own basemap unless TILE_URL is set (default: empty); MapLibre and the style are ours.
    assert 'data-tile-url=""' in html
    assert 'data-style-url="/karte/basemap/style.json"' in html
    assert 'data-glyphs-url="/karte/basemap/fonts/{fontstack}/{range}.pbf"' in html
    assert 'data-maplibre-url="/static/vendor/maplibre-gl/maplibre-gl.mjs"' in html
    assert '<script type="module" src="/static/frontend/js/map.mjs"></script>' in html
    assert "leaflet" not in html


@pytest.mark.django_db
def test_home_with_tile_url_passes_the_raster_service(client, city, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
                         "TILE_ATTRIBUTION": "© Beispiel-Kacheln"}
    html = client.get("/").content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© Beispiel-Kacheln"' in html


@pytest.mark.django_db
def test_home_in_english(client, city):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_home_hands_the_script_the_report_tiles_and_the_list_page_size(client, city, settings):
    settings.OPENDATA = {**settings.OPENDATA, "TILES_AGGREGATE_BELOW_ZOOM": 12}
    html = client.get("/").content.decode()
    assert 'data-tiles-url="/ogc/collections/reports/tiles/WebMercatorQuad/{z}/{y}/{x}"' in html
    assert 'data-points-zoom="12"' in html
    assert 'data-page-size="20"' in html
    assert 'data-reports-url="/api/v1/reports/"' in html


@pytest.mark.django_db
def test_list_of_the_reports_in_view_pages_with_the_total(api_client, city, django_assert_max_num_queries):
    """The script's list request: one page of the reports in the bbox matching the filter,
    newest first, with numberMatched the total of all pages; the pages are disjoint."""
    rng = random.Random(5)
    inside = [ReportFactory(category=city.category, status=Report.Status.OPEN,
                            location=Point(CENTER[0] + rng.uniform(-0.004, 0.004),
                                           CENTER[1] + rng.uniform(-0.004, 0.004), srid=4326))
              for _ in range(45)]
    ReportFactory(category=city.category, status=Report.Status.RESOLVED, location=Point(*CENTER, srid=4326))
    ReportFactory(category=city.category, status=Report.Status.OPEN, location=Point(12.2, 50.95, srid=4326))
    ReportFactory(category=city.category, status=Report.Status.OPEN, location=Point(*CENTER, srid=4326),
                  moderation=Report.Moderation.HIDDEN)
    query = "/api/v1/reports/?status=open&bbox=12.07,50.87,12.09,50.89&limit=20&offset={}"
    pages = []
    for offset in (0, 20, 40):
        with django_assert_max_num_queries(3):  # constant per page, whatever the total
            response = api_client.get(query.format(offset))
        assert response.status_code == 200
        pages.append(response.json())
    assert [p["numberMatched"] for p in pages] == [45, 45, 45]
    assert [p["numberReturned"] for p in pages] == [20, 20, 5]
    ids = [f["id"] for p in pages for f in p["features"]]
    assert ids == [r.pk for r in sorted(inside, key=lambda r: (r.created_at, r.pk), reverse=True)]
    assert [link["rel"] for link in pages[1]["links"]] == ["next", "prev"]
    assert [link["rel"] for link in pages[2]["links"]] == ["prev"]


def _page_assets(html: str) -> list[str]:
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    return scripts + styles


def _gzip_size(url: str) -> int:
    assert url.startswith("/static/"), url  # no CDN, no third-party host
    path = finders.find(url.removeprefix("/static/"))
    assert path, url
    with open(path, "rb") as f:
        return len(gzip.compress(f.read(), compresslevel=9))


@pytest.mark.django_db
def test_home_javascript_and_css_under_520_kb_compressed(client, city, capsys):
    """What the map home loads, MapLibre's module and worker included (imported by map.mjs
    only when the browser has WebGL 2). MapLibre is about 450 KB of it; the page without WebGL
    loads app.js, map.mjs, maplibre-map.mjs and the CSS only."""
    html = client.get("/").content.decode()
    assets = _page_assets(html)
    # app.js, map.mjs; app.css, maplibre-gl.css, maplibre.css (shared by every map), map.css
    assert len(assets) == 6
    assets += ["/static/frontend/js/maplibre-map.mjs", "/static/vendor/maplibre-gl/maplibre-gl.mjs",
               "/static/vendor/maplibre-gl/maplibre-gl-worker.mjs"]
    sizes = {url: _gzip_size(url) for url in assets}
    total = sum(sizes.values())
    with capsys.disabled():
        print(f"\nmap home JS+CSS gzip: {total} bytes ({total / 1024:.1f} KiB) {sizes}")
    assert total < 520 * 1024
    without_webgl = total - sizes["/static/vendor/maplibre-gl/maplibre-gl.mjs"] \
        - sizes["/static/vendor/maplibre-gl/maplibre-gl-worker.mjs"]
    assert without_webgl < 60 * 1024


# --- the grid-cluster endpoint --------------------------------------------------

ZOOM = 14


@pytest.fixture
def grid_reports(city, public_precision):
    """Reports around three grid nodes at zoom 14 (cell ≈ 611 m): 3, 2 and 1 visible reports,
    each at most 100 mercator metres from its node, so they cannot fall into a neighbour cell.
    Public coordinates with 7 decimals (≈ 1 cm), so the centroids can be checked to 2e-6°."""
    public_precision(7)
    cell = cell_size(ZOOM)
    cx, cy = mercator(*CENTER)
    x0, y0 = round(cx / cell) * cell, round(cy / cell) * cell
    other = CategoryFactory(slug="graffiti", default_department=city.department)
    a = [report_at(x0, y0, category=city.category), report_at(x0 + 100, y0, category=city.category),
         report_at(x0, y0 - 100, category=other, status=Report.Status.RESOLVED)]
    report_at(x0 + 50, y0 + 50, category=city.category, moderation=Report.Moderation.HIDDEN)
    b = [report_at(x0 + 3 * cell + 80, y0 + 2 * cell, category=city.category),
         report_at(x0 + 3 * cell - 80, y0 + 2 * cell, category=city.category)]
    c = [report_at(x0 - 4 * cell, y0 - cell, category=other, status=Report.Status.RESOLVED)]
    report_at(x0 + 40 * cell, y0, category=city.category)  # outside the bbox below
    return {"cell": cell, "node": (x0, y0), "a": a, "b": b, "c": c}


def _bbox(x0, y0, cell, cells=10) -> str:
    west, south = lonlat(x0 - cells * cell, y0 - cells * cell)
    east, north = lonlat(x0 + cells * cell, y0 + cells * cell)
    return f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}"


@pytest.mark.django_db
def test_clusters_counts_per_cell(api_client, grid_reports):
    x0, y0 = grid_reports["node"]
    cell = grid_reports["cell"]

    response = api_client.get("/api/v1/reports/clusters", {"bbox": _bbox(x0, y0, cell), "zoom": ZOOM})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["numberMatched"] == 6
    assert body["zoom"] == ZOOM
    assert body["cellSize_m"] == pytest.approx(cell, abs=0.001)
    cells = [(f["properties"]["count"], f["properties"]["report_id"]) for f in body["features"]]
    assert cells == [(3, None), (2, None), (1, grid_reports["c"][0].pk)]
    # The symbol sits at the centroid of the cell's reports (mean in mercator metres).
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(lonlat(x0 + 100 / 3, y0 - 100 / 3)[0], abs=2e-6)
    assert lat == pytest.approx(lonlat(x0 + 100 / 3, y0 - 100 / 3)[1], abs=2e-6)


@pytest.mark.django_db
def test_clusters_filters(api_client, grid_reports):
    x0, y0 = grid_reports["node"]
    bbox = _bbox(x0, y0, grid_reports["cell"])

    resolved = api_client.get("/api/v1/reports/clusters", {"bbox": bbox, "zoom": ZOOM, "status": "resolved"}).json()
    assert sorted(f["properties"]["count"] for f in resolved["features"]) == [1, 1]
    assert resolved["numberMatched"] == 2

    graffiti = api_client.get("/api/v1/reports/clusters",
                              {"bbox": bbox, "zoom": ZOOM, "category": "graffiti,schlagloch", "status": "submitted"})
    assert [f["properties"]["count"] for f in graffiti.json()["features"]] == [2, 2]

    # Zoomed far out everything in view is one cell.
    world = api_client.get("/api/v1/reports/clusters", {"bbox": "-180,-85,180,85", "zoom": 3}).json()
    assert [f["properties"]["count"] for f in world["features"]] == [7]


@pytest.mark.django_db
def test_clusters_match_raw_sql(api_client, city, public_precision):
    """300 random reports: the endpoint's cells equal a GROUP BY written independently in SQL
    over the public view (7 decimals, ≈ 1 cm, so no centroid is rounded out of its cell)."""
    public_precision(7)
    rng = random.Random(7)
    Report.objects.bulk_create([
        Report(location=Point(12.0 + rng.random() * 0.1, 50.85 + rng.random() * 0.05, srid=4326),
               category=city.category, department=city.department, routing_explanation={},
               moderation=rng.choice([Report.Moderation.PENDING, Report.Moderation.APPROVED,
                                      Report.Moderation.HIDDEN]))
        for _ in range(300)
    ])
    bbox = (12.01, 50.855, 12.09, 50.895)
    for zoom in (11, 13, 15):
        cell = cell_size(zoom)
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT round(ST_X(ST_Transform(location, 3857)) / %(cell)s)::int AS i,
                          round(ST_Y(ST_Transform(location, 3857)) / %(cell)s)::int AS j, count(*)
                   FROM reporter_public_report
                   WHERE location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)
                   GROUP BY i, j""",
                {"cell": cell, "x0": bbox[0], "y0": bbox[1], "x1": bbox[2], "y1": bbox[3]},
            )
            expected = {(i, j): n for i, j, n in cursor.fetchall()}

        body = api_client.get("/api/v1/reports/clusters",
                              {"bbox": ",".join(map(str, bbox)), "zoom": zoom}).json()

        # A cell's centroid lies inside the cell, so rounding it finds the cell's grid node.
        got = Counter()
        for feature in body["features"]:
            x, y = mercator(*feature["geometry"]["coordinates"])
            got[(round(x / cell), round(y / cell))] += feature["properties"]["count"]
        assert dict(got) == expected
        assert body["numberMatched"] == sum(expected.values())
        assert len(body["features"]) == len(expected)


@pytest.mark.django_db
def test_clusters_query_count(api_client, grid_reports, django_assert_max_num_queries):
    with django_assert_max_num_queries(3) as captured:  # the request's savepoint and its release
        api_client.get("/api/v1/reports/clusters", {"bbox": "11,50,13,51", "zoom": 12})
    assert [q["sql"].split()[0] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]] == ["WITH"]


BBOX_ERROR = "bbox: vier Zahlen erwartet (minLon,minLat,maxLon,maxLat)."
ZOOM_ERROR = "zoom: ganze Zahl von 0 bis 22 erwartet."


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "field", "message"), [
    ({"bbox": "12,50,13", "zoom": 12}, "bbox", BBOX_ERROR),
    ({"bbox": "a,b,c,d", "zoom": 12}, "bbox", BBOX_ERROR),
    ({"bbox": "13,50,12,51", "zoom": 12}, "bbox", "bbox: Minimum muss kleiner als Maximum sein."),
    ({"bbox": "12,50,200,51", "zoom": 12}, "bbox", "bbox: Koordinaten außerhalb des gültigen Bereichs (WGS 84)."),
    ({"zoom": 12}, "bbox", "Dieses Feld ist zwingend erforderlich."),
    ({"bbox": "12,50,13,51"}, "zoom", "Dieses Feld ist zwingend erforderlich."),
    ({"bbox": "12,50,13,51", "zoom": "x"}, "zoom", ZOOM_ERROR),
    ({"bbox": "12,50,13,51", "zoom": "-1"}, "zoom", ZOOM_ERROR),
    ({"bbox": "12,50,13,51", "zoom": "23"}, "zoom", ZOOM_ERROR),
    ({"bbox": "12,50,13,51", "zoom": "12", "status": "kaputt"}, "status", "Unbekannter Status: kaputt"),
])
def test_clusters_rejects_bad_input(api_client, params, field, message):
    response = api_client.get("/api/v1/reports/clusters", params)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}


