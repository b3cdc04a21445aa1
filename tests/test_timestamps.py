"""One timestamp format per interface (README, section "APIs"), asserted on each:

- Open311 GeoReport v2: RFC 3339 with the site's UTC offset, to the second;
- downloads (GeoJSON, CSV) and OGC API – Features: ISO 8601 / RFC 3339 in UTC with "Z", to
  the second (the GeoPackage has DateTime columns: tests/opendata/test_exports.py);
- CKAN Action API: CKAN's own form, UTC without offset, microseconds ("2026-03-02T10:00:00.123456");
- DCAT: xsd:dateTime in UTC with "+00:00";
- /api/v1/ (DRF): ISO 8601 in the site's time zone with its offset, microseconds when set.

The report's timestamps carry microseconds, so a format that drops or keeps them is visible.
"""
import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from rdflib import Graph, URIRef

from opendata.exports.sources import reports_source
from opendata.exports.writers import csv_write, geojson_write
from reporter.models import Report
from tests.factories import ReportFactory
from tests.opendata.factories import DatasetFactory

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 3, 2, 10, 0, 5, 123456, tzinfo=UTC)
UTC_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


@pytest.fixture
def report(city):
    report = ReportFactory(category=city.category, location=Point(12.05, 50.875, srid=4326), moderation="approved",
                           public_description="Loch")
    Report.objects.filter(pk=report.pk).update(created_at=MOMENT, updated_at=MOMENT)
    return report


def test_open311_rfc3339_with_offset(report):
    response = Client().get("/open311/v2/requests.json", {"start_date": "2026-03-01T00:00:00Z"})
    [item] = response.json()
    assert (item["requested_datetime"], item["updated_datetime"]) == (
        "2026-03-02T11:00:05+01:00", "2026-03-02T11:00:05+01:00")
    assert OFFSET.fullmatch(Client().get("/open311/v2/discovery.json").json()["changeset"])


def test_downloads_utc_z_to_the_second(report, tmp_path):
    source = reports_source()
    geojson_write(source=source, path=tmp_path / "r.geojson")
    [feature] = json.loads((tmp_path / "r.geojson").read_text())["features"]
    assert feature["properties"]["created_at"] == "2026-03-02T10:00:05Z"
    csv_write(source=source, path=tmp_path / "r.csv")
    [row] = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert row["created_at"] == "2026-03-02T10:00:05Z"


def test_ogc_utc_z_to_the_second(report):
    client = Client()
    feature = client.get(f"/ogc/collections/reports/items/{report.pk}", {"f": "json"}).json()
    assert (feature["properties"]["created_at"], feature["properties"]["updated_at"]) == (
        "2026-03-02T10:00:05Z", "2026-03-02T10:00:05Z")
    collection = client.get("/ogc/collections/reports", {"f": "json"}).json()
    assert collection["extent"]["temporal"]["interval"] == [["2026-03-02T10:00:05Z", None]]
    items = client.get("/ogc/collections/reports/items", {"f": "json"}).json()
    assert UTC_Z.fullmatch(items["timeStamp"])


def test_ckan_action_api_naive_utc_like_ckan(city):
    dataset = DatasetFactory(name="baeume")
    type(dataset).objects.filter(pk=dataset.pk).update(metadata_modified=MOMENT)
    result = Client().get("/api/3/action/package_show", {"id": "baeume"}).json()["result"]
    assert result["metadata_modified"] == "2026-03-02T10:00:05.123456"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?", result["metadata_created"])


def test_dcat_xsd_datetime_in_utc(city):
    dataset = DatasetFactory(name="baeume")
    type(dataset).objects.filter(pk=dataset.pk).update(metadata_modified=MOMENT)
    graph = Graph().parse(data=Client().get("/dataset/baeume.ttl").content, format="turtle")
    [modified] = list(graph.objects(None, URIRef("http://purl.org/dc/terms/modified")))
    assert str(modified.datatype) == "http://www.w3.org/2001/XMLSchema#dateTime"
    assert str(modified) == "2026-03-02T10:00:05.123456+00:00"


def test_api_v1_iso8601_with_site_offset(report):
    body = Client().get(f"/api/v1/reports/{report.pk}/").json()
    assert body["created_at"] == "2026-03-02T11:00:05.123456+01:00"


def test_api_v1_list_uses_the_same_format(report):
    body = Client().get("/api/v1/reports/").json()
    [feature] = body["features"]
    assert feature["properties"]["created_at"] == "2026-03-02T11:00:05.123456+01:00"


@pytest.mark.parametrize(("zone", "moment", "text"), [
    ("Europe/Berlin", datetime(2026, 7, 2, 10, 0, 5, tzinfo=UTC), "2026-07-02T12:00:05+02:00"),  # summer, no µs
    ("UTC", MOMENT, "2026-03-02T10:00:05.123456Z"),
    ("America/St_Johns", MOMENT, "2026-03-02T06:30:05.123456-03:30"),
])
def test_sql_written_timestamps_match_drf_and_leave_the_session_in_utc(report, settings, zone, moment, text):
    from django.db import connection, transaction
    from rest_framework.fields import DateTimeField

    from config.sql_time import local_time_cursor, rfc3339

    settings.TIME_ZONE = zone
    with transaction.atomic():
        with local_time_cursor() as cursor:
            cursor.execute(f"SELECT {rfc3339('%s::timestamptz')}", [moment])
            assert cursor.fetchone()[0] == text == DateTimeField().to_representation(moment)
        # Django's own reads after it, in the same transaction, are in UTC again.
        Report.objects.filter(pk=report.pk).update(created_at=moment)
        assert Report.objects.get(pk=report.pk).created_at == moment
        with connection.cursor() as cursor:
            cursor.execute("SHOW TimeZone")
            assert cursor.fetchone()[0] == "UTC"


@pytest.mark.parametrize("in_transaction", [False, True])
@pytest.mark.parametrize("named", [False, True])
def test_local_time_rows_writes_local_time_in_one_round_trip_and_leaves_utc(report, settings, in_transaction, named,
                                                                           django_assert_num_queries):
    from contextlib import nullcontext

    from django.db import connection, transaction

    from config.sql_time import local_time_rows, rfc3339

    settings.TIME_ZONE = "Europe/Berlin"
    moment = datetime(2026, 7, 2, 10, 0, 5, tzinfo=UTC)
    sql, params = ((f"SELECT {rfc3339('%(m)s::timestamptz')}, %(n)s", {"m": moment, "n": 7}) if named
                   else (f"SELECT {rfc3339('%s::timestamptz')}, %s", [moment, 7]))
    with transaction.atomic() if in_transaction else nullcontext():
        with django_assert_num_queries(1):
            rows = local_time_rows(sql, params)
        assert rows == [("2026-07-02T12:00:05+02:00", 7)]
        with connection.cursor() as cursor:
            cursor.execute("SHOW TimeZone")
            assert cursor.fetchone()[0] == "UTC"


@pytest.mark.django_db(transaction=True)
def test_local_time_rows_failing_query_leaves_the_session_in_utc(settings):
    """In autocommit mode (the three statements are one implicit transaction) and inside a
    transaction (its rollback restores the setting)."""
    from django.db import DataError, connection, transaction

    from config.sql_time import local_time_rows

    settings.TIME_ZONE = "Europe/Berlin"
    with pytest.raises(DataError):
        local_time_rows("SELECT 1 / 0.0 * %s::int", ["x"])
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == "UTC"
    with pytest.raises(DataError):
        with transaction.atomic():
            local_time_rows("SELECT %s::int", ["x"])
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == "UTC"
