"""The OpenAPI schema at /api/schema/: generated without warnings, every error answer
documented with its body, response shapes that match what the endpoints return, and
GeoJSON for clients that ask for application/geo+json."""
import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ERROR = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        from drf_spectacular.generators import SchemaGenerator

        return SchemaGenerator().get_schema(request=None, public=True)


def _ref(operation, code):
    return operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]


def test_schema_generation_gives_no_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert schema["paths"]["/api/v1/reports/"]["get"]["operationId"] == "v1_reports_list"


def test_every_operation_documents_400_with_the_error_body(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert _ref(operation, "400") == ERROR, f"{method} {path}"


@pytest.mark.parametrize(("method", "path", "codes"), [
    ("post", "/api/v1/reports/", ["400", "413", "415", "429"]),
    ("get", "/api/v1/reports/{id}/", ["400", "404"]),
    ("post", "/api/v1/staff/reports/{id}/reroute", ["400", "401", "403", "404", "413", "415"]),
    ("post", "/api/v1/staff/reports/{id}/status", ["400", "401", "403", "404", "413", "415"]),
    ("get", "/api/mobile/v1/tasks/{id}", ["400", "401", "403", "404"]),
])
def test_error_answers_are_documented(schema, method, path, codes):
    operation = schema["paths"][path][method]
    for code in codes:
        assert _ref(operation, code) == ERROR, code


@pytest.mark.parametrize("path", ["/api/v1/staff/reports/{id}/status", "/api/v1/reports/track/{token}/reopen",
                                  "/api/v1/reports/{id}/support"])
def test_conflicts_are_documented(schema, path):
    assert _ref(schema["paths"][path]["post"], "409") == "#/components/schemas/Conflict"


def test_nearby_is_documented_as_the_object_it_returns(schema, city, api_client):
    documented = schema["paths"]["/api/v1/reports/nearby"]["get"]["responses"]["200"]["content"]["application/json"]
    component = schema["components"]["schemas"][documented["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert component["type"] == "object"
    assert set(component["properties"]) == {"radius_m", "results"}
    body = api_client.get("/api/v1/reports/nearby", {"lon": 12.05, "lat": 50.875, "category": "schlagloch"}).json()
    assert set(body) == {"radius_m", "results"}


def test_places_are_documented_as_the_object_they_return(schema):
    documented = schema["paths"]["/api/v1/places"]["get"]["responses"]["200"]["content"]["application/json"]
    component = schema["components"]["schemas"][documented["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert set(component["properties"]) == {"results", "house_number", "house_number_found", "suggestion", "message"}


@pytest.mark.parametrize("path", ["/api/v1/reports/",
                                  "/api/v1/reports/clusters?bbox=12.0,50.85,12.1,50.9&zoom=14"])
def test_accept_geojson_gets_geojson(city, api_client, path):
    response = api_client.get(path, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["type"] == "FeatureCollection"
