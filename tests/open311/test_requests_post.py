"""POST /open311/v2/requests.json|.xml — filing a service request with an api_key: the
report is routed and stored (channel "api"); every bad input answers the Open311 error
document with the exact status and writes nothing."""
import json
import xml.etree.ElementTree as ET

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from geodata.models import Place
from notifications.models import Notification
from open311.models import Open311Client, Open311Submission
from reporter.models import Report, ReportPhoto, StatusChange
from tests.factories import AreaFactory, DepartmentFactory, LayerFactory, RuleFactory, square
from tests.reporter.images import jpeg_bytes, upload

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings, now):
    settings.SITE_URL = "https://melder.example"


@pytest.fixture
def north(pothole):
    """Potholes in the northern half of the city go to Tiefbauamt Nord (a routing rule)."""
    layer = LayerFactory(slug="bezirke", name="Bezirke")
    AreaFactory(layer=layer, name="Nord", geom=square(12.0, 50.875, 12.1, 50.9))
    department = DepartmentFactory(slug="tiefbau-nord", name="Tiefbauamt Nord")
    RuleFactory(name="Nord", category=pothole, layer=layer, department=department)
    return department


def form(key, /, **overrides) -> dict:
    data = {
        "api_key": key, "service_code": "schlagloch", "lat": "50.88", "long": "12.06",
        "attribute[groesse]": "groß", "attribute[anzahl]": "3", "attribute[gefahr]": "true",
        "attribute[hinweis]": "am Bordstein", "email": "erika@example.org", "first_name": "Erika",
        "last_name": "Mustermann", "phone": "+49 365 123456", "description": "Tiefes Loch, Telefon 0171 999",
        "jurisdiction_id": "gera.example", "device_id": "abc",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, fmt="json", **kwargs):
    return client.post(f"/open311/v2/requests.{fmt}", data, **kwargs)


def assert_nothing_written():
    assert Report.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert Open311Submission.objects.count() == 0
    assert Notification.objects.count() == 0
    assert Open311Client.objects.exclude(last_used_at=None).count() == 0


def test_post_files_a_routed_report(client, api_key, north, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form(api_key, media_url="https://fotos.example/loch.jpg"))
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    report = Report.objects.get()
    assert json.loads(response.content) == [{
        "service_request_id": report.pk,
        "service_notice": "Vielen Dank! Zuständig ist Tiefbauamt Nord. Zielzeit: bis 16.03.2026. Den Stand sehen "
                          f"Sie unter https://melder.example/verfolgen/{report.tracking_token}/",
        "account_id": None,
        "token": report.tracking_token,
    }]
    assert report.department == north
    assert report.channel == Report.Channel.API
    assert (report.location.x, report.location.y, report.location.srid) == (12.06, 50.88, 4326)
    assert report.answers == {"groesse": "groß", "anzahl": 3, "gefahr": True, "hinweis": "am Bordstein"}
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == (
        "Erika Mustermann", "erika@example.org", "+49 365 123456")
    assert report.description == "Tiefes Loch, Telefon 0171 999\n\nmedia_url: https://fotos.example/loch.jpg"
    assert (report.status, report.moderation, report.public_description) == ("submitted", "pending", "")
    assert report.routing_explanation["reason"] == "rule"
    assert str(report.due_date) == "2026-03-16"
    submission = Open311Submission.objects.get()
    assert (submission.report, submission.client.name) == (report, "Stadt-App")
    assert submission.client.last_used_at == NOW
    assert StatusChange.objects.filter(report=report, kind="created").count() == 1
    # The department and the reporter are told (outbox, on commit).
    assert set(Notification.objects.values_list("recipient", flat=True)) >= {"erika@example.org"}

    # Publicly: no personal data, no unmoderated text.
    listed = client.get("/open311/v2/requests.json").content.decode()
    assert json.loads(listed)[0]["description"] is None
    for private in ("Erika", "Mustermann", "erika@example.org", "123456", "0171", "fotos.example"):
        assert private not in listed


def test_post_xml_answer(client, api_key, pothole):
    response = post(client, form(api_key), fmt="xml")
    assert response.status_code == 201
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    report = Report.objects.get()
    assert report.department.name == "Tiefbauamt"
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request>'
        f"<service_request_id>{report.pk}</service_request_id>"
        "<service_notice>Vielen Dank! Zuständig ist Tiefbauamt. Zielzeit: bis 16.03.2026. Den Stand sehen Sie "
        f"unter https://melder.example/verfolgen/{report.tracking_token}/</service_notice>"
        f"<account_id /><token>{report.tracking_token}</token></request></service_requests>"
    )
    assert ET.fromstring(response.content).findtext("request/service_request_id") == str(report.pk)


