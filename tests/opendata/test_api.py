"""The Action API's HTTP contract (opendata.api.views): envelope, routes, CKAN's error
objects and status codes, GET/POST rules, CSRF exemption, no redirects."""
import json

import pytest
from django.conf import settings
from django.test import Client

from opendata.licenses import LICENSES
from tests.opendata.factories import DatasetFactory

pytestmark = pytest.mark.django_db


def help_url(name: str) -> str:
    return f"{settings.SITE_URL}/api/3/action/help_show?name={name}"


def test_api_version(ckan):
    for path in ("/api/3", "/api/3/"):
        response = Client().get(path)
        assert response.status_code == 200
        assert response.json() == {"version": 3}


def test_envelope_on_both_routes(ckan, org):
    DatasetFactory(name="baustellen", owner_org=org)
    for prefix in ("/api/3/action/", "/api/action/"):
        response = ckan("package_list", method="GET", path=prefix)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"help": help_url("package_list"), "success": True, "result": ["baustellen"]}


def test_trailing_slash_is_served_not_redirected(ckan):
    response = Client().get("/api/3/action/package_list/")
    assert response.status_code == 200
    assert response.json()["success"] is True


def test_unknown_action_is_400_with_ckan_message(ckan):
    response = ckan("foo", method="GET")
    assert response.status_code == 400
    assert response.json() == "Bad request - Action name not known: foo"
    assert ckan("foo").status_code == 400


def test_get_on_write_action_is_400(ckan):
    response = ckan("package_create", {"name": "x"}, method="GET")
    assert response.status_code == 400
    assert response.json() == ("Bad request - JSON Error: Invalid request. Please use POST method for your "
                               "request")


def test_broken_json_body_is_400(ckan):
    response = ckan.client.post("/api/3/action/package_show", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json().startswith("Bad request - JSON Error: Error decoding JSON data.")


def test_json_body_must_be_an_object(ckan):
    response = ckan.client.post("/api/3/action/package_list", "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == ("Bad request - JSON Error: Request data JSON decoded to [1, 2] but it needs "
                               "to be a dictionary.")


def test_post_json_to_read_action(ckan, org):
    dataset = DatasetFactory(owner_org=org)
    response = ckan("package_show", {"id": str(dataset.id), "unknown_parameter": 1})
    assert response.status_code == 200
    assert response.json()["result"]["name"] == dataset.name


def test_other_methods_are_405(ckan):
    assert Client().put("/api/3/action/package_list").status_code == 405
    assert Client().delete("/api/3/action/package_list").status_code == 405


def test_not_found_error_object(ckan):
    response = ckan("package_show", {"id": "gibt-es-nicht"}, method="GET")
    assert response.status_code == 404
    assert response.json() == {"help": help_url("package_show"), "success": False,
                                "error": {"__type": "Not Found Error", "message": "Not found"}}


def test_validation_error_object(ckan):
    response = ckan("package_show", method="GET")
    assert response.status_code == 409
    assert response.json()["error"] == {"__type": "Validation Error", "name_or_id": ["Missing value"]}


def test_authorization_error_object(ckan):
    response = ckan("package_create", {"name": "neu"})
    assert response.status_code == 403
    assert response.json()["error"] == {"__type": "Authorization Error",
                                        "message": "Access denied: User  not authorized to create packages"}


def test_write_is_csrf_exempt(org, editor_token):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/3/action/package_create", json.dumps({"name": "csrf-frei", "owner_org": org.name}),
                           content_type="application/json", HTTP_AUTHORIZATION=editor_token)
    assert response.status_code == 200, response.content


def test_session_cookie_never_authorises_writes(org, editor):
    client = Client()
    client.force_login(editor)
    response = client.post("/api/3/action/package_create", json.dumps({"name": "per-cookie", "owner_org": org.name}),
                           content_type="application/json")
    assert response.status_code == 403


def test_help_show(ckan):
    response = ckan("help_show", {"name": "package_search"}, method="GET")
    assert response.status_code == 200
    assert response.json()["result"].startswith("Search datasets.")
    missing = ckan("help_show", {"name": "nope"}, method="GET")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Not found: Action function not found"


def test_status_show(ckan):
    result = ckan("status_show", method="GET").json()["result"]
    assert result["ckan_version"].startswith("2.10.")
    assert result["site_url"] == settings.SITE_URL
    assert result["site_title"]
    assert result["extensions"] == ["spatial_query"]
    assert result["locale_default"] == "de"


def test_license_list_is_the_dcat_ap_de_vocabulary(ckan):
    result = ckan("license_list", method="GET").json()["result"]
    by_id = {lic["id"]: lic for lic in result}
    assert set(by_id) == set(LICENSES)
    for license_id in ("dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0", "cc-zero", "cc-by-sa/4.0", "odbl"):
        assert license_id in by_id
    assert by_id["dl-by-de/2.0"]["title"] == "Datenlizenz Deutschland Namensnennung 2.0"
    assert by_id["dl-by-de/2.0"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert by_id["dl-by-de/2.0"]["od_conformance"] == "approved"
    assert by_id["other-closed"]["od_conformance"] == "not reviewed"
    assert set(by_id["cc-by/4.0"]) == {"domain_content", "domain_data", "domain_software", "family", "id",
                                        "is_generic", "maintainer", "od_conformance", "osd_conformance",
                                        "status", "title", "url"}
