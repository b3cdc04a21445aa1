"""Write actions: permissions with API tokens, CKAN's validation errors (409, nothing
written), update/patch/delete semantics, resources with uploads and their downloads."""
import hashlib
import json
import uuid

import pytest
from django.core.files.storage import storages

from opendata.models import ApiToken, Dataset, Resource, Tag
from tests.opendata.factories import (
    DatasetFactory,
    GroupFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    member_add,
    token_for,
)

pytestmark = pytest.mark.django_db

POINT = '{"type": "Point", "coordinates": [12.08, 50.88]}'
CSV = b"lon,lat,name\n12.08,50.88,Baustelle\n"


def ok(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    return body["result"]


def failed(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def assert_nothing_written(before: dict):
    assert counts() == before


def counts() -> dict:
    return {"datasets": Dataset.objects.count(), "tags": Tag.objects.count(), "resources": Resource.objects.count()}


# --- package_create -----------------------------------------------------------------------

def test_package_create(ckan, org, editor, editor_token):
    GroupFactory(name="tran", title="Verkehr")
    payload = {
        "name": "baustellen-2025", "title": "Baustellen 2025", "notes": "Alle Baustellen", "owner_org": "tiefbauamt",
        "license_id": "dl-by-de/2.0", "author_email": "tiefbau@stadt.example", "private": False,
        "tags": [{"name": "verkehr"}, {"name": "baustellen"}], "tag_string": "strasse",
        "groups": [{"name": "tran"}],
        "extras": [{"key": "spatial", "value": POINT}, {"key": "quelle", "value": "Tiefbauamt"},
                   {"key": "frequency", "value": "WEEKLY"}],
        "temporal_start": "2025-01-01", "temporal_end": "2025-12-31T00:00:00",
        "contributorID": '["http://dcat-ap.de/def/contributors/stadtGera"]',
        "resources": [{"name": "Liste", "url": "https://daten.example.org/baustellen.csv"}],
        "unbekannter_parameter": "wird ignoriert",
    }
    result = ok(ckan("package_create", payload, token=editor_token))
    dataset = Dataset.objects.get(name="baustellen-2025")
    assert result["id"] == str(dataset.id)
    assert result["owner_org"] == str(org.id)
    assert result["creator_user_id"] == str(editor.pk)
    assert [t["name"] for t in result["tags"]] == ["baustellen", "strasse", "verkehr"]
    assert [g["name"] for g in result["groups"]] == ["tran"]
    extras = {e["key"]: e["value"] for e in result["extras"]}
    assert json.loads(extras["spatial"]) == {"type": "Point", "coordinates": [12.08, 50.88]}
    assert extras["frequency"].endswith("/frequency/WEEKLY")
    assert extras["quelle"] == "Tiefbauamt"
    assert (dataset.spatial.x, dataset.spatial.y, dataset.spatial.srid) == (12.08, 50.88, 4326)
    assert str(dataset.temporal_start) == "2025-01-01" and str(dataset.temporal_end) == "2025-12-31"
    assert dataset.contributor_id == "http://dcat-ap.de/def/contributors/stadtGera"
    assert dataset.extras == {"quelle": "Tiefbauamt"}
    assert result["resources"][0]["format"] == "CSV"
    assert result["resources"][0]["mimetype"] == "text/csv"
    assert result["metadata_created"] == result["metadata_modified"]
    # indexed for search at once
    found = ckan("package_search", {"q": "Baustelle"}, method="GET").json()["result"]
    assert [d["name"] for d in found["results"]] == ["baustellen-2025"]


def test_package_create_defaults_and_org_by_id(ckan, org, editor_token):
    result = ok(ckan("package_create", {"name": "minimal", "owner_org": str(org.id)}, token=editor_token))
    assert result["title"] == "minimal"
    assert result["private"] is False
    assert result["tags"] == [] and result["resources"] == [] and result["extras"] == []
    assert result["license_id"] is None and result["isopen"] is False


def test_package_create_validation_errors_write_nothing(ckan, org, editor_token):
    DatasetFactory(name="vergeben", owner_org=org)
    before = counts()
    response = ckan("package_create", {
        "name": "vergeben", "owner_org": "tiefbauamt", "author_email": "keine-mail", "license_id": "meine-lizenz",
        "tags": [{"name": "ok"}, {"name": "x"}, {"name": "böse/zeichen"}],
        "extras": [{"key": "spatial", "value": "{kaputt"}, {"key": "name", "value": "x"}],
        "temporal_start": "2025-12-31", "temporal_end": "2025-01-01", "groups": [{"name": "gibt-es-nicht"}],
        "resources": [{"name": "ohne url"}],
    }, token=editor_token)
    error = failed(response, 409)
    assert error["__type"] == "Validation Error"
    assert error["name"] == ["That URL is already in use."]
    assert error["author_email"] == ["Email keine-mail is not a valid format"]
    assert error["license_id"] == ["License meine-lizenz is not in the DCAT-AP.de licence vocabulary (see "
                                   "license_list)"]
    assert error["tags"] == [{}, {"name": ['Tag "x" length is less than minimum 2']},
                             {"name": ['Tag "böse/zeichen" must be alphanumeric characters or symbols: -_.']}]
    assert error["extras"] == [{}, {"key": ["There is a schema field with the same name"]}]
    assert error["spatial"][0].startswith("Error decoding JSON object")
    assert error["temporal_end"] == ["End date must not be before start date"]
    assert error["groups"] == [{"name": ["Group was not found."]}]
    assert error["resources"] == [{"url": ["Missing value"]}]
    assert_nothing_written(before)


@pytest.mark.parametrize("payload, field, message", [
    ({}, "name", "Missing value"),
    ({"name": "A"}, "name", "Must be at least 2 characters long"),
    ({"name": "Groß"}, "name", "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"),
    ({"name": "new"}, "name", "That name cannot be used"),
    ({"name": "x" * 101}, "name", "Name must be a maximum of 100 characters long"),
    ({"name": "ok-name", "spatial": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}, "spatial",
     "Geometry type LineString is not supported; use Point, Polygon, MultiPolygon"),
    ({"name": "ok-name", "spatial": '{"type": "Point", "coordinates": [50.88, 120.0]}'}, "spatial",
     "Coordinates out of range: GeoJSON is longitude, latitude in EPSG:4326"),
    ({"name": "ok-name", "temporal_start": "01.01.2025"}, "temporal_start", "Date format incorrect"),
    ({"name": "ok-name", "frequency": "sometimes"}, "frequency",
     "Unknown frequency sometimes: use a code of the EU frequency vocabulary, e.g. MONTHLY"),
    ({"name": "ok-name", "contributorID": '["a", "b"]'}, "contributorID", "Only one contributorID is supported"),
    ({"name": "ok-name", "extras": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]}, "extras",
     'Duplicate key "a"'),
])
def test_package_create_field_errors(ckan, org, editor_token, payload, field, message):
    before = counts()
    error = failed(ckan("package_create", {"owner_org": "tiefbauamt", **payload}, token=editor_token), 409)
    assert message in error[field]
    assert_nothing_written(before)


def test_licence_aliases_are_normalised(ckan, org, editor_token):
    assert ok(ckan("package_create", {"name": "cc0", "owner_org": org.name, "license_id": "cc-zero/1.0"},
                   token=editor_token))["license_id"] == "cc-zero"
    assert ok(ckan("package_create", {"name": "odbl", "owner_org": org.name, "license_id": "odc-odbl"},
                   token=editor_token))["license_id"] == "odbl"


def test_package_create_permissions(ckan, org):
    payload = {"name": "neu", "owner_org": "tiefbauamt"}
    assert failed(ckan("package_create", payload), 403)["message"] == (
        "Access denied: User  not authorized to create packages")
    nobody = UserFactory(username="niemand")
    assert failed(ckan("package_create", payload, token=token_for(nobody)), 403)["message"] == (
        "Access denied: User niemand not authorized to create packages")
    reader = UserFactory(username="leserin")
    member_add(org, reader, "member")
    assert ckan("package_create", payload, token=token_for(reader)).status_code == 403
    other_editor = UserFactory(username="andere")
    member_add(OrganizationFactory(), other_editor, "editor")
    assert failed(ckan("package_create", payload, token=token_for(other_editor)), 403)["message"] == (
        "Access denied: User andere not authorized to add dataset to this organization")
    assert ckan("package_create", {**payload, "owner_org": "gibt-es-nicht"},
                token=token_for(other_editor)).status_code == 403
    assert failed(ckan("package_create", {"name": "neu"}, token=token_for(other_editor)), 409)["owner_org"] == [
        "An organization must be provided"]
    admin = UserFactory(is_superuser=True)
    assert failed(ckan("package_create", {**payload, "owner_org": "gibt-es-nicht"}, token=token_for(admin)),
                  409)["owner_org"] == ["Organization does not exist"]
    assert ok(ckan("package_create", payload, token=token_for(admin)))["name"] == "neu"
    org_admin = UserFactory()
    member_add(org, org_admin, "admin")
    assert ok(ckan("package_create", {**payload, "name": "neu-2"}, token=token_for(org_admin)))["name"] == "neu-2"
    assert Dataset.objects.count() == 2


def test_sysadmin_may_keep_ids(ckan, org):
    admin_token = token_for(UserFactory(is_superuser=True))
    dataset_id, resource_id = uuid.uuid4(), uuid.uuid4()
    result = ok(ckan("package_create", {"id": str(dataset_id), "name": "gespiegelt", "owner_org": org.name,
                                        "resources": [{"id": str(resource_id), "url": "https://x.example/a.csv"}]},
                     token=admin_token))
    assert result["id"] == str(dataset_id) and result["resources"][0]["id"] == str(resource_id)
    error = failed(ckan("package_create", {"id": str(dataset_id), "name": "zweiter", "owner_org": org.name},
                        token=admin_token), 409)
    assert error["id"] == ["Dataset id already exists"]


def test_revoked_token_is_anonymous_and_last_used_is_recorded(ckan, org, editor):
    raw = token_for(editor)
    token = ApiToken.objects.get(token_hash=ApiToken.digest(raw))
    assert token.last_used is None
    ok(ckan("package_create", {"name": "mit-token", "owner_org": org.name}, token=raw))
    token.refresh_from_db()
    assert token.last_used is not None
    assert raw not in str(ApiToken.objects.values_list())
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert ckan("package_create", {"name": "widerrufen", "owner_org": org.name}, token=raw).status_code == 403


# --- package_update / package_patch ---------------------------------------------------------

def test_package_update_replaces_metadata_keeps_omitted_resources(ckan, org, editor_token):
    dataset = DatasetFactory(name="alt", owner_org=org, tags=["a1", "b2"], notes="alt", author="A")
    ResourceFactory(package=dataset)
    result = ok(ckan("package_update", {"id": str(dataset.id), "name": "neu", "title": "Neu",
                                        "tags": [{"name": "c3"}]}, token=editor_token))
    assert result["name"] == "neu" and result["title"] == "Neu"
    assert [t["name"] for t in result["tags"]] == ["c3"]
    assert result["notes"] is None and result["author"] is None
    assert result["num_resources"] == 1
    assert result["metadata_modified"] > result["metadata_created"]


def test_package_update_with_resources_reorders_updates_and_deletes(ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org)
    first, second = ResourceFactory(package=dataset, position=0), ResourceFactory(package=dataset, position=1)
    ResourceFactory(package=dataset, position=2)
    shown = ok(ckan("package_show", {"id": dataset.name}, method="GET"))
    resources = shown["resources"]
    resources = [{**resources[1], "name": "umbenannt"}, resources[0],
                 {"url": "https://daten.example.org/neu.geojson"}]
    result = ok(ckan("package_update", {**shown, "resources": resources}, token=editor_token))
    assert [r["id"] for r in result["resources"][:2]] == [str(second.id), str(first.id)]
    assert result["resources"][0]["name"] == "umbenannt"
    assert result["resources"][2]["format"] == "GeoJSON"
    assert [r["position"] for r in result["resources"]] == [0, 1, 2]
    assert Resource.objects.filter(package=dataset).count() == 3


def test_package_update_errors(ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org)
    assert failed(ckan("package_update", {"title": "x"}, token=editor_token), 409) == {
        "__type": "Validation Error", "id": ["Missing value"]}
    assert failed(ckan("package_update", {"id": str(uuid.uuid4())}, token=editor_token), 404)["message"] == (
        "Not found: Package was not found.")
    other = DatasetFactory(owner_org=OrganizationFactory())
    assert failed(ckan("package_update", {"id": other.name}, token=editor_token), 403)["message"] == (
        f"Access denied: User redakteurin not authorized to edit package {other.id}")
    assert failed(ckan("package_update", {"id": dataset.name}), 403)["message"] == (
        "Access denied: Action package_update requires an authenticated user")
    foreign = OrganizationFactory(name="fremdes-amt")
    error = failed(ckan("package_update", {"id": dataset.name, "owner_org": foreign.name}, token=editor_token), 409)
    assert error["owner_org"] == ["You cannot add a dataset to this organization"]
    dataset.refresh_from_db()
    assert dataset.owner_org == org


def test_package_patch_changes_only_given_fields(ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org, tags=["a1"], notes="bleibt", spatial=None, extras={"k": "v"})
    ResourceFactory(package=dataset)
    result = ok(ckan("package_patch", {"id": dataset.name, "title": "Neuer Titel",
                                       "spatial": POINT}, token=editor_token))
    assert result["title"] == "Neuer Titel"
    assert result["notes"] == "bleibt"
    assert [t["name"] for t in result["tags"]] == ["a1"]
    assert result["num_resources"] == 1
    extras = {e["key"]: e["value"] for e in result["extras"]}
    assert extras["k"] == "v" and "spatial" in extras


# --- package_delete -----------------------------------------------------------------------

def test_package_delete(ckan, org, editor_token):
    dataset = DatasetFactory(name="weg", owner_org=org)
    response = ckan("package_delete", {"id": "weg"}, token=editor_token)
    assert ok(response) is None
    dataset.refresh_from_db()
    assert dataset.state == "deleted"
    assert ok(ckan("package_list", method="GET")) == []
    assert ok(ckan("package_search", method="GET"))["count"] == 0
    assert ckan("package_show", {"id": "weg"}, method="GET").status_code == 404
    assert ckan("package_delete", {"id": "weg"}, token=editor_token).status_code == 404
    assert failed(ckan("package_create", {"name": "weg", "owner_org": org.name}, token=editor_token), 409)[
        "name"] == ["That URL is already in use."]


def test_package_delete_permissions(ckan, org):
    dataset = DatasetFactory(owner_org=org)
    reader = UserFactory(username="leser")
    member_add(org, reader, "member")
    assert failed(ckan("package_delete", {"id": dataset.name}, token=token_for(reader)), 403)["message"] == (
        f"Access denied: User leser not authorized to delete package {dataset.id}")
    assert failed(ckan("package_delete", {}, token=token_for(reader)), 409)["id"] == ["Missing value"]
    assert Dataset.objects.get().state == "active"


# --- resources ----------------------------------------------------------------------------

def test_resource_create_link(ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org)
    ResourceFactory(package=dataset, position=0)
    before = dataset.metadata_modified
    result = ok(ckan("resource_create", {"package_id": dataset.name, "url": "https://daten.example.org/x.gpkg",
                                         "name": "GeoPackage", "size": "2048", "rechtsgrundlage": "§ 12"},
                     token=editor_token))
    assert result["position"] == 1
    assert result["format"] == "GeoPackage"
    assert result["mimetype"] == "application/geopackage+sqlite3"
    assert result["size"] == 2048
    assert result["url_type"] is None
    assert result["rechtsgrundlage"] == "§ 12"
    dataset.refresh_from_db()
    assert dataset.metadata_modified > before


def test_resource_create_upload_and_download(upload, ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org)
    result = ok(upload("resource_create", {"package_id": str(dataset.id), "name": "Liste"}, editor_token))
    resource = Resource.objects.get()
    assert result["url_type"] == "upload"
    assert result["size"] == len(CSV)
    assert result["hash"] == hashlib.sha256(CSV).hexdigest()
    assert result["format"] == "CSV" and result["mimetype"] == "text/csv"
    assert result["last_modified"] is not None
    assert result["url"].endswith(f"/dataset/{dataset.id}/resource/{resource.id}/download/baustellen.csv")
    assert storages["private"].exists(resource.upload.name)
    path = result["url"].split("://", 1)[1].split("/", 1)[1]
    download = ckan.client.get("/" + path)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV
    assert download["Content-Type"] == "text/csv"
    assert 'filename="baustellen.csv"' in download["Content-Disposition"]
    assert download["ETag"] == f'"{result["hash"]}"'


def test_resource_create_errors_write_nothing(upload, ckan, org, editor_token, settings):
    dataset = DatasetFactory(owner_org=org)
    before = counts()
    assert failed(ckan("resource_create", {"url": "https://x.example"}, token=editor_token), 409) == {
        "__type": "Validation Error", "package_id": ["Missing value"]}
    assert failed(ckan("resource_create", {"package_id": dataset.name}, token=editor_token), 409) == {
        "__type": "Validation Error", "url": ["Missing value"]}
    assert failed(ckan("resource_create", {"package_id": "nope", "url": "https://x.example"}, token=editor_token),
                  404)["message"] == "Not found: Package was not found."
    assert failed(ckan("resource_create", {"package_id": dataset.name, "url": "https://x.example"}), 403)[
        "message"] == "Access denied: Action resource_create requires an authenticated user"
    outsider = UserFactory(username="aussen")
    member_add(OrganizationFactory(), outsider)
    assert failed(ckan("resource_create", {"package_id": dataset.name, "url": "https://x.example"},
                       token=token_for(outsider)), 403)["message"] == (
        f"Access denied: User aussen not authorized to create resources on dataset {dataset.id}")
    settings.OPENDATA = {"UPLOAD_MAX_BYTES": 10}
    error = failed(upload("resource_create", {"package_id": dataset.name}, editor_token), 409)
    assert error == {"__type": "Validation Error", "upload": ["File upload too large"]}
    assert_nothing_written(before)
    assert not storages["private"].exists("opendata")


def test_resource_update_replaces_file_and_removes_old_one(upload, ckan, org, editor_token,
                                                           django_capture_on_commit_callbacks):
    dataset = DatasetFactory(owner_org=org)
    created = ok(upload("resource_create", {"package_id": dataset.name}, editor_token))
    old_name = Resource.objects.get().upload.name
    # metadata only: the upload stays
    kept = ok(ckan("resource_update", {**created, "description": "Stand Mai"}, token=editor_token))
    assert kept["url_type"] == "upload" and kept["hash"] == created["hash"] and kept["description"] == "Stand Mai"
    with django_capture_on_commit_callbacks(execute=True):
        new = ok(upload("resource_update", {"id": created["id"], "name": "neu"}, editor_token,
                             content=b"lon,lat\n1,2\n", filename="neu.csv"))
    assert new["hash"] == hashlib.sha256(b"lon,lat\n1,2\n").hexdigest()
    assert new["url"].endswith("/download/neu.csv")
    assert not storages["private"].exists(old_name)
    # back to a link
    link = ok(ckan("resource_update", {"id": created["id"], "url": "https://daten.example.org/l.csv"},
                   token=editor_token))
    assert link["url_type"] is None and link["url"] == "https://daten.example.org/l.csv"
    assert failed(ckan("resource_update", {"id": str(uuid.uuid4()), "url": "https://x.example"},
                       token=editor_token), 404)["message"] == "Not found: Resource was not found."


def test_resource_delete(upload, ckan, org, editor_token, django_capture_on_commit_callbacks):
    dataset = DatasetFactory(owner_org=org)
    first = ResourceFactory(package=dataset, position=0)
    uploaded = ok(upload("resource_create", {"package_id": dataset.name}, editor_token))
    last = ResourceFactory(package=dataset, position=2)
    name = Resource.objects.get(pk=uploaded["id"]).upload.name
    with django_capture_on_commit_callbacks(execute=True):
        assert ok(ckan("resource_delete", {"id": uploaded["id"]}, token=editor_token)) is None
    assert not storages["private"].exists(name)
    assert list(Resource.objects.order_by("position").values_list("pk", "position")) == [(first.pk, 0), (last.pk, 1)]
    reader = UserFactory()
    member_add(org, reader, "member")
    assert ckan("resource_delete", {"id": str(first.id)}, token=token_for(reader)).status_code == 403
    assert ckan("resource_delete", {"id": str(uuid.uuid4())}, token=editor_token).status_code == 404
