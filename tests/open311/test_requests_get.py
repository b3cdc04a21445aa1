"""GET /open311/v2/requests.json|.xml and requests/{id} — public service requests, their
filters, and what never appears (personal data, original texts, hidden reports)."""
import json
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.db import connection

from reporter.models import Report, ReportPhoto

from .conftest import NOW, note_add, photo_add

pytestmark = pytest.mark.django_db

PRIVATE = ["Erika Mustermann", "erika@example.org", "+49 365 123456", "Original mit Telefonnummer 0171 999",
           "intern: Bauhof anrufen"]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://melder.example"


@pytest.fixture
def full_report(now, report_make):
    """An approved report in progress with every public field set — and private data beside it."""
    report = report_make(
        at=NOW - timedelta(days=1), status=Report.Status.IN_PROGRESS, public_description="Tiefes Loch & Wasser <2 m>",
        address="Markt 1, 07545 Gera", due_date=date(2026, 3, 13), lon=12.0512345678, lat=50.8754321,
        reporter_name="Erika Mustermann", reporter_email="erika@example.org", reporter_phone="+49 365 123456",
        description="Original mit Telefonnummer 0171 999",
    )
    photo_add(report, image="reports/x/rejected.jpg", moderation=ReportPhoto.Moderation.REJECTED)
    photo_add(report, image="", processing=ReportPhoto.Processing.PENDING)
    photo_add(report, image=f"reports/{report.pk}/public.jpg")
    photo_add(report, image=f"reports/{report.pk}/second.jpg")
    note_add(report, note_public="Eingegangen.", at=NOW - timedelta(hours=20))
    note_add(report, note_public="Wir kümmern uns.", at=NOW - timedelta(hours=2))
    note_add(report, note_internal="intern: Bauhof anrufen", at=NOW - timedelta(hours=1))
    note_add(report, note_public="Umgeleitet (nicht öffentlich)", kind="reroute", at=NOW - timedelta(minutes=5))
    Report.objects.filter(pk=report.pk).update(updated_at=NOW - timedelta(minutes=30))
    return report


def expected(report) -> dict:
    return {
        "service_request_id": report.pk,
        "status": "open",
        "status_notes": "Wir kümmern uns.",
        "service_name": "Schlagloch",
        "service_code": "schlagloch",
        "description": "Tiefes Loch & Wasser <2 m>",
        "agency_responsible": "Tiefbauamt",
        "service_notice": "Wir bearbeiten Meldungen dieser Art in der Regel innerhalb von 10 Arbeitstagen.",
        "requested_datetime": "2026-03-01T11:00:00+01:00",
        "updated_datetime": "2026-03-02T10:30:00+01:00",
        "expected_datetime": "2026-03-13T23:59:59+01:00",
        "address": "Markt 1, 07545 Gera",
        "address_id": None,
        "zipcode": "07545",
        "lat": 50.8754,  # public coordinates: 4 decimals (reporter.public)
        "long": 12.0512,
        "media_url": f"https://melder.example/media/reports/{report.pk}/public.jpg",
    }


def get(client, fmt="json", **params):
    return client.get(f"/open311/v2/requests.{fmt}", params)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in json.loads(response.content)]


def error(response) -> tuple[int, list]:
    return response.status_code, json.loads(response.content)


