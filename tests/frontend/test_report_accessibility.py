"""axe-core (WCAG 2.1 A/AA) finds no violation on the report pages at phone and desktop width,
and the main pages are photographed at phone width for docs/screenshots/."""
import pytest
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from geodata.models import Place
from reporter import services
from reporter.models import Report, ReportPhoto
from tests.factories import CategoryFactory, ReportFactory, city_build
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot
from tests.reporter.images import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = jpeg_bytes(size=(480, 360), color=(120, 110, 100))


def data():
    city = city_build()
    for order, (slug, name, icon) in enumerate([("laterne", "Straßenlaterne defekt", "light"),
                                                ("muell", "Illegale Müllablagerung", "trash"),
                                                ("baum", "Umgestürzter Baum / Astbruch", "tree"),
                                                ("spielplatz", "Spielplatz beschädigt", "playground"),
                                                ("graffiti", "Graffiti", "graffiti")]):
        CategoryFactory(slug=slug, name=name, icon=icon, order=order + 1, default_department=city.department,
                        questions=[{"key": "anstoessig", "label": "Anstößiger Inhalt?", "type": "boolean"}]
                        if slug == "graffiti" else [])
    city.category.icon, city.category.order = "pothole", 0
    city.category.save()
    Place.objects.create(name="Johannisplatz", kind="square", point=Point(12.08, 50.88, srid=4326))
    Place.objects.create(name="Johanniskirche", kind="landmark", point=Point(12.079, 50.881, srid=4326))
    report = services.report_create(category=city.category, point=Point(12.0797, 50.8797, srid=4326),
                                    address="Johannisplatz", description="Tiefes Loch in der Fahrbahn")
    services.report_moderate(report=report, moderation=Report.Moderation.APPROVED,
                             public_description="Tiefes Loch in der Fahrbahn, etwa 30 cm breit.")
    services.report_status_change(report=report, to_status=Report.Status.OPEN,
                                  note_public="Vielen Dank, wir kümmern uns.")
    services.report_status_change(report=report, to_status=Report.Status.IN_PROGRESS,
                                  note_public="Die Kolonne ist für Donnerstag eingeplant.")
    p = ReportPhoto(report=report, content_type="image/jpeg", original_bytes=len(PHOTO),
                    moderation=ReportPhoto.Moderation.APPROVED, processing=ReportPhoto.Processing.DONE)
    p.original.save("original", ContentFile(PHOTO), save=False)
    p.image.save("image.jpg", ContentFile(PHOTO), save=False)
    p.thumbnail.save("thumb.jpg", ContentFile(PHOTO), save=False)
    p.save()
    resolved = ReportFactory(category=city.category, department=city.department, status=Report.Status.RESOLVED,
                             location=Point(12.06, 50.87, srid=4326))
    return Report.objects.get(pk=report.pk), resolved


def open_page(new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    # Media files are written to a temporary directory the live server does not serve.
    page.route("**/media/reports/**", lambda route: route.fulfill(body=PHOTO, content_type="image/jpeg"))
    return page


def assert_no_violations(page, where):
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_report_pages_have_no_axe_violations(new_context, viewport):
    report, resolved = data()
    page = open_page(new_context, viewport)

    page.goto("/melden/")
    expect(page.locator("#report-details")).to_be_visible()
    # The location picker drawn by MapLibre, with its marker (a draggable button) placed.
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded()")
    page.locator("#report-map canvas").click()
    page.locator("#report-map .maplibregl-marker").wait_for()
    assert_no_violations(page, "/melden/")
    page.goto("/melden/")  # again without a place: the errors below need a missing location
    expect(page.locator("#report-details")).to_be_visible()
    page.get_by_label("Graffiti", exact=True).check()
    expect(page.get_by_role("group", name="Anstößiger Inhalt? (freiwillig)")).to_be_visible()
    page.get_by_label("Straße, Platz oder bekannter Ort").fill("Johannis")
    expect(page.locator("#place-suggestions")).to_be_visible()
    assert_no_violations(page, "/melden/ with suggestions")
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.locator("#js-error-summary")).to_be_visible()
    assert_no_violations(page, "/melden/ with errors")

    page.goto(f"/meldungen/{report.pk}/")
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded()")
    assert_no_violations(page, "report page")
    page.goto(f"/verfolgen/{resolved.tracking_token}/")
    expect(page.get_by_role("heading", name="Nicht behoben? Wieder öffnen")).to_be_visible()
    assert_no_violations(page, "tracking page with reopen form")
    page.goto("/meldungen/999999/")
    assert_no_violations(page, "404 page")

    page.goto(f"/melden/gesendet/{report.tracking_token}/")
    assert_no_violations(page, "confirmation")
    page.goto("/meine-meldungen/")
    expect(page.locator("#my-reports-list .status")).to_have_text("in Bearbeitung")
    assert_no_violations(page, "/meine-meldungen/")


def test_screenshots_at_phone_width(new_context):
    report, _resolved = data()
    page = open_page(new_context, PHONE)
    page.goto("/melden/")
    page.get_by_label("Schlagloch", exact=True).check()
    screenshot(page, "report-new-phone")
    page.goto(f"/meldungen/{report.pk}/")
    expect(page.locator(".photo-gallery img")).to_be_visible()
    screenshot(page, "report-page-phone")
    page.goto(f"/melden/gesendet/{report.tracking_token}/")
    page.goto("/meine-meldungen/")
    expect(page.locator("#my-reports-list .status")).to_have_text("in Bearbeitung")
    screenshot(page, "my-reports-phone")
