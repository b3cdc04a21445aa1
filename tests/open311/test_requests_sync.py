"""GET /open311/v2/requests: the extensions for apps that sync and map — `bbox`,
`updated_after`/`updated_before` — and the GeoReport v2 fields `service_notice`, `zipcode`,
`address_id`; the timestamp format of the interface (RFC 3339 with the UTC offset)."""
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from reporter.models import Report

from .conftest import NOW

pytestmark = pytest.mark.django_db

RFC3339_OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def get(client, fmt="json", **params):
    return client.get(f"/open311/v2/requests.{fmt}", params)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in json.loads(response.content)]


def test_bbox_filter_min_lon_min_lat_max_lon_max_lat(client, now, report_make):
    west = report_make(lon=12.01, lat=50.86)
    east = report_make(lon=12.09, lat=50.89, at=NOW - timedelta(minutes=1))
    edge = report_make(lon=12.05, lat=50.875, at=NOW - timedelta(minutes=2))
    assert ids(get(client, bbox="12.0,50.85,12.03,50.87")) == [west.pk]
    assert ids(get(client, bbox="12.05,50.875,12.1,50.9")) == [east.pk, edge.pk]  # the edge belongs to the box
    assert ids(get(client, bbox=" 12.0 , 50.85 , 12.1 , 50.9 ")) == [west.pk, east.pk, edge.pk]
    assert ids(get(client, bbox="13.0,51.0,13.1,51.1")) == []


def test_bbox_combines_with_other_filters(client, now, report_make):
    report_make(lon=12.01, lat=50.86, status=Report.Status.RESOLVED)
    opened = report_make(lon=12.02, lat=50.86)
    assert ids(get(client, bbox="12.0,50.85,12.03,50.87", status="open")) == [opened.pk]


def test_updated_after_finds_old_requests_changed_since_and_orders_by_change(client, now, report_make):
    """A request created 200 days ago (outside the default window) but changed since is found;
    the page is ordered oldest change first, both bounds exclusive."""
    old_changed = report_make(at=NOW - timedelta(days=200), updated_at=NOW - timedelta(hours=1))
    recent = report_make(at=NOW - timedelta(days=2), updated_at=NOW - timedelta(hours=3))
    stale = report_make(at=NOW - timedelta(days=300), updated_at=NOW - timedelta(days=10))
    assert ids(get(client)) == [recent.pk]
    assert ids(get(client, updated_after="2026-03-01T10:00:00Z")) == [recent.pk, old_changed.pk]
    # Exclusive: a client resuming from the last updated_datetime it saw gets only newer changes.
    assert ids(get(client, updated_after="2026-03-02T08:00:00+01:00")) == [old_changed.pk]
    assert ids(get(client, updated_after="2026-03-02T10:00:00+01:00")) == []
    assert ids(get(client, updated_before="2026-03-02T09:00:00Z")) == [stale.pk, recent.pk]
    assert ids(get(client, updated_after="2026-03-01T00:00:00Z", updated_before="2026-03-02T07:00:01Z")) == [
        recent.pk]
    # With start_date/end_date the window of created_at still applies.
    assert ids(get(client, updated_after="2026-03-01T00:00:00Z", start_date="2026-02-20T00:00:00Z")) == [recent.pk]


def test_updated_after_pages(client, now, report_make):
    made = [report_make(at=NOW - timedelta(days=100 + i), updated_at=NOW - timedelta(minutes=10 - i)).pk
            for i in range(5)]
    assert ids(get(client, updated_after="2026-01-01T00:00:00Z", page_size=2)) == made[:2]
    assert ids(get(client, updated_after="2026-01-01T00:00:00Z", page_size=2, page=3)) == made[4:]


def test_service_notice_from_the_category_or_the_setting(client, now, report_make, other_category, settings):
    report_make(category=other_category)
    [item] = json.loads(get(client).content)
    assert item["service_notice"] == "Wir bearbeiten Meldungen dieser Art in der Regel innerhalb von 5 Arbeitstagen."
    other_category.sla_days = 1
    other_category.save()
    [item] = json.loads(get(client).content)
    assert item["service_notice"] == "Wir bearbeiten Meldungen dieser Art in der Regel innerhalb von 1 Arbeitstag."
    settings.OPEN311 = {"SERVICE_NOTICES": {"laterne": "Nachts bitte auch 0365 110 anrufen."}}
    [item] = json.loads(get(client).content)
    assert item["service_notice"] == "Nachts bitte auch 0365 110 anrufen."