def test_post_minimal_and_optional_fields(client, api_key, city):
    response = post(client, {"api_key": api_key, "service_code": "schlagloch", "lat": "50.86", "long": "12.01"})
    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.answers, report.reporter_email, report.reporter_name, report.description) == ({}, "", "", "")


def test_post_english_request_sets_the_report_language(client, api_key, city):
    response = post(client, form(api_key, **{"attribute[groesse]": None, "attribute[anzahl]": None,
                                             "attribute[gefahr]": None, "attribute[hinweis]": None}),
                    headers={"accept-language": "en"})
    assert response.status_code == 201
    assert Report.objects.get().language == "en"


@pytest.fixture
def places(city):
    Place.objects.create(name="Johannisplatz", kind="square", point=Point(12.0797, 50.8797, srid=4326))
    Place.objects.create(name="Theater Gera", kind="landmark", point=Point(12.0753, 50.8826, srid=4326))
    Place.objects.create(name="Theaterplatz", kind="square", point=Point(12.0762, 50.8823, srid=4326))


def test_post_address_string_from_the_gazetteer(client, api_key, places):
    response = post(client, {"api_key": api_key, "service_code": "schlagloch", "address_string": "johannisplatz"})
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert (report.location.x, report.location.y, report.address) == (12.0797, 50.8797, "johannisplatz")
    # A typo is only similar: refused with the suggestion, never silently taken for another place.
    response = post(client, {"api_key": api_key, "service_code": "schlagloch", "address_string": "johanisplatz"})
    assert response.status_code == 400
    assert "(Johannisplatz)" in response.json()[0]["description"]


def test_post_lat_long_win_over_address_string(client, api_key, places):
    response = post(client, {"api_key": api_key, "service_code": "schlagloch", "lat": "50.86", "long": "12.01",
                             "address_string": "Markt 1"})
    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.location.x, report.location.y, report.address) == (12.01, 50.86, "Markt 1")


def test_post_photo_as_multipart_media(client, api_key, city):
    response = post(client, {"api_key": api_key, "service_code": "schlagloch", "lat": "50.86", "long": "12.01",
                             "media": upload(jpeg_bytes())})
    assert response.status_code == 201, response.content
    photo = ReportPhoto.objects.get()
    assert (photo.report, photo.content_type, photo.moderation) == (Report.objects.get(), "image/jpeg", "pending")


def test_post_needs_no_csrf_token(api_key, city):
    response = Client(enforce_csrf_checks=True).post(
        "/open311/v2/requests.json", {"api_key": api_key, "service_code": "schlagloch", "lat": "50.86",
                                      "long": "12.01"})
    assert response.status_code == 201


OUTSIDE = "Dieser Ort liegt außerhalb des Stadtgebiets. Zuständig ist: Landratsamt Greiz."
NO_KEY = [{"code": 403, "description": "api_key fehlt oder ist ungültig."}]


def _err(*descriptions, code=400):
    return [{"code": code, "description": d} for d in descriptions]


