"""GET /open311/v2/discovery.json|.xml — Service Discovery (wiki.open311.org/Service_Discovery).

`changeset` is the newest `Category.updated_at` in the site's time zone (Europe/Berlin),
or OPEN311["CHANGESET"] while there are no categories.
"""
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

CONTACT = "Stadtmelder Gera (Demo), E-Mail: stadtmelder@example.invalid"
KEY_SERVICE = ("Lesen ist ohne Schlüssel möglich. Einen API-Schlüssel (api_key) zum Melden vergibt die "
               "Stadtverwaltung auf Anfrage: stadtmelder@example.invalid")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://melder.example"
    settings.DEFAULT_FROM_EMAIL = "stadtmelder@example.invalid"
    settings.FRONTEND = {**settings.FRONTEND, "CITY_NAME": "Gera (Demo)"}


def test_discovery_json(client):
    """No categories yet: the changeset is the setting's default."""
    response = client.get("/open311/v2/discovery.json", headers={"Origin": "https://app.example"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.content) == {
        "changeset": "2026-12-01T00:00:00Z",
        "contact": CONTACT,
        "key_service": KEY_SERVICE,
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "https://melder.example/open311/v2",
            "changeset": "2026-12-01T00:00:00Z",
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def test_discovery_xml(client):
    response = client.get("/open311/v2/discovery.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<discovery><changeset>2026-12-01T00:00:00Z</changeset>"
        f"<contact>{CONTACT}</contact><key_service>{KEY_SERVICE}</key_service>"
        "<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification>"
        "<url>https://melder.example/open311/v2</url><changeset>2026-12-01T00:00:00Z</changeset>"
        "<type>production</type><formats><format>text/xml</format><format>application/json</format></formats>"
        "</endpoint></endpoints></discovery>"
    )
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


def test_discovery_settings_override(client, settings):
    """No categories yet: OPEN311["CHANGESET"] is the changeset."""
    settings.OPEN311 = {"CHANGESET": "2027-01-05T08:00:00Z", "CONTACT": "open311@stadt.example",
                        "KEY_SERVICE": "https://stadt.example/open311-schluessel"}
    body = json.loads(client.get("/open311/v2/discovery.json").content)
    assert (body["changeset"], body["contact"], body["key_service"], body["endpoints"][0]["changeset"]) == (
        "2027-01-05T08:00:00Z", "open311@stadt.example", "https://stadt.example/open311-schluessel",
        "2027-01-05T08:00:00Z")


def changesets(client) -> tuple[str, str, str]:
    body = json.loads(client.get("/open311/v2/discovery.json").content)
    xml_root = ET.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert xml_root.findtext("endpoints/endpoint/changeset") == xml_root.findtext("changeset")
    return body["changeset"], body["endpoints"][0]["changeset"], xml_root.findtext("changeset")


def test_changeset_is_the_newest_category_change(client, settings, time_machine):
    settings.OPEN311 = {"CHANGESET": "2027-01-05T08:00:00Z"}  # only used without categories
    # Monday, 2 March 2026, 10:00 UTC = 11:00 CET (UTC+1).
    time_machine.move_to(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False)
    pothole = CategoryFactory(slug="schlagloch")
    assert changesets(client) == ("2026-03-02T11:00:00+01:00",) * 3

    # A newer category; 30 March 2026 is after the switch to summer time (CEST, UTC+2).
    time_machine.move_to(datetime(2026, 3, 30, 14, 15, 30, 250_000, tzinfo=UTC), tick=False)
    CategoryFactory(slug="laterne")
    assert changesets(client) == ("2026-03-30T16:15:30+02:00",) * 3

    # Changing the older one's questions, or deactivating it, is a change of the service list.
    time_machine.move_to(datetime(2026, 4, 1, 7, 0, tzinfo=UTC), tick=False)
    pothole.questions = [{"key": "groesse", "label": "Größe", "type": "text"}]
    pothole.save()
    assert changesets(client) == ("2026-04-01T09:00:00+02:00",) * 3
    time_machine.move_to(datetime(2026, 4, 2, 7, 0, tzinfo=UTC), tick=False)
    pothole.is_active = False
    pothole.save(update_fields=["is_active", "updated_at"])
    assert changesets(client) == ("2026-04-02T09:00:00+02:00",) * 3


def test_unknown_format_and_method(client):
    assert client.get("/open311/v2/discovery.html").status_code == 404
    assert client.post("/open311/v2/discovery.json").status_code == 405