def test_service_notice_in_english(client, now, report_make):
    report_make()
    [item] = json.loads(client.get("/open311/v2/requests.json", headers={"Accept-Language": "en"}).content)
    assert item["service_notice"] == "We usually handle reports of this kind within 10 working days."


@pytest.mark.parametrize(("address", "zipcode"), [
    ("Markt 1, 07545 Gera", "07545"),
    ("Schloßstraße 12a 07545 Gera", "07545"),
    ("Markt 1", None),
    ("Flurstück 123456", None),
    ("", None),
])
def test_zipcode_from_the_address_and_empty_address_id(client, now, report_make, address, zipcode):
    report_make(address=address)
    [item] = json.loads(get(client).content)
    assert (item["zipcode"], item["address_id"]) == (zipcode, None)
    request = ET.fromstring(get(client, "xml").content).find("request")
    assert request.findtext("zipcode") == (zipcode or "")
    assert request.find("address_id") is not None


def test_timestamps_are_rfc3339_with_offset(client, now, report_make):
    """One format on this interface: RFC 3339 (W3C) with the site's UTC offset, to the second —
    +01:00 in winter, +02:00 in summer."""
    report_make(due_date=date(2026, 7, 1), at=NOW - timedelta(days=1))
    [item] = json.loads(get(client).content)
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert RFC3339_OFFSET.fullmatch(item[key]), (key, item[key])
    assert item["requested_datetime"] == "2026-03-01T11:00:00+01:00"
    assert item["expected_datetime"] == "2026-07-01T23:59:59+02:00"
    discovery = json.loads(client.get("/open311/v2/discovery.json").content)
    assert RFC3339_OFFSET.fullmatch(discovery["changeset"]), discovery["changeset"]


def test_filtered_list_is_one_query(client, now, report_make, django_assert_num_queries):
    for i in range(5):
        report_make(lon=12.01 + i * 0.01, updated_at=NOW - timedelta(minutes=i))
    with django_assert_num_queries(1):
        response = get(client, bbox="12.0,50.85,12.035,50.9", updated_after="2026-03-01T00:00:00Z")
    assert len(json.loads(response.content)) == 3


@pytest.mark.parametrize("params", [
    {"bbox": "12.0,50.8,12.1,50.9\x00"}, {"bbox": "\x00"}, {"bbox": ",,,"}, {"bbox": "1e999,0,0,0"},
    {"updated_after": "2026-03-01T00:00:00Z\x00"}, {"updated_before": "\x00"}, {"updated_after": "2026-03-01\x00"},
    {"updated_after": "2026-03-01T25:00:00Z"}, {"updated_after": "99999-01-01"},
])
def test_odd_sync_and_bbox_input_is_400_never_500(client, city, params):
    for fmt in ("json", "xml"):
        assert get(client, fmt, **params).status_code == 400, params


@pytest.mark.parametrize(("params", "status"), [
    ({"end_date": "0001-01-01T00:00:00Z"}, 400), ({"start_date": "9999-12-31T23:00:00Z"}, 400),
    ({"end_date": "0001-01-01"}, 400), ({"start_date": "0001-01-01T00:00:00Z"}, 200),
    ({"updated_after": "0001-01-01T00:00:00Z", "updated_before": "9999-12-31T23:59:59Z"}, 200),
])
def test_dates_at_the_ends_of_the_calendar_never_give_500(client, city, params, status):
    response = get(client, **params)
    assert response.status_code == status, params
    if status == 400:
        assert response.json() == [{"code": 400, "description": (
            "start_date/end_date: das Zeitfenster reicht über das Jahr 1 oder 9999 hinaus.")}]


def test_address_id_names_the_matching_entry_of_the_address_register(client, city):
    from django.contrib.gis.geos import Point

    from geodata.models import Address
    from tests.factories import ReportFactory

    house = Address.objects.create(street="Rathausstraße", number=5, suffix="a", postcode="07545", city="Gera",
                                   point=Point(12.05, 50.875, srid=4326), source="hk-de")
    Address.objects.create(street="Rathausstraße", number=5, postcode="07545", point=Point(12.05, 50.875, srid=4326),
                           source="hk-de")
    matched = ReportFactory(category=city.category, address="Rathausstraße 5a", moderation="approved")
    unmatched = ReportFactory(category=city.category, address="Rathausstraße 99", moderation="approved")
    rows = {r["service_request_id"]: r for r in client.get("/open311/v2/requests.json").json()}
    assert rows[matched.pk]["address_id"] == str(house.pk)
    assert rows[unmatched.pk]["address_id"] is None
