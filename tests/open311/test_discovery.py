"""GET /open311/v2/discovery.json|.xml — Service Discovery (wiki.open311.org/Service_Discovery)."""
import json
import xml.etree.ElementTree as ET

import pytest

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
    response = client.get("/open311/v2/discovery.json")
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
    settings.OPEN311 = {"CHANGESET": "2027-01-05T08:00:00Z", "CONTACT": "open311@stadt.example",
                        "KEY_SERVICE": "https://stadt.example/open311-schluessel"}
    body = json.loads(client.get("/open311/v2/discovery.json").content)
    assert (body["changeset"], body["contact"], body["key_service"], body["endpoints"][0]["changeset"]) == (
        "2027-01-05T08:00:00Z", "open311@stadt.example", "https://stadt.example/open311-schluessel",
        "2027-01-05T08:00:00Z")


def test_unknown_format_and_method(client):
    assert client.get("/open311/v2/discovery.html").status_code == 404
    assert client.post("/open311/v2/discovery.json").status_code == 405