def test_list_json_exact(client, full_report):
    response = get(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == [expected(full_report)]


def test_list_xml_exact_and_parses(client, full_report):
    response = get(client, "xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    pk = full_report.pk
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests><request>'
        f"<service_request_id>{pk}</service_request_id><status>open</status>"
        "<status_notes>Wir kümmern uns.</status_notes><service_name>Schlagloch</service_name>"
        "<service_code>schlagloch</service_code><description>Tiefes Loch &amp; Wasser &lt;2 m&gt;</description>"
        "<agency_responsible>Tiefbauamt</agency_responsible>"
        "<service_notice>Wir bearbeiten Meldungen dieser Art in der Regel innerhalb von 10 Arbeitstagen."
        "</service_notice>"
        "<requested_datetime>2026-03-01T11:00:00+01:00</requested_datetime>"
        "<updated_datetime>2026-03-02T10:30:00+01:00</updated_datetime>"
        "<expected_datetime>2026-03-13T23:59:59+01:00</expected_datetime><address>Markt 1, 07545 Gera</address>"
        "<address_id /><zipcode>07545</zipcode><lat>50.8754</lat><long>12.0512</long>"
        f"<media_url>https://melder.example/media/reports/{pk}/public.jpg</media_url>"
        "</request></service_requests>"
    )
    request = ET.fromstring(response.content).find("request")
    assert request.findtext("description") == "Tiefes Loch & Wasser <2 m>"
    assert float(request.findtext("lat")) == 50.8754


def test_missing_values_are_null_and_empty_elements(client, now, report_make):
    # Pending moderation: the public text is not shown yet; no photo, note, address or due date.
    report = report_make(public_description="noch nicht geprüft", moderation=Report.Moderation.PENDING,
                         status=Report.Status.RESOLVED)
    body = json.loads(get(client).content)
    assert body == [{
        "service_request_id": report.pk, "status": "closed", "status_notes": None, "service_name": "Schlagloch",
        "service_code": "schlagloch", "description": None, "agency_responsible": "Tiefbauamt",
        "service_notice": "Wir bearbeiten Meldungen dieser Art in der Regel innerhalb von 10 Arbeitstagen.",
        "requested_datetime": "2026-03-02T11:00:00+01:00", "updated_datetime": "2026-03-02T11:00:00+01:00",
        "expected_datetime": None, "address": None, "address_id": None, "zipcode": None, "lat": 50.875,
        "long": 12.05, "media_url": None,
    }]
    xml = get(client, "xml").content.decode()
    assert "<status_notes /><service_name>" in xml and "<media_url /></request>" in xml
    assert "noch nicht geprüft" not in xml


def test_text_that_xml_cannot_carry_is_dropped(client, now, report_make):
    report_make(public_description="Loch\x0b\x1b tief\ufffe")
    response = get(client, "xml")
    assert ET.fromstring(response.content).findtext("request/description") == "Loch tief"


def test_privacy_and_hidden_reports(client, full_report, report_make):
    hidden = report_make(moderation=Report.Moderation.HIDDEN, public_description="versteckt")
    for fmt in ("json", "xml"):
        for response in (get(client, fmt), get(client, fmt, service_request_id=f"{full_report.pk},{hidden.pk}"),
                         client.get(f"/open311/v2/requests/{full_report.pk}.{fmt}")):
            text = response.content.decode()
            assert response.status_code == 200
            for value in [*PRIVATE, "versteckt", "Umgeleitet", "rejected.jpg", full_report.tracking_token]:
                assert value not in text
    assert ids(get(client)) == [full_report.pk]
    assert client.get(f"/open311/v2/requests/{hidden.pk}.json").status_code == 404


def test_single_request(client, full_report):
    response = client.get(f"/open311/v2/requests/{full_report.pk}.json")
    assert response.status_code == 200
    assert json.loads(response.content) == [expected(full_report)]
    xml = client.get(f"/open311/v2/requests/{full_report.pk}.xml")
    assert ET.fromstring(xml.content).findtext("request/service_request_id") == str(full_report.pk)


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_single_request_unknown_is_404(client, city, value):
    response = client.get(f"/open311/v2/requests/{value}.json")
    assert error(response) == (404, [{"code": 404, "description": f"Meldung „{value}“ nicht gefunden."}])
    xml = client.get(f"/open311/v2/requests/{value}.xml")
    assert xml.status_code == 404
    assert ET.fromstring(xml.content).findtext("error/description") == f"Meldung „{value}“ nicht gefunden."


def test_default_window_is_the_last_90_days(client, now, report_make):
    inside = report_make(at=NOW - timedelta(days=89, hours=23))
    report_make(at=NOW - timedelta(days=90, minutes=1))
    assert ids(get(client)) == [inside.pk]


def test_start_and_end_date(client, now, report_make):
    first = report_make(at=NOW - timedelta(days=10))
    second = report_make(at=NOW - timedelta(days=5))
    report_make(at=NOW - timedelta(days=1))
    # Both bounds are inclusive; offsets are honoured (10:00Z = 11:00+01:00).
    assert ids(get(client, start_date="2026-02-20T11:00:00+01:00", end_date="2026-02-25T10:00:00Z")) == [
        second.pk, first.pk]
    # An unencoded "+" arrives as a space.
    assert ids(client.get("/open311/v2/requests.json?start_date=2026-02-20T11:00:01+01:00"
                          "&end_date=2026-02-25T11:00:00+01:00")) == [second.pk]
    # A lone end_date spans the 90 days before it.
    assert ids(get(client, end_date="2026-02-21T00:00:00Z")) == [first.pk]
    old = report_make(at=NOW - timedelta(days=200))
    assert ids(get(client, end_date="2025-09-01T00:00:00Z")) == [old.pk]


def test_lone_start_date_spans_90_days(client, now, report_make):
    start = NOW - timedelta(days=150)
    in_span = report_make(at=start + timedelta(days=89))
    report_make(at=start + timedelta(days=91))
    report_make(at=start - timedelta(seconds=1))
    assert ids(get(client, start_date="2025-10-03T10:00:00Z")) == [in_span.pk]


@pytest.mark.parametrize(("params", "message"), [
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"},
     "start_date und end_date dürfen höchstens 90 Tage auseinanderliegen."),
    ({"start_date": "2026-02-02T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},
     "start_date muss vor end_date liegen."),
    ({"start_date": "gestern"},
     "start_date: ungültiges Datum, erwartet wird ein W3C-Datum wie 2026-03-02T09:00:00+01:00."),
    ({"end_date": "2026-02-30T00:00:00Z"},
     "end_date: ungültiges Datum, erwartet wird ein W3C-Datum wie 2026-03-02T09:00:00+01:00."),
    ({"status": "offen"}, "status: erlaubt sind open und closed."),
    ({"service_code": "schlagloch,gibtsnicht"}, "service_code: unbekannter Dienst „gibtsnicht“."),
    ({"service_request_id": "1,x"}, "service_request_id: unbekannte Kennung „x“."),
    ({"lat": "50.87"}, "lat und long gehören zusammen."),
    ({"lat": "50.87", "long": "12.05"}, "radius: mit lat und long bitte einen Radius in Metern angeben."),
    ({"lat": "95", "long": "12.05", "radius": "100"}, "lat: muss zwischen -90 und 90 liegen (WGS 84, Dezimalgrad)."),
    ({"lat": "50.87", "long": "nan", "radius": "100"}, "long: eine Zahl wird erwartet."),
    ({"lat": "50.87", "long": "12.05", "radius": "0"}, "radius: muss größer als 0 und höchstens 50000 Meter sein."),
    ({"radius": "100"}, "radius: bitte auch lat und long angeben."),
    ({"page": "0"}, "page: eine ganze Zahl ab 1 wird erwartet."),
    ({"page_size": "zehn"}, "page_size: eine ganze Zahl ab 1 wird erwartet."),
    ({"bbox": "12.0,50.8,12.1"},
     "bbox: vier Zahlen werden erwartet: minLon,minLat,maxLon,maxLat (WGS 84, Dezimalgrad)."),
    ({"bbox": "12.0,50.8,12.1,50.9,1"},
     "bbox: vier Zahlen werden erwartet: minLon,minLat,maxLon,maxLat (WGS 84, Dezimalgrad)."),
    ({"bbox": "12.0,x,12.1,50.9"}, "bbox: eine Zahl wird erwartet."),
    ({"bbox": "12.0,50.8,inf,50.9"}, "bbox: eine Zahl wird erwartet."),
    ({"bbox": "12.0,50.8,181,50.9"}, "bbox: Längengrade müssen zwischen -180 und 180 liegen."),
    ({"bbox": "12.0,-91,12.1,50.9"}, "bbox: Breitengrade müssen zwischen -90 und 90 liegen."),
    ({"bbox": "12.1,50.8,12.0,50.9"},
     "bbox: die Minima müssen vor den Maxima stehen (minLon,minLat,maxLon,maxLat)."),
    ({"bbox": "12.0,50.8,12.1,91"}, "bbox: Breitengrade müssen zwischen -90 und 90 liegen."),
    ({"updated_after": "letzte Woche"},
     "updated_after: ungültiges Datum, erwartet wird ein W3C-Datum wie 2026-03-02T09:00:00+01:00."),
    ({"updated_before": "2026-13-01T00:00:00Z"},
     "updated_before: ungültiges Datum, erwartet wird ein W3C-Datum wie 2026-03-02T09:00:00+01:00."),
    ({"updated_after": "2026-03-02T00:00:00Z", "updated_before": "2026-03-01T00:00:00Z"},
     "updated_after muss vor updated_before liegen."),
])
def test_bad_filters_are_400(client, city, params, message):
    assert error(get(client, **params)) == (400, [{"code": 400, "description": message}])
    xml = get(client, "xml", **params)
    assert xml.status_code == 400
    assert ET.fromstring(xml.content).findtext("error/description") == message


def test_status_filter(client, now, report_make):
    opened = {report_make(status=s).pk for s in (Report.Status.SUBMITTED, Report.Status.OPEN,
                                                 Report.Status.IN_PROGRESS)}
    closed = {report_make(status=s).pk for s in (Report.Status.RESOLVED, Report.Status.NOT_FIXABLE,
                                                 Report.Status.DUPLICATE, Report.Status.REFERRED)}
    assert set(ids(get(client, status="open"))) == opened
    assert set(ids(get(client, status="closed"))) == closed
    assert set(ids(get(client, status="open,closed"))) == opened | closed
    assert {r["status"] for r in json.loads(get(client, status="closed").content)} == {"closed"}


def test_service_code_filter(client, now, report_make, other_category):
    pothole = report_make()
    light = report_make(category=other_category)
    assert ids(get(client, service_code="schlagloch")) == [pothole.pk]
    assert ids(get(client, service_code="laterne,schlagloch")) == [light.pk, pothole.pk]


def test_service_request_ids_override_other_filters(client, now, report_make):
    old = report_make(at=NOW - timedelta(days=400), status=Report.Status.RESOLVED)
    new = report_make()
    hidden = report_make(moderation=Report.Moderation.HIDDEN)
    response = get(client, service_request_id=f"{old.pk}, {new.pk},{hidden.pk},999999", status="open",
                   service_code="gibtsnicht", start_date="nicht geprüft")
    assert ids(response) == [new.pk, old.pk]


def _geodesic_m(lon, lat, lon0, lat0) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, "
                       "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)", [lon, lat, lon0, lat0])
        return cursor.fetchone()[0]


