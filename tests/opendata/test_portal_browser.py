"""The portal pages in Chromium: axe-core (WCAG 2.1 A/AA) finds no violation on the search,
dataset, organisation and group pages at phone and desktop width; the facets work with the
keyboard alone; the map preview draws; screenshots for docs/screenshots/."""
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from opendata.models import Resource, ResourceFeature
from tests.fixtures_browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    expect_map_replaced_by_note,
    request_hosts,
    screenshot,
)
from tests.opendata.factories import DatasetFactory, GroupFactory, OrganizationFactory, ResourceFactory, bbox_polygon

pytestmark = pytest.mark.django_db(transaction=True)

# MapLibre has drawn the dataset page's preview (opendata/js/dataset_map.mjs).
DATASET_MAP_DRAWN = ("window.stadtmelderMap && window.stadtmelderMap.loaded() && !window.stadtmelderMap.isMoving()"
                     " && window.stadtmelderMap.getLayer('dataset-features-points')")

START = datetime(2024, 1, 1, 9, tzinfo=UTC)


def data():
    """Two organisations, two groups, 23 datasets (two pages), one of them with an extent and
    an ingested GeoJSON resource."""
    tiefbau = OrganizationFactory(name="tiefbauamt", title="Tiefbauamt", description="Straßen, Wege und Brücken.",
                                  email="tiefbau@stadt.example")
    umwelt = OrganizationFactory(name="umweltamt", title="Umweltamt")
    GroupFactory(name="tran", title="Verkehr", theme="TRAN", description="Straßen, Radwege, Nahverkehr.")
    GroupFactory(name="envi", title="Umwelt", theme="ENVI")
    with time_machine.travel(START, tick=False):
        dataset = DatasetFactory(
            name="baustellen", title="Baustellen im Stadtgebiet", owner_org=tiefbau, tags=["verkehr", "baustellen"],
            groups=["tran"], license_id="dl-by-de/2.0",
            notes="Alle angemeldeten Baustellen im öffentlichen Straßenraum.\nAktualisiert jeden Morgen.",
            spatial=bbox_polygon(12.03, 50.85, 12.11, 50.9), temporal_start=date(2024, 1, 1), frequency="DAILY",
            maintainer="Tiefbauamt, Sachgebiet Baustellen", maintainer_email="baustellen@stadt.example",
        )
        ResourceFactory(package=dataset, name="Baustellen (CSV)", format="CSV", size=18_400, position=0)
        geo = Resource.objects.create(
            package=dataset, name="Baustellen (GeoJSON)", format="GeoJSON", url_type=Resource.UrlType.UPLOAD,
            upload="opendata/x/y/baustellen.geojson", size=52_300, position=1,
            geo_ingest={"status": "ok", "feature_count": 12, "geometry_type": "Point",
                        "fields": [{"name": "strasse", "type": "str"}, {"name": "art", "type": "str"},
                                   {"name": "bis", "type": "date"}]},
        )
        for fid in range(1, 13):
            ResourceFeature.objects.create(
                resource=geo, fid=fid, geometry=Point(12.04 + fid * 0.005, 50.86 + (fid % 5) * 0.007, srid=4326),
                properties={"strasse": f"Straße {fid}", "art": "Vollsperrung" if fid % 3 else "Halbseitig",
                            "bis": f"2024-0{1 + fid % 9}-15"})
    for i in range(22):
        with time_machine.travel(START + timedelta(days=i + 1), tick=False):
            owner = umwelt if i % 2 else tiefbau
            d = DatasetFactory(name=f"datensatz-{i:02d}", title=f"Messreihe {i:02d}", owner_org=owner,
                               tags=["verkehr" if i % 3 == 0 else "umwelt"], groups=["envi" if i % 2 else "tran"],
                               license_id="cc-by/4.0" if i % 2 else "dl-zero-de/2.0")
            ResourceFactory(package=d, format="CSV" if i % 2 else "JSON")


