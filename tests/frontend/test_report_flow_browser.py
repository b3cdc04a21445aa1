"""The report flow in a real browser (Debian's headless Chromium via Playwright, live server).

(a) a phone with emulated geolocation files a report with a photo that carries EXIF GPS,
(b) the same with the keyboard only and without geolocation, through the place search,
(c) offline → online sends the report exactly once,
plus the flow with JavaScript switched off.
"""
from urllib.parse import urlparse

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from geodata.models import Place
from reporter.models import Report, ReportPhoto
from tests.factories import ReportFactory, city_build
from tests.fixtures_browser import axe_violations, expect_map_replaced_by_note, request_hosts, wait_for
from tests.reporter.images import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

GPS = {"longitude": 12.05, "latitude": 50.875}
PHOTO_LON, PHOTO_LAT = 12.0612, 50.8823


def gazetteer():
    for name, kind, lon, lat in [("Johannisplatz", "square", 12.08, 50.88),
                                 ("Johanniskirche", "landmark", 12.079, 50.881),
                                 ("Heinrichstraße", "street", 12.0837, 50.8781)]:
        Place.objects.create(name=name, kind=kind, point=Point(lon, lat, srid=4326))


def tab_to(page, selector, limit=80):
    """Press Tab until `selector` has the focus (keyboard only, like a person without a mouse)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus")


def test_phone_files_report_with_gps_and_exif_photo_and_sees_its_tracking_page(new_context):
    city = city_build()
    nearby = ReportFactory(category=city.category, department=city.department,
                           location=Point(PHOTO_LON + 0.0002, PHOTO_LAT, srid=4326))
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    page.goto("/melden/")
    page.get_by_label("Schlagloch", exact=True).check()
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    expect(page.locator("#location-status")).to_contain_text("lon 12.05000, lat 50.87500")
    expect(page.locator("#location-status")).to_contain_text("Zuständig: Tiefbauamt")

    photo = jpeg_bytes(size=(2400, 1800), lon=PHOTO_LON, lat=PHOTO_LAT)  # 4.3 MP
    page.set_input_files("#id_photos", files=[{"name": "loch.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    expect(page.locator("#exif-offer")).to_contain_text("lon 12.06120, lat 50.88230")
    expect(page.locator("#photo-list")).to_contain_text("verkleinert auf 1633 × 1225 Pixel")
    page.get_by_role("button", name="Ort aus dem Foto übernehmen").click()
    expect(page.locator("#location-status")).to_contain_text("lon 12.06120, lat 50.88230")

    # Nearby open report of the same category, fetched from the API before sending.
    expect(page.locator("#nearby")).to_be_visible()
    expect(page.locator("#nearby")).to_contain_text(f"#{nearby.pk}")
    page.get_by_label("Beschreibung (freiwillig)", exact=True).fill("Tiefes Loch am Bordstein")
    page.get_by_role("button", name="Trotzdem eigene Meldung senden").click()

    page.wait_for_url("**/melden/gesendet/**")
    expect(page.locator("h1")).to_have_text("Vielen Dank! Ihre Meldung ist eingegangen.")
    report = Report.objects.exclude(pk=nearby.pk).get()
    assert (report.location.x, report.location.y) == pytest.approx((PHOTO_LON, PHOTO_LAT), abs=1e-6)
    assert (report.channel, report.description, report.department) == ("web", "Tiefes Loch am Bordstein",
                                                                        city.department)
    photo_row = ReportPhoto.objects.get(report=report)
    assert (photo_row.width, photo_row.height, photo_row.content_type) == (1633, 1225, "image/jpeg")
    assert len(report.submission_key) == 36  # crypto.randomUUID()

    page.locator("#tracking-link").click()
    page.wait_for_url(f"**/verfolgen/{report.tracking_token}/")
    expect(page.locator("h1")).to_have_text("Schlagloch")
    expect(page.locator(".report-facts")).to_contain_text("lon 12.0612, lat 50.8823")
    expect(page.locator(".timeline")).to_contain_text("eingegangen")


def test_keyboard_only_without_geolocation_uses_the_place_search(new_context):
    city_build()
    gazetteer()
    page = new_context().new_page()
    page.goto("/melden/")
    tab_to(page, "input[name=category]")
    page.keyboard.press("Space")
    tab_to(page, "#id_place_query")
    page.keyboard.type("johannispl")
    expect(page.locator("#place-suggestions [role=option]").first).to_contain_text("Johannisplatz (Platz)")
    expect(page.locator("#id_place_query")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_place_query")).to_have_attribute("aria-activedescendant", "place-suggestions-0")
    page.keyboard.press("Enter")
    expect(page.locator("#location-status")).to_contain_text("Johannisplatz")
    tab_to(page, "#id_description")
    page.keyboard.type("Schlagloch vor der Kirche")
    tab_to(page, "#submit-button")
    page.keyboard.press("Enter")

    page.wait_for_url("**/melden/gesendet/**")
    report = Report.objects.get()
    assert (report.location.x, report.location.y, report.address) == (12.08, 50.88, "Johannisplatz")
    assert report.description == "Schlagloch vor der Kirche"


def test_keyboard_errors_are_summarised_and_focused(new_context):
    city_build()
    page = new_context().new_page()
    page.goto("/melden/")
    tab_to(page, "#submit-button")
    page.keyboard.press("Enter")
    summary = page.locator("#js-error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_text(["Bitte wählen Sie aus, was Sie melden möchten.",
                                               "Bitte geben Sie an, wo das Problem ist: Standort, Karte, Ortssuche "
                                               "oder Koordinaten."])
    assert not Report.objects.exists()


def test_offline_report_waits_and_is_sent_exactly_once_when_online(new_context):
    city_build()
    context = new_context(geolocation=GPS, permissions=["geolocation"])
    page = context.new_page()
    page.goto("/melden/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.get_by_label("Schlagloch", exact=True).check()
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    expect(page.locator("#location-status")).to_contain_text("lon 12.05000")

    context.set_offline(True)
    page.set_input_files("#id_photos", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    expect(page.locator("#photo-list li")).to_have_count(1)
    page.get_by_label("Beschreibung (freiwillig)", exact=True).fill("offline geschrieben")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.locator("#report-queued")).to_be_visible()
    expect(page.locator("#report-queued")).to_contain_text("wartet auf Versand")
    response = page.goto("/meine-meldungen/")
    assert response.from_service_worker  # the app shell, cached by sw.js
    expect(page.locator("#my-reports-list")).to_contain_text("wartet auf Versand")
    page.wait_for_timeout(500)
    assert not Report.objects.exists()

    context.set_offline(False)
    assert wait_for(page, lambda: Report.objects.count() == 1)
    expect(page.locator("#my-reports-list")).not_to_contain_text("wartet auf Versand")
    expect(page.locator("#my-reports-list .status")).to_have_text("eingegangen")
    page.reload()
    expect(page.locator("#my-reports-list li")).to_have_count(1)
    page.wait_for_timeout(1000)
    report = Report.objects.get()
    assert (report.description, ReportPhoto.objects.filter(report=report).count()) == ("offline geschrieben", 1)
    assert page.evaluate("StadtmelderOutbox.drafts().then((d) => d.length)") == 0


def test_without_javascript_the_two_step_form_files_a_report(new_context):
    city = city_build()
    gazetteer()
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/melden/")
    expect(page.locator("#report-details")).to_be_hidden()
    page.get_by_label("Schlagloch", exact=True).check()
    page.get_by_label("Straße, Platz oder bekannter Ort").fill("Johannis")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Johanniskirche").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.locator(".summary")).to_contain_text("Johanniskirche")
    page.set_input_files("#id_photos", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.get_by_label("E-Mail-Adresse für Rückmeldungen (freiwillig)").fill("b@example.org")
    page.get_by_role("button", name="Meldung senden").click()
    page.wait_for_url("**/melden/gesendet/**")
    report = Report.objects.get()
    assert (report.address, report.department, report.reporter_email) == ("Johanniskirche", city.department,
                                                                          "b@example.org")
    assert ReportPhoto.objects.filter(report=report).count() == 1


def test_outside_the_city_the_responsible_authority_is_named(new_context):
    city_build()
    page = new_context().new_page()
    page.goto("/melden/")
    page.get_by_label("Schlagloch", exact=True).check()
    page.get_by_text("Oder Koordinaten eingeben").click()
    page.get_by_label("Längengrad (lon)").fill("12.15")
    page.get_by_label("Breitengrad (lat)").fill("50,87")  # decimal comma, as typed in German
    page.get_by_label("Breitengrad (lat)").press("Tab")
    message = "Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: Landratsamt Greiz."
    expect(page.locator("#location-status")).to_have_text(message)
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.locator("#js-error-summary a")).to_have_text([message])
    assert not Report.objects.exists()


def test_support_instead_of_a_new_report(new_context):
    city = city_build()
    existing = ReportFactory(category=city.category, department=city.department,
                             location=Point(12.0501, 50.875, srid=4326))
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    page.goto("/melden/")
    page.get_by_label("Schlagloch", exact=True).check()
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    page.get_by_role("button", name=f"Stattdessen unterstützen (Meldung #{existing.pk})").click()
    page.wait_for_url(f"**/meldungen/{existing.pk}/")
    expect(page.locator(".messages")).to_have_text("Danke! Ihre Unterstützung wurde gezählt.")
    assert Report.objects.get().supporter_count == 1


def test_keyboard_on_the_map_sets_the_map_centre(new_context):
    city_build()
    page = new_context().new_page()
    page.goto("/melden/")
    # MapLibre's canvas takes the focus (arrows pan, + and − zoom); Enter takes the centre.
    tab_to(page, "#report-map canvas.maplibregl-canvas")
    page.keyboard.press("Enter")
    expect(page.locator("#location-status")).to_contain_text("lon 12.08000, lat 50.88000")
    page.wait_for_function("document.querySelector('#report-map .maplibregl-marker') !== null")
    assert page.locator("#report-map .maplibregl-marker").get_attribute("aria-label") == "Ort gesetzt"


def test_click_places_and_drag_moves_the_marker_from_our_host_only(new_context, live_server):
    city_build()
    context = new_context(viewport={"width": 1280, "height": 900})
    hosts = request_hosts(context)
    page = context.new_page()
    page.goto("/melden/")
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded()")
    box = page.locator("#report-map canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#location-status")).to_contain_text("Ort gesetzt: lon 12.08")
    # The click lands on the map centre, to a pixel (~19 m at the start zoom 13).
    clicked = float(page.locator("#id_lon").input_value())
    assert clicked == pytest.approx(12.08, abs=3e-4)
    assert float(page.locator("#id_lat").input_value()) == pytest.approx(50.88, abs=2e-4)
    marker = page.locator("#report-map .maplibregl-marker")
    start = marker.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y, steps=5)
    page.mouse.up()
    page.wait_for_function(f"parseFloat(document.getElementById('id_lon').value) > {clicked} + 1e-4")
    assert hosts == {urlparse(live_server.url).netloc}, hosts


def test_without_webgl_the_picker_says_so_and_coordinates_still_work(no_webgl_page):
    city_build()
    page = no_webgl_page
    page.goto("/melden/")
    expect_map_replaced_by_note(page, "#report-map", "#report-map-note")
    assert page.locator("#map-hint").is_hidden()
    assert not any("maplibre-gl.mjs" in path for path in page.requested)
    page.locator(".coordinates summary").click()
    page.fill("#id_lon", "12.07")
    page.fill("#id_lat", "50.88")
    page.locator("#id_lat").dispatch_event("change")
    expect(page.locator("#location-status")).to_contain_text("lon 12.07000, lat 50.88000")
    assert axe_violations(page) == []


def test_heic_photos_are_sent_as_they_are(new_context):
    city_build()
    page = new_context().new_page()
    page.goto("/melden/")
    page.set_input_files("#id_photos", files=[{"name": "IMG_0001.HEIC", "mimeType": "image/heic",
                                               "buffer": b"\x00\x00\x00\x18ftypheic" + bytes(64)}])
    expect(page.locator("#photo-list")).to_contain_text("IMG_0001.HEIC – wird unverändert gesendet")


def test_reduced_motion_the_picker_jumps_to_a_prefilled_place(new_context):
    city_build()
    page = new_context(reduced_motion="reduce").new_page()
    page.goto("/melden/?lon=12.07&lat=50.885")
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded()")
    page.locator("#report-map .maplibregl-marker").wait_for()
    # No camera animation: already at the place, zoomed in to 16 (MapLibre 15), not moving.
    state = page.evaluate("""() => { const map = window.stadtmelderMap;
      return {moving: map.isMoving(), centre: map.getCenter().toArray(), zoom: map.getZoom()}; }""")
    assert state["moving"] is False
    assert state["centre"] == pytest.approx([12.07, 50.885], abs=1e-6)
    assert state["zoom"] == 15