def test_radius_in_metres_on_the_spheroid(client, now, report_make):
    centre = (12.05, 50.875)
    # At 50.9° N a degree of longitude is ~0.63 of a degree of latitude: the point 0.0065° east
    # (~457 m) is nearer than the one 0.0045° north (~500 m), though farther in degrees.
    offsets = [(0.0, 0.0009), (0.0065, 0.0), (0.0, 0.0045), (-0.0069, 0.0), (0.0, -0.0043), (0.01, 0.01)]
    reports = {report_make(lon=centre[0] + dx, lat=centre[1] + dy).pk: (centre[0] + dx, centre[1] + dy)
               for dx, dy in offsets}
    distances = {pk: _geodesic_m(*xy, *centre) for pk, xy in reports.items()}
    for radius in (100, 470, 480, 495, 505, 2000):
        within = {pk for pk, d in distances.items() if d <= radius}
        got = set(ids(get(client, lat=centre[1], long=centre[0], radius=radius)))
        assert got == within, (radius, distances)
    east, north = list(reports)[1], list(reports)[2]
    assert distances[east] < 480 < distances[north]


def test_paging(client, now, report_make, settings):
    made = [report_make(at=NOW - timedelta(minutes=i)).pk for i in range(5)]
    assert ids(get(client, page_size=2)) == made[:2]
    assert ids(get(client, page_size=2, page=2)) == made[2:4]
    assert ids(get(client, page_size=2, page=3)) == made[4:]
    assert ids(get(client, page_size=2, page=4)) == []
    assert ids(get(client, limit=3)) == made[:3]
    settings.OPEN311 = {"MAX_REQUESTS": 4}
    assert ids(get(client)) == made[:4]
    assert ids(get(client, page_size=1000)) == made[:4]
    assert ids(get(client, page=2)) == made[4:]