def assert_no_violations(page, where):
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_portal_pages_have_no_axe_violations(new_context, viewport):
    data()
    page = new_context(viewport=viewport).new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto("/dataset/")
    expect(page.get_by_role("heading", name="23 Datensätze gefunden")).to_be_visible()
    assert_no_violations(page, "/dataset/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_no_violations(page, "/dataset/ with all facets open")
    page.goto("/dataset/?tags=verkehr&organization=tiefbauamt&page=1")
    assert_no_violations(page, "/dataset/ with filters")
    page.goto("/dataset/?page=2")
    assert_no_violations(page, "/dataset/ page 2")
    page.goto("/dataset/?sort=nix")
    assert_no_violations(page, "/dataset/ with an error")

    page.goto("/dataset/baustellen")
    page.wait_for_function(DATASET_MAP_DRAWN)
    # Every feature of the preview is drawn (fitted into view), and the dashed extent.
    drawn = page.evaluate("""() => {
      const map = window.stadtmelderMap;
      const ids = new Set(map.queryRenderedFeatures({layers: ['dataset-features-fill', 'dataset-features-line',
                                                             'dataset-features-points']}).map(f => f.id));
      const data = JSON.parse(document.getElementById('dataset-map-data').textContent);
      return {drawn: ids.size, total: data.features.features.length,
              extent: map.queryRenderedFeatures({layers: ['dataset-extent-line']}).length > 0};
    }""")
    assert drawn["drawn"] == drawn["total"] and drawn["total"] >= 12 and drawn["extent"], drawn
    assert_no_violations(page, "/dataset/baustellen")

    for url in ("/organization/", "/organization/tiefbauamt", "/organization/tiefbauamt?page=1",
                "/group/", "/group/tran", "/dataset/gibt-es-nicht"):
        page.goto(url)
        assert_no_violations(page, url)
    assert errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_facets_with_the_keyboard_only(new_context, viewport):
    data()
    page = new_context(viewport=viewport).new_page()
    page.goto("/dataset/")

    def tab_to(selector: str, limit: int = 80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} not reached with Tab")

    def focus_is_visible():
        return page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"

    panel = page.locator("#facet-panel")
    tab_to("#facet-panel > summary")
    assert focus_is_visible()
    if viewport == PHONE:
        assert panel.get_attribute("open") is None  # phones start with the filters closed
        page.keyboard.press("Enter")
    expect(panel).to_have_attribute("open", "")
    tab_to('input[name="tags"][value="verkehr"]')
    assert focus_is_visible()
    page.keyboard.press("Space")
    expect(page.locator('input[name="tags"][value="verkehr"]')).to_be_checked()
    tab_to('button[type="submit"][form="dataset-search-form"].button:not(.secondary)')
    assert focus_is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/dataset/?*tags=verkehr*")
    expect(page.get_by_role("heading", name="9 Datensätze gefunden")).to_be_visible()

    # Add a second facet value the same way; then remove the first through its filter link.
    if viewport == PHONE:
        tab_to("#facet-panel > summary")
        page.keyboard.press("Enter")
    tab_to('input[name="organization"][value="umweltamt"]')
    page.keyboard.press("Space")
    tab_to('button[type="submit"][form="dataset-search-form"].button:not(.secondary)')
    page.keyboard.press("Enter")
    page.wait_for_url("**organization=umweltamt**")
    expect(page.get_by_role("heading", name="4 Datensätze gefunden")).to_be_visible()
    tab_to('a.filter-chip[href="/dataset/?organization=umweltamt"]')
    assert focus_is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/dataset/?organization=umweltamt")
    expect(page.get_by_role("heading", name="11 Datensätze gefunden")).to_be_visible()

    # Sorting and paging by keyboard.
    tab_to("#search-sort")
    page.keyboard.press("End")  # "Zuletzt geändert"
    expect(page.locator("#search-sort")).to_have_value("metadata_modified desc")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=metadata_modified+desc**")
    expect(page.locator(".dataset-title a").first).to_have_text("Messreihe 21")


def test_screenshots_at_phone_width(new_context):
    data()
    page = new_context(viewport=PHONE).new_page()
    page.goto("/dataset/?tags=verkehr")
    expect(page.get_by_role("heading", name="9 Datensätze gefunden")).to_be_visible()
    screenshot(page, "portal-search-phone")
    page.goto("/dataset/baustellen")
    page.wait_for_function(DATASET_MAP_DRAWN)
    # Title, description and the map preview in one phone screen.
    page.locator(".dataset-header").evaluate("el => el.scrollIntoView({block: 'start'})")
    screenshot(page, "portal-dataset-phone")


def test_dataset_map_loads_from_our_host_only(new_context, live_server):
    data()
    context = new_context(viewport=DESKTOP)
    hosts = request_hosts(context)
    page = context.new_page()
    page.goto("/dataset/baustellen")
    page.wait_for_function(DATASET_MAP_DRAWN)
    assert hosts == {urlparse(live_server.url).netloc}, hosts


def test_dataset_page_without_webgl_says_so_and_keeps_the_tables(no_webgl_page):
    data()
    page = no_webgl_page
    page.goto("/dataset/baustellen")
    expect_map_replaced_by_note(page, "#dataset-map", "#dataset-map-note")
    assert page.locator("#map-description").is_visible()
    assert_no_violations(page, "/dataset/baustellen without WebGL")
