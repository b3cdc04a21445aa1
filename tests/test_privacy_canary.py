"""Canary test of every public output: no personal or unmoderated data, no exact coordinate.

Reports are filed through the service with unique canary values in every private field —
name, email, phone, original text, location description, an internal note, text of a hidden
report, text awaiting moderation — and at a point with more decimals than the public
precision. After the nightly jobs (`opendata_rebuild`), every public page, API, download,
DCAT format, OGC collection and Open311 resource is fetched, and none may contain a canary.
The rule itself has one owner: `reporter.public`.

Transactional: ogr2ogr reads the exports' data over its own database connection.
"""
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client

from reporter import services
from reporter.models import Report
from tests.factories import ReportFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eu_theme_groups")]

NAME, EMAIL, PHONE = "Kanarien Vogelsang", "kanarie-51c9@example.org", "+49 151 5550199"
ORIGINAL, WHERE, INTERNAL = "KANARIE-ORIGINALTEXT", "KANARIE-HINTERHOF-LINKS", "KANARIE-INTERNE-NOTIZ"
UNMODERATED, HIDDEN = "KANARIE-NOCH-NICHT-FREIGEGEBEN", "KANARIE-VERBORGEN"
# The exact point 12.0512345, 50.8754321: public outputs carry 4 decimals (12.0512, 50.8754).
EXACT = ("12.05123", "50.87543")
CANARIES = (NAME, EMAIL, PHONE.replace(" ", ""), "5550199", ORIGINAL, WHERE, INTERNAL, UNMODERATED, HIDDEN,
            "kanarie-51c9", *EXACT)


@pytest.fixture
def canary_reports(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.report_create(
            category=city.category, point=Point(12.0512345, 50.8754321, srid=4326), address="Markt 1",
            location_text=WHERE, description=ORIGINAL, reporter_name=NAME, reporter_email=EMAIL,
            reporter_phone=PHONE)
        services.report_moderate(report=approved, moderation=Report.Moderation.APPROVED,
                                 public_description="Tiefes Schlagloch vor dem Markt")
        services.report_status_change(report=approved, to_status=Report.Status.IN_PROGRESS,
                                      note_public="Wir kümmern uns.", note_internal=INTERNAL)
        pending = services.report_create(
            category=city.category, point=Point(12.0612345, 50.8654321, srid=4326), location_text=WHERE,
            description=ORIGINAL, reporter_name=NAME, reporter_email=EMAIL, reporter_phone=PHONE)
        Report.objects.filter(pk=pending.pk).update(public_description=UNMODERATED)
    hidden = ReportFactory(category=city.category, moderation=Report.Moderation.HIDDEN, public_description=HIDDEN,
                           description=ORIGINAL, reporter_email=EMAIL)
    call_command("opendata_rebuild", verbosity=0)
    return approved, pending, hidden


def _urls(approved, pending, hidden) -> list[str]:
    bbox = "bbox=11.9,50.8,12.2,50.95"
    urls = [
        "/", "/statistik/", f"/meldungen/{approved.pk}/", f"/meldungen/{pending.pk}/",
        f"/verfolgen/{approved.tracking_token}/", f"/verfolgen/{hidden.tracking_token}/",
        f"/melden/gesendet/{approved.tracking_token}/",
        f"/api/v1/reports/?{bbox}", f"/api/v1/reports/{approved.pk}/", f"/api/v1/reports/{pending.pk}/",
        f"/api/v1/reports/track/{approved.tracking_token}/", f"/api/v1/reports/clusters?{bbox}&zoom=12",
        f"/api/v1/reports/clusters?{bbox}&zoom=18",
        "/api/v1/reports/nearby?lon=12.0512&lat=50.8754&category=schlagloch",
        "/open311/v2/requests.json", "/open311/v2/requests.xml", f"/open311/v2/requests/{approved.pk}.json",
        f"/open311/v2/requests/{pending.pk}.xml", f"/open311/v2/tokens/{approved.tracking_token}.json",
        "/ogc/collections/reports", "/ogc/collections/reports/items?f=json", "/ogc/collections/reports/items?f=html",
        f"/ogc/collections/reports/items/{approved.pk}?f=json", f"/ogc/collections/reports/items/{pending.pk}?f=html",
        "/catalog.ttl", "/catalog.rdf", "/catalog.jsonld", "/dataset/meldungen.ttl", "/dataset/meldungen.jsonld",
        "/dataset/", "/dataset/meldungen", "/api/3/action/package_search?q=meldungen",
        "/api/3/action/package_show?id=meldungen", "/api/3/action/current_package_list_with_resources",
    ]
    return urls


def test_no_public_output_contains_a_canary(canary_reports):
    client = Client()
    fetched = 0
    for url in _urls(*canary_reports):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        for canary in CANARIES:
            assert canary not in text, f"{canary!r} in {url}"
        fetched += 1
    # Every generated download (GeoJSON, CSV, GeoPackage) through the public download links.
    package = client.get("/api/3/action/package_show?id=meldungen").json()["result"]
    assert sorted(r["format"] for r in package["resources"]) == ["CSV", "GPKG", "GeoJSON"]
    for resource in package["resources"]:
        response = client.get(resource["url"].split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
        assert response.status_code == 200, resource["url"]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for canary in CANARIES:
            assert canary.encode() not in body, f"{canary!r} in {resource['format']}"
        fetched += 1
    assert fetched == len(_urls(*canary_reports)) + 3


def test_public_outputs_show_the_moderated_text_and_rounded_point(canary_reports):
    """The same outputs do carry the public data (the canary test is not passing by emptiness)."""
    approved, _pending, _hidden = canary_reports
    client = Client()
    detail = client.get(f"/api/v1/reports/{approved.pk}/").json()
    assert (detail["lon"], detail["lat"]) == (12.0512, 50.8754)
    assert detail["description"] == "Tiefes Schlagloch vor dem Markt"
    feature = client.get(f"/ogc/collections/reports/items/{approved.pk}?f=json").json()
    assert feature["geometry"]["coordinates"] == [12.0512, 50.8754]
    open311 = json.loads(client.get(f"/open311/v2/requests/{approved.pk}.json").content)
    assert (open311[0]["long"], open311[0]["lat"]) == (12.0512, 50.8754)
    assert "Markt 1" in client.get(f"/meldungen/{approved.pk}/").content.decode()
