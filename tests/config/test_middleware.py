"""InputGuardMiddleware: control characters are refused once, where input enters, with 400
in the format of the interface asked (CKAN, Open311, OGC, JSON API, HTML page)."""
import json

import pytest
from django.test import Client

from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

CONTROL = "Unzulässiges Steuerzeichen (z. B. ein NUL-Byte)"
ROUTE_QUERY = "lon=12.05&lat=50.875&category="


def _json_detail(response):
    return response.json()["detail"]


def _open311_description(response):
    body = response.json()
    assert body[0]["code"] == 400
    return body[0]["description"]


def _ckan_message(response):
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    return body["error"]["message"]


def _ogc_description(response):
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    return body["description"]


def _html(response):
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


# (method, path, body or None, content type, how to read the message out of the answer)
CASES = [
    ("get", "/open311/v2/services/%00.json", None, None, _open311_description),
    ("get", "/open311/v2/requests.json?service_code=%00", None, None, _open311_description),
    ("get", "/open311/v2/requests/%00.json", None, None, _open311_description),
    ("get", "/open311/v2/tokens/%00.json", None, None, _open311_description),
    ("post", "/open311/v2/requests.json", {"service_code": "schlag\x00loch", "lat": "50.875", "long": "12.05"},
     "application/x-www-form-urlencoded", _open311_description),
    ("get", "/api/3/action/package_show?id=%00", None, None, _ckan_message),
    ("get", "/api/3/action/package_search?q=%00", None, None, _ckan_message),
    ("get", "/api/3/action/package_search?fq=tags:%00", None, None, _ckan_message),
    ("get", "/api/action/package_show?id=a%01b", None, None, _ckan_message),
    ("post", "/api/3/action/package_search", {"q": "\u0000"}, "application/json", _ckan_message),
    ("get", "/ogc/collections/reports/items?bbox=%00", None, None, _ogc_description),
    ("get", "/dataset/?q=%00", None, None, _html),
    ("get", "/verfolgen/%00/", None, None, _html),
    ("get", "/api/v1/route?" + ROUTE_QUERY + "%00", None, None, _json_detail),
    ("get", "/api/v1/reports/nearby?" + ROUTE_QUERY + "%00", None, None, _json_detail),
    ("get", "/api/v1/places?q=Rat%1Bhaus", None, None, _json_detail),
    ("get", "/api/v1/reports/track/%00/", None, None, _json_detail),
    ("post", "/api/v1/reports/", {"category": "schlagloch", "lon": 12.05, "lat": 50.875, "description": "a\u0000b"},
     "application/json", _json_detail),
    ("post", "/api/v1/reports/", {"category": "schlagloch", "lon": "12.05", "lat": "50.875", "description": "a\x00b"},
     "multipart", _json_detail),
    ("post", "/api/v1/staff/reports/{pk}/reroute", {"reason": "falsch\u0000", "lon": 12.05, "lat": 50.875},
     "application/json", _json_detail),
    ("post", "/api/mobile/v1/auth/token", {"username": "\u0000", "password": "x"}, "application/json", _json_detail),
]


@pytest.mark.parametrize("method,path,body,content_type,message_of", CASES,
                         ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_control_character_is_400_in_the_interface_format(city, staff_user, method, path, body, content_type,
                                                           message_of):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    path = path.format(pk=ReportFactory(category=city.category, department=city.department).pk)
    if method == "get":
        response = client.get(path)
    elif content_type == "multipart":
        response = client.post(path, body)
    elif content_type == "application/json":
        response = client.post(path, json.dumps(body), content_type=content_type)
    else:
        from urllib.parse import urlencode
        response = client.post(path, urlencode(body), content_type=content_type)
    assert response.status_code == 400
    assert CONTROL in message_of(response)


@pytest.mark.parametrize("text", ["Zeile 1\nZeile 2", "Spalte\tWert", "Windows\r\nZeile"])
def test_tab_cr_lf_are_allowed_in_bodies(city, api_client, text):
    response = api_client.post("/api/v1/reports/", {"category": "schlagloch", "lon": 12.05, "lat": 50.875,
                                                    "description": text}, format="json")
    assert response.status_code == 201


def test_tab_in_the_query_string_is_refused(city, api_client):
    response = api_client.get("/api/v1/reports/", {"category": "schlag\tloch"})
    assert response.status_code == 400
    assert response.json() == {"detail": f"{CONTROL} im Parameter „category“."}


def test_message_in_english(city, api_client):
    response = api_client.get("/api/v1/route?" + ROUTE_QUERY + "%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"detail": "Control character (such as a NUL byte) not allowed in parameter "
                                         "“category”."}