@pytest.mark.parametrize(("overrides", "status", "body"), [
    ({"api_key": None}, 403, NO_KEY),
    ({"api_key": "falsch"}, 403, NO_KEY),
    ({"api_key": None, "service_code": None}, 403, NO_KEY),
    ({"service_code": None}, 400, _err("service_code fehlt.")),
    ({"service_code": "gibtsnicht"}, 404, _err("service_code „gibtsnicht“ ist unbekannt.", code=404)),
    ({"lat": None, "long": None}, 400, _err("Ort fehlt: bitte lat und long oder address_string angeben.")),
    ({"long": None}, 400, _err("lat und long gehören zusammen.")),
    ({"lat": "fünfzig"}, 400, _err("lat: eine Zahl wird erwartet.")),
    ({"lat": "inf"}, 400, _err("lat: eine Zahl wird erwartet.")),
    ({"lat": "12.06", "long": "250"}, 400, _err("long: muss zwischen -180 und 180 liegen (WGS 84, Dezimalgrad).")),
    # lat and long swapped: the point lies far outside the city (and outside the neighbours).
    ({"lat": "12.06", "long": "50.88"}, 400, _err("Dieser Ort liegt außerhalb des Stadtgebiets.")),
    ({"lat": "50.87", "long": "12.15"}, 400, _err(OUTSIDE)),
    ({"attribute[groesse]": "riesig"}, 400,
     _err("attribute[groesse]: Ungültige Auswahl. Erlaubt: klein, mittel, groß")),
    ({"attribute[groesse]": None}, 400, _err("attribute[groesse]: Diese Angabe ist erforderlich.")),
    ({"attribute[anzahl]": "viele"}, 400, _err("attribute[anzahl]: Bitte eine ganze Zahl angeben.")),
    ({"attribute[gefahr]": "vielleicht"}, 400, _err("attribute[gefahr]: Bitte ja oder nein angeben.")),
    ({"attribute[farbe]": "rot"}, 400, _err("attribute[farbe]: Unbekannte Frage.")),
    ({"attribute[groesse][]": ["klein", "groß"], "attribute[groesse]": None}, 400,
     _err("attribute[groesse]: nur ein Wert erlaubt.")),
    ({"email": "erika(at)example"}, 400, _err("email: ungültige E-Mail-Adresse.")),
    ({"phone": "0" * 51}, 400, _err("phone: höchstens 50 Zeichen.")),
    ({"description": "x" * 5001}, 400, _err("description: höchstens 5000 Zeichen.")),
    ({"media_url": "ftp://fotos.example/loch.jpg"}, 400, _err("media_url: ungültige Adresse (http oder https).")),
    ({"lat": None, "long": None, "email": "kaputt", "attribute[anzahl]": ["1", "2"]}, 400,
     _err("Ort fehlt: bitte lat und long oder address_string angeben.", "email: ungültige E-Mail-Adresse.",
          "attribute[anzahl]: nur ein Wert erlaubt.")),
    ({"lat": None, "long": None, "address_string": "Theater"}, 400,
     _err("address_string: „Theater“ ist mehrdeutig (Theater Gera, Theaterplatz). Bitte genauer angeben oder lat "
          "und long senden.")),
    ({"lat": None, "long": None, "address_string": "Nirgendwostraße"}, 400,
     _err("address_string: „Nirgendwostraße“ steht nicht im Ortsverzeichnis. Bitte lat und long senden.")),
])
def test_post_bad_input_writes_nothing(client, api_key, pothole, places, overrides, status, body):
    response = post(client, form(api_key, **overrides))
    assert (response.status_code, json.loads(response.content)) == (status, body)
    assert_nothing_written()
    xml = post(client, form(api_key, **overrides), fmt="xml")
    assert xml.status_code == status
    root = ET.fromstring(xml.content)
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root.findall("error")] == [
        (str(e["code"]), e["description"]) for e in body]
    assert_nothing_written()


def test_post_with_an_inactive_key_is_403(client, api_key, city):
    Open311Client.objects.update(is_active=False)
    response = post(client, form(api_key))
    assert (response.status_code, json.loads(response.content)) == (403, NO_KEY)
    assert Report.objects.count() == 0


def test_post_error_xml_exact(client, city):
    response = post(client, {"service_code": "schlagloch"}, fmt="xml")
    assert response.status_code == 403
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<errors><error><code>403</code>'
        "<description>api_key fehlt oder ist ungültig.</description></error></errors>")


def test_post_photo_required_and_bad_photos(client, api_key, city):
    city.category.photo_required = True
    city.category.save()
    base = {"api_key": api_key, "service_code": "schlagloch", "lat": "50.86", "long": "12.01"}
    response = post(client, base)
    assert (response.status_code, json.loads(response.content)) == (
        400, _err("media: Für diese Kategorie ist ein Foto erforderlich."))
    response = post(client, {**base, "media": upload(b"kein Bild", name="a.jpg")})
    assert response.status_code == 415
    [error] = json.loads(response.content)
    assert error["code"] == 415 and error["description"].startswith("media: ")
    assert_nothing_written()


def test_post_notice_ends_with_the_configured_service_notice(client, api_key, north, settings):
    settings.OPEN311 = {"SERVICE_NOTICES": {"schlagloch": "Bei Gefahr bitte zusätzlich 110 anrufen."}}
    response = post(client, form(api_key))
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert json.loads(response.content)[0]["service_notice"] == (
        "Vielen Dank! Zuständig ist Tiefbauamt Nord. Zielzeit: bis 16.03.2026. Den Stand sehen Sie unter "
        f"https://melder.example/verfolgen/{report.tracking_token}/ Bei Gefahr bitte zusätzlich 110 anrufen.")
