"""One error class, one DRF handler, one mapping per interface: a ServiceError raised anywhere
is answered with its status in the format of the interface asked; Django's 404 speaks each
interface's format; JSON bodies that are not objects are refused with 400 on every write."""
import json

import pytest
from django.test import Client, RequestFactory

from config.errors import ServiceError, error_response
from geodata.errors import LayerImportError, PlaceImportError
from mobile_api.errors import ActionNotAllowed, IdempotencyKeyReused, SyncExpired, VersionMismatch
from open311.errors import Open311Error
from opendata.errors import CatalogueError
from opendata.geo.errors import GeoIngestError
from opendata.ogc.params import OgcParamError
from reporter.models import Report
from reporter.photos import PhotoError, PhotoTooLarge
from reporter.services import ReportInputError
from reporter.workflow import TransitionNotAllowed
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

# PhotoTooLarge's message (filesizeformat puts a no-break space before the unit).
MESSAGE = "Das Foto ist zu groß (2,0\xa0MB). Erlaubt sind höchstens 1,0\xa0MB."


@pytest.mark.parametrize("error_class", [
    PhotoError, ReportInputError, TransitionNotAllowed, ActionNotAllowed, VersionMismatch, IdempotencyKeyReused,
    SyncExpired, CatalogueError, Open311Error, OgcParamError, GeoIngestError, LayerImportError, PlaceImportError,
])
def test_every_domain_error_is_a_service_error(error_class):
    assert issubclass(error_class, ServiceError)


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/reports/1/", {"detail": MESSAGE, "errors": {"photos": [MESSAGE]}}),
    ("/open311/v2/requests.json", [{"code": 413, "description": MESSAGE}]),
    ("/ogc/collections", {"code": "PayloadTooLarge", "description": MESSAGE}),
    ("/api/3/action/resource_create", {
        "help": "http://127.0.0.1:8000/api/3/action/help_show?name=resource_create", "success": False,
        "error": {"__type": "Validation Error", "message": MESSAGE}}),
])
def test_one_error_in_each_interface_format(settings, path, body):
    settings.SITE_URL = "http://127.0.0.1:8000"
    response = error_response(RequestFactory().get(path), PhotoTooLarge(size=2 * 1024 * 1024, limit=1024 * 1024))
    assert response.status_code == 413
    assert json.loads(response.content) == body


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/nichts", {"detail": "Diese Seite oder Ressource gibt es nicht."}),
    ("/api/mobile/v1/nichts", {"detail": "Diese Seite oder Ressource gibt es nicht."}),
    ("/open311/v2/nichts.json", [{"code": 404, "description": "Diese Seite oder Ressource gibt es nicht."}]),
    ("/ogc/nichts/da", {"code": "NotFound", "description": "Diese Seite oder Ressource gibt es nicht."}),
])
def test_unknown_api_paths_are_404_in_the_interface_format(path, body):
    response = Client().get(path)
    assert response.status_code == 404
    assert response.json() == body


def test_unknown_open311_xml_path_is_404_xml():
    response = Client().get("/open311/v2/nichts.xml")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/xml") or response["Content-Type"].startswith("application/xml")
    assert b"<errors><error><code>404</code>" in response.content


@pytest.fixture
def writes(city, staff_user, department):
    report = ReportFactory(category=city.category, department=department, status=Report.Status.RESOLVED)
    return [
        "/api/v1/reports/",
        f"/api/v1/reports/{report.pk}/support",
        f"/api/v1/reports/track/{report.tracking_token}/reopen",
        f"/api/v1/staff/reports/{report.pk}/status",
        f"/api/v1/staff/reports/{report.pk}/reroute",
        f"/api/v1/staff/reports/{report.pk}/moderate",
        "/api/mobile/v1/auth/token",
    ]


@pytest.mark.parametrize("body", ["true", "[1,2]", "null", "7"])
def test_json_body_that_is_not_an_object_is_400_on_every_write(writes, staff_client, body):
    for path in writes:
        response = staff_client.post(path, body, content_type="application/json")
        assert response.status_code == 400, (path, response.content[:200])
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]
