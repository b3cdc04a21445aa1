"""The admin's geometry maps in Chromium, with the Content-Security-Policy on: a superuser opens
the change page of every model with a geometry widget, OpenLayers (from our origin) draws the
map on the city's basemap tiles with no console error or CSP violation, and no request leaves
the live server. On the partner location the point is moved by clearing it and clicking the
map; a report's location is drawn without editing tools; a location row added to a partner
gets its map too."""
from urllib.parse import urlparse

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from geodata.models import Address, Place
from services.sozialcard.models import Partner, PartnerLocation
from tests.config.test_csp_browser import RECORD_VIOLATIONS
from tests.factories import AreaFactory, DepartmentFactory, ReportFactory, UserFactory
from tests.fixtures_browser import DESKTOP, request_hosts, wait_for
from tests.opendata.factories import DatasetFactory, bbox_polygon

pytestmark = pytest.mark.django_db(transaction=True)

MAP_CANVAS = ".dj_map .ol-viewport canvas"


def _pages():
    department = DepartmentFactory(slug="sozialamt", name="Sozialamt")
    partner = Partner.objects.create(name="Stadtbad", department=department)
    location = PartnerLocation.objects.create(partner=partner, name="Stadtbad", address="Badstraße 1",
                                              point=Point(12.0733, 50.8773, srid=4326))
    place = Place.objects.create(name="Johannisplatz", kind="square", point=Point(12.0797, 50.8797, srid=4326))
    address = Address.objects.create(street="Rathausstraße", number=5, postcode="07545", city="Gera",
                                     point=Point(12.0801, 50.8790, srid=4326), source="demo")
    dataset = DatasetFactory(spatial=bbox_polygon(12.03, 50.85, 12.11, 50.9))
    report = ReportFactory(location=Point(12.05, 50.875, srid=4326))
    return location, {
        "/admin/opendata/dataset/add/": 1,
        f"/admin/opendata/dataset/{dataset.pk}/change/": 1,
        f"/admin/geodata/jurisdictionarea/{AreaFactory().pk}/change/": 1,
        f"/admin/geodata/place/{place.pk}/change/": 1,
        f"/admin/geodata/address/{address.pk}/change/": 1,
        f"/admin/reporter/report/{report.pk}/change/": 1,
        f"/admin/sozialcard/partnerlocation/{location.pk}/change/": 1,
        f"/admin/sozialcard/partner/{partner.pk}/change/": 1,  # the locations inline
    }


def _login(page):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pw-12345678")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_every_geometry_map_renders_from_our_origin(new_context, live_server):
    location, pages = _pages()
    context = new_context(viewport=DESKTOP, bypass_csp=False)
    context.add_init_script(RECORD_VIOLATIONS)
    hosts = request_hosts(context)
    page = context.new_page()
    console, errors, tiles = [], [], []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: tiles.append(r.url) if r.url.endswith(".mvt") else None)
    _login(page)

    for path, maps in pages.items():
        tiles.clear()
        page.goto(path)
        expect(page.locator(MAP_CANVAS)).to_have_count(maps)
        expect(page.locator(MAP_CANVAS).first).to_be_visible()
        assert wait_for(page, lambda: tiles), path  # the base layer asks our basemap for its vector tiles
        assert all(urlparse(url).path.startswith("/karte/basemap/") for url in tiles), (path, tiles)
        assert page.evaluate("window.__csp || []") == [], path

    assert console == [] and errors == []
    assert hosts == {urlparse(live_server.url).netloc}, hosts


def test_a_point_is_moved_on_the_map_and_a_report_location_is_not_editable(new_context):
    location, pages = _pages()
    page = new_context(viewport=DESKTOP).new_page()
    _login(page)
    report_path = next(path for path in pages if "/reporter/report/" in path)
    page.goto(report_path)
    expect(page.locator(MAP_CANVAS)).to_have_count(1)
    page.wait_for_function("() => (window.stadtmelderAdminMaps || []).length === 1")
    assert page.evaluate("""() => { const w = window.stadtmelderAdminMaps[0];
        return [w.interactions.draw.getActive(), w.interactions.modify.getActive(),
                w.featureCollection.getLength()]; }""") == [False, False, 1]
    assert page.locator(".clear_features").count() == 0

    page.goto(f"/admin/sozialcard/partnerlocation/{location.pk}/change/")
    page.wait_for_function("() => (window.stadtmelderAdminMaps || []).length === 1")
    page.locator(".clear_features a").click()
    box = page.locator("#id_point_map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2)
    clicked = page.evaluate("""() => { const w = window.stadtmelderAdminMaps[0];
        return ol.proj.toLonLat(w.featureCollection.item(0).getGeometry().getCoordinates()); }""")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/sozialcard/partnerlocation/")
    location.refresh_from_db()
    assert (round(location.point.x, 6), round(location.point.y, 6)) == (round(clicked[0], 6), round(clicked[1], 6))
    assert (round(location.point.x, 4), round(location.point.y, 4)) != (12.0733, 50.8773)

    page.goto(f"/admin/sozialcard/partner/{location.partner_id}/change/")
    expect(page.locator(MAP_CANVAS)).to_have_count(1)
    page.locator("#locations-group .add-row a").click()
    expect(page.locator(MAP_CANVAS)).to_have_count(2)  # started on Django's formset:added
    expect(page.locator("#id_locations-1-point_map .ol-viewport")).to_have_count(1)
