"""CORS (django-cors-headers, CORS_URLS_REGEX in the settings): the open interfaces — Open311,
CKAN Action API, OGC API, DCAT catalogue, downloads, public /api/v1/ — answer browsers on any
origin with `Access-Control-Allow-Origin: *` and never allow credentials; preflights are
answered. The staff API, the field-crew API and the back office send no CORS header at all."""
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client

from open311.services import client_create
from opendata.models import Resource
from tests.opendata.factories import DatasetFactory, ResourceFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://andere-app.example"


@pytest.fixture
def browser():
    """A client whose every request comes from a page on another origin."""
    return Client(headers={"Origin": ORIGIN})


@pytest.fixture
def dataset(monkeypatch):
    monkeypatch.setattr(Resource._meta.get_field("upload"), "storage", storages["private"])
    dataset = DatasetFactory(name="baeume")
    resource = ResourceFactory(package=dataset, url="", url_type="upload", format="CSV")
    resource.upload.save("baeume.csv", ContentFile(b"id,art\n1,Linde\n"), save=True)
    return dataset


def open_paths(dataset) -> list[str]:
    resource = dataset.resources.get()
    return [
        "/open311/v2/discovery.json",
        "/open311/v2/services.xml",
        "/open311/v2/requests.json",
        "/api/3/action/package_list",
        "/api/action/package_show?id=baeume",
        "/api/3",
        "/ogc/",
        "/ogc/collections",
        "/catalog.ttl",
        "/catalog.jsonld",
        "/dataset/baeume.ttl",
        f"/dataset/{dataset.pk}/resource/{resource.pk}/download/baeume.csv",
        "/api/v1/categories/",
        "/api/v1/reports/",
    ]


CLOSED_PATHS = [
    "/api/v1/staff/reports/1/",
    "/api/mobile/v1/tasks",
    "/api/mobile/v1/me",
    "/sachbearbeitung/",
    "/konto/",
    "/",
]


def test_open_interfaces_allow_any_origin_without_credentials(browser, city, dataset):
    for path in open_paths(dataset):
        response = browser.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response, path


def test_error_answers_of_open_interfaces_are_readable_too(browser, city):
    """A browser app must be able to read the Open311/CKAN error document, not a CORS failure."""
    for path, status in [("/open311/v2/requests.json?bbox=1,2,3", 400), ("/open311/v2/requests/999999.json", 404),
                         ("/api/3/action/package_show?id=gibtsnicht", 404), ("/ogc/collections/gibtsnicht", 404),
                         ("/ogc/collections/reports/items?limit=0", 400)]:
        response = browser.get(path)
        assert (response.status_code, response["Access-Control-Allow-Origin"]) == (status, "*"), path


def test_preflight_is_answered_for_open_interfaces(browser, city, dataset):
    for path in open_paths(dataset):
        response = browser.options(path, headers={"Access-Control-Request-Method": "GET",
                                                  "Access-Control-Request-Headers": "accept"})
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
        assert methods == {"GET", "HEAD", "OPTIONS", "POST"}, path
        assert "Access-Control-Allow-Credentials" not in response, path


def test_open311_post_with_api_key_from_a_browser(browser, city):
    _client, key = client_create(name="Browser-App")
    preflight = browser.options("/open311/v2/requests.json", headers={"Access-Control-Request-Method": "POST"})
    assert (preflight.status_code, preflight["Access-Control-Allow-Origin"]) == (200, "*")
    response = browser.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "schlagloch", "lat": "50.875", "long": "12.05",
        "description": "Loch vor dem Rathaus"})
    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_no_cors_for_staff_crew_and_back_office(browser, city):
    for path in CLOSED_PATHS:
        response = browser.get(path)
        assert "Access-Control-Allow-Origin" not in response, (path, response.status_code)
        preflight = browser.options(path, headers={"Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "authorization"})
        assert "Access-Control-Allow-Origin" not in preflight, path
        assert "Access-Control-Allow-Methods" not in preflight, path


def test_no_cors_headers_without_an_origin(city):
    """Same-origin and non-browser clients get no CORS headers (nothing to decide)."""
    response = Client().get("/open311/v2/requests.json")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
