"""In Chromium, with the Content-Security-Policy on (config.csp): the map home, the report form,
the back office, the statistics heat map, a dataset page with its map preview, the admin's
resource preview (all maps MapLibre GL JS) and the crew app (also offline) all work, and the
browser reports no CSP violation. (The other browser tests bypass the CSP: Playwright's
string predicates and axe-core's injected script would count as inline script.)"""
import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from opendata.models import Resource, ResourceFeature
from tests.factories import ReportFactory, UserFactory
from tests.fixtures_browser import DESKTOP
from tests.frontend.test_crew_browser import GPS, crew_world
from tests.frontend.test_crew_browser import login as crew_login
from tests.opendata.factories import DatasetFactory, OrganizationFactory, bbox_polygon

pytestmark = pytest.mark.django_db(transaction=True)

# Every frame (also the srcdoc map documents) records violations in the top window.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const top = window.top;
  (top.__csp = top.__csp || []).push(e.violatedDirective + " " + e.blockedURI);
});
"""


def geo_resource() -> Resource:
    org = OrganizationFactory(name="tiefbauamt", title="Tiefbauamt")
    dataset = DatasetFactory(name="baustellen", title="Baustellen", owner_org=org,
                             spatial=bbox_polygon(12.03, 50.85, 12.11, 50.9))
    geo = Resource.objects.create(
        package=dataset, name="Baustellen (GeoJSON)", format="GeoJSON", url_type=Resource.UrlType.UPLOAD,
        upload="opendata/x/y/baustellen.geojson", size=1000, position=0,
        geo_ingest={"status": "ok", "feature_count": 2, "geometry_type": "Point", "source_srid": 4326,
                    "bbox": [12.05, 50.87, 12.06, 50.87], "encoding": "utf-8",
                    "fields": [{"name": "strasse", "type": "str"}]})
    for fid in (1, 2):
        ResourceFeature.objects.create(resource=geo, fid=fid, geometry=Point(12.04 + fid / 100, 50.87, srid=4326),
                                       properties={"strasse": f"Straße {fid}"})
    return geo


# A function, not an expression: Playwright would eval() an expression, which the policy forbids.
MAP_LOADED = "() => Boolean(window.stadtmelderMap && window.stadtmelderMap.loaded())"


def test_pages_work_without_csp_violations(new_context, city):
    for i in range(3):
        ReportFactory(category=city.category, department=city.department, location=Point(12.03 + i / 100, 50.87,
                                                                                           srid=4326))
    clerk = UserFactory(username="anna", is_staff=True, is_superuser=True)
    city.department.members.add(clerk)
    resource = geo_resource()

    context = new_context(viewport=DESKTOP, bypass_csp=False)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console, errors, headers = [], [], []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: headers.append(r.headers.get("content-security-policy"))
            if r.request.resource_type == "document" else None)

    def violations() -> list[str]:
        return page.evaluate("window.__csp || []") + [m for m in console if "Content Security Policy" in m]

    page.goto("/")
    # MapLibre (module, worker, style, tiles, glyphs, status images from data: URLs) under the policy:
    # the summary changes only once the style has loaded and the report layers are in (at the
    # city's zoom the report tiles carry counts per cell: "…, nach Gebiet zusammengefasst").
    expect(page.locator("#map canvas.maplibregl-canvas")).to_be_visible()
    expect(page.locator("#map-summary")).to_contain_text("3 Meldungen im Kartenausschnitt")
    assert page.evaluate("document.documentElement.classList.contains('js')")  # the nonce script ran

    page.goto("/melden/")
    expect(page.locator("#report-form")).to_be_visible()
    page.wait_for_function(MAP_LOADED)  # the picker's MapLibre map
    assert page.evaluate("document.documentElement.classList.contains('js')")

    # The other MapLibre maps: the heat map, the dataset preview.
    page.goto("/statistik/")
    page.wait_for_function("() => window.stadtmelderMap && window.stadtmelderMap.loaded() && "
                           "Boolean(window.stadtmelderMap.getLayer('report-heat'))")

    page.goto("/dataset/baustellen")
    page.wait_for_function(MAP_LOADED)

    page.goto("/sachbearbeitung/anmelden/")
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sachbearbeitung/")
    page.goto("/sachbearbeitung/meldungen/")  # the report queue with its map
    expect(page.locator("#queue-table tbody tr")).to_have_count(3)
    expect(page.locator("#map-status")).to_have_text("3 Meldungen auf der Karte")  # MapLibre's layer is in

    page.goto(f"/admin/opendata/resource/{resource.pk}/change/")  # same session as the back office
    page.wait_for_function(MAP_LOADED)  # MapLibre in the admin

    assert violations() == []
    assert errors == []
    assert headers and all(h and "default-src 'self'" in h for h in headers)


def test_crew_app_works_offline_without_csp_violations(new_context, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _worker, tasks = crew_world()
    context = new_context(geolocation=GPS, permissions=["geolocation"], bypass_csp=False)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text))
    crew_login(page)
    expect(page.locator(".task-link")).to_have_count(3)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    expect(page.locator(".task-link")).to_have_count(3)
    context.set_offline(True)  # the task page now comes from the service worker's cache
    page.locator(".task-link").first.click()
    page.wait_for_url(f"**/crew/aufgabe/?id={tasks[0].pk}")
    expect(page.locator("h1")).to_have_text(f"Schlagloch #{tasks[0].pk}")
    assert page.evaluate("window.__csp || []") == []
    assert [m for m in console if "Content Security Policy" in m] == []
