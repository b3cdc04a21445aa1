"""The admin's map preview in Chromium: a superuser opens a resource whose GeoJSON property is
named `<img src=x onerror=…>` and clicks the feature; the popup shows the name as text and no
script of the file runs (no dialog, no flag set in the admin page). The map is MapLibre on
our basemap, drawn in the admin page itself; no request leaves the live server."""
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from opendata.models import Resource, ResourceFeature
from tests.fixtures_browser import DESKTOP
from tests.opendata.factories import DatasetFactory, OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)

FIELD = '<img src=x onerror="window.__xss = 1; window.top.__xss = 1; alert(1)">'
VALUE = '<img src=y onerror="window.__xss = 2; window.top.__xss = 2; alert(2)">'


def test_hostile_property_names_do_not_run_in_the_admin_preview(new_context, live_server):
    get_user_model().objects.create_superuser("admin", "admin@stadt.example", "geheim-123")
    dataset = DatasetFactory(owner_org=OrganizationFactory(name="tiefbauamt", title="Tiefbauamt"))
    resource = Resource.objects.create(
        package=dataset, name="Bäume", format="GeoJSON", url_type=Resource.UrlType.UPLOAD,
        upload="opendata/x/y/baeume.geojson",
        geo_ingest={"status": "ok", "feature_count": 1, "geometry_type": "Point", "bbox": [12.08, 50.88, 12.08, 50.88],
                    "fields": [{"name": FIELD, "type": "string"}]},
    )
    ResourceFeature.objects.create(resource=resource, fid=1, geometry=Point(12.08, 50.88, srid=4326),
                                   properties={FIELD: VALUE})
    context = new_context(viewport=DESKTOP)
    hosts = set()
    context.on("request", lambda r: hosts.add(urlparse(r.url).netloc) if r.url.startswith("http") else None)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto("/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "geheim-123")
    page.click("input[type=submit]")
    page.goto(f"/admin/opendata/resource/{resource.pk}/change/")

    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded() && "
                           "window.stadtmelderMap.getLayer('resource-features-points')")
    # The one point is fitted into view: click it.
    page.locator("#resource-preview-map").scroll_into_view_if_needed()
    point = page.evaluate("""() => { const map = window.stadtmelderMap;
      const p = map.project([12.08, 50.88]); const r = map.getCanvas().getBoundingClientRect();
      return [r.left + p.x, r.top + p.y]; }""")
    page.mouse.click(*point)
    popup = page.locator(".maplibregl-popup .resource-popup")
    expect(popup).to_contain_text('<img src=x onerror="window.__xss = 1;')  # shown as text
    expect(popup).to_contain_text('<img src=y onerror="window.__xss = 2;')
    assert popup.locator("img").count() == 0
    page.wait_for_timeout(300)  # an image's error event would have fired by now
    assert dialogs == []
    assert page.evaluate("() => window.__xss === undefined")
    assert hosts == {urlparse(live_server.url).netloc}, hosts