def test_list_is_one_query(client, now, report_make, django_assert_num_queries):
    for i in range(8):
        report = report_make(at=NOW - timedelta(minutes=i), public_description=f"Loch {i}")
        photo_add(report, image=f"reports/{report.pk}/a.jpg")
        note_add(report, note_public=f"Notiz {i}")
    # The rows in one statement; naming a service_code adds the check that it exists.
    with django_assert_num_queries(2):
        response = get(client, status="open", service_code="schlagloch", lat=50.875, long=12.05, radius=100)
    assert len(json.loads(response.content)) == 8
    with django_assert_num_queries(1):
        assert len(ET.fromstring(get(client, "xml").content)) == 8


def test_token_lookup(client, full_report):
    response = client.get(f"/open311/v2/tokens/{full_report.tracking_token}.json")
    assert response.status_code == 200
    assert json.loads(response.content) == [{"service_request_id": full_report.pk,
                                             "token": full_report.tracking_token}]
    xml = client.get(f"/open311/v2/tokens/{full_report.tracking_token}.xml")
    assert ET.fromstring(xml.content).findtext("request/service_request_id") == str(full_report.pk)
    assert error(client.get("/open311/v2/tokens/unbekannt.json")) == (
        404, [{"code": 404, "description": "Token nicht gefunden."}])
