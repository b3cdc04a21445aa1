"""Read actions: package_list/show, current_package_list_with_resources, resource_show,
organisations, groups, tags — CKAN's dict formats, visibility and exact errors."""
import json
import re
import uuid
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.gis.geos import MultiPolygon

from opendata.dictization import isoformat
from opendata.models import Dataset, Group
from tests.opendata.factories import (
    DatasetFactory,
    GroupFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    bbox_polygon,
    member_add,
    token_for,
)
from tests.opendata.responses import error, result

pytestmark = pytest.mark.django_db

CKAN_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$")


# --- package_list -------------------------------------------------------------------------

def test_package_list_public_active_by_name(ckan, org):
    DatasetFactory(name="b-daten", owner_org=org)
    DatasetFactory(name="a-daten", owner_org=org)
    DatasetFactory(name="privat", owner_org=org, private=True)
    DatasetFactory(name="geloescht", owner_org=org, state=Dataset.State.DELETED)
    assert result(ckan("package_list", method="GET")) == ["a-daten", "b-daten"]
    assert result(ckan("package_list", {"limit": 1, "offset": 1}, method="GET")) == ["b-daten"]


def test_package_list_rejects_bad_limit(ckan):
    assert error(ckan("package_list", {"limit": "viele"}, method="GET"), 409) == {
        "__type": "Validation Error", "limit": ["Invalid integer"]}
    assert error(ckan("package_list", {"offset": -1}, method="GET"), 409) == {
        "__type": "Validation Error", "offset": ["Must be a natural number"]}


# --- package_show -------------------------------------------------------------------------

@time_machine.travel(datetime(2024, 5, 2, 10, 11, 12, 123456, tzinfo=UTC), tick=False)
def test_package_show_dict_matches_ckan(ckan, org):
    extent = MultiPolygon(bbox_polygon(12.0, 50.85, 12.1, 50.9), srid=4326)
    dataset = DatasetFactory(
        name="baustellen-2024", title="Baustellen 2024", notes="Alle Baustellen", owner_org=org,
        license_id="cc-by/4.0", author="Tiefbauamt", maintainer_email="daten@stadt.example", version="1.0",
        tags=["verkehr", "baustellen"], groups=["tran"], spatial=extent, temporal_start=date(2024, 1, 1),
        temporal_end=date(2024, 12, 31), frequency="MONTHLY",
        contributor_id="http://dcat-ap.de/def/contributors/stadtGera", extras={"quelle": "eigen"},
    )
    ResourceFactory(package=dataset, name="CSV", url="https://daten.example.org/b.csv", position=0)
    data = result(ckan("package_show", {"id": "baustellen-2024"}, method="GET"))
    assert data["id"] == str(dataset.id)
    uuid.UUID(data["id"])
    assert data["metadata_modified"] == "2024-05-02T10:11:12.123456"
    assert CKAN_TIMESTAMP.match(data["metadata_created"])
    assert data["type"] == "dataset"
    assert data["state"] == "active"
    assert data["private"] is False
    assert data["num_resources"] == 1
    assert data["num_tags"] == 2
    assert data["license_id"] == "cc-by/4.0"
    assert data["license_title"] == "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"
    assert data["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["isopen"] is True
    assert data["author"] == "Tiefbauamt"
    assert data["author_email"] is None
    assert data["maintainer_email"] == "daten@stadt.example"
    assert data["owner_org"] == str(org.id)
    assert data["organization"] == {
        "approval_status": "approved", "created": isoformat(org.created), "description": "",
        "id": str(org.id), "image_url": "", "is_organization": True, "name": "tiefbauamt", "state": "active",
        "title": "Tiefbauamt", "type": "organization"}
    assert [t["name"] for t in data["tags"]] == ["baustellen", "verkehr"]
    assert set(data["tags"][0]) == {"display_name", "id", "name", "state", "vocabulary_id"}
    assert data["tags"][0]["vocabulary_id"] is None
    assert [g["name"] for g in data["groups"]] == ["tran"]
    extras = {e["key"]: e["value"] for e in data["extras"]}
    assert [e["key"] for e in data["extras"]] == sorted(extras)
    assert all(isinstance(v, str) for v in extras.values())
    assert extras["quelle"] == "eigen"
    assert extras["temporal_start"] == "2024-01-01"
    assert extras["temporal_end"] == "2024-12-31"
    assert extras["frequency"] == "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
    assert json.loads(extras["contributorID"]) == ["http://dcat-ap.de/def/contributors/stadtGera"]
    spatial = json.loads(extras["spatial"])
    assert spatial["type"] == "MultiPolygon"
    assert spatial["coordinates"][0][0][0] == [12.0, 50.85]  # lon, lat
    resource = data["resources"][0]
    assert resource["package_id"] == str(dataset.id)
    assert resource["url"] == "https://daten.example.org/b.csv"
    assert resource["url_type"] is None
    assert resource["position"] == 0
    assert resource["format"] == "CSV"
    assert CKAN_TIMESTAMP.match(resource["created"])


def test_package_show_by_id(ckan, org):
    dataset = DatasetFactory(owner_org=org)
    assert result(ckan("package_show", {"id": str(dataset.id)}, method="GET"))["name"] == dataset.name


def test_package_show_unknown_is_404(ckan):
    assert error(ckan("package_show", {"id": str(uuid.uuid4())}, method="GET"), 404) == {
        "__type": "Not Found Error", "message": "Not found"}


def test_package_show_private_only_for_members(ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org, private=True)
    assert error(ckan("package_show", {"id": dataset.name}, method="GET"), 403) == {
        "__type": "Authorization Error",
        "message": f"Access denied: User  not authorized to read package {dataset.id}"}
    stranger = UserFactory(username="fremd")
    member_add(OrganizationFactory(), stranger, "admin")
    denied = error(ckan("package_show", {"id": dataset.name}, method="GET", token=token_for(stranger)), 403)
    assert denied["message"] == f"Access denied: User fremd not authorized to read package {dataset.id}"
    reader = UserFactory()
    member_add(org, reader, "member")
    assert result(ckan("package_show", {"id": dataset.name}, method="GET", token=token_for(reader)))["private"]
    assert result(ckan("package_show", {"id": dataset.name}, method="GET", token=editor_token))["private"] is True


def test_package_show_deleted_is_404_except_for_sysadmins(ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org, state=Dataset.State.DELETED)
    assert ckan("package_show", {"id": dataset.name}, method="GET").status_code == 404
    assert ckan("package_show", {"id": dataset.name}, method="GET", token=editor_token).status_code == 404
    admin = UserFactory(is_superuser=True)
    assert result(ckan("package_show", {"id": dataset.name}, method="GET", token=token_for(admin)))["state"] == (
        "deleted")


def test_bearer_token_and_legacy_header(ckan, org, editor_token):
    dataset = DatasetFactory(owner_org=org, private=True)
    client = ckan.client
    bearer = client.get("/api/3/action/package_show", {"id": dataset.name}, HTTP_AUTHORIZATION=f"Bearer {editor_token}")
    assert bearer.status_code == 200
    legacy = client.get("/api/3/action/package_show", {"id": dataset.name}, HTTP_X_CKAN_API_KEY=editor_token)
    assert legacy.status_code == 200
    wrong = client.get("/api/3/action/package_show", {"id": dataset.name}, HTTP_AUTHORIZATION="falsch")
    assert wrong.status_code == 403


def test_package_show_query_count(ckan, org, django_assert_max_num_queries):
    dataset = DatasetFactory(owner_org=org, tags=["a1", "b2"], groups=["tran"])
    ResourceFactory.create_batch(3, package=dataset)
    # dataset + tags + groups + resources, and the request's SAVEPOINT/RELEASE (ATOMIC_REQUESTS).
    with django_assert_max_num_queries(6):
        assert ckan("package_show", {"id": dataset.name}, method="GET").status_code == 200


# --- current_package_list_with_resources ----------------------------------------------------

def test_current_package_list_with_resources(ckan, org):
    with time_machine.travel(datetime(2024, 1, 1, tzinfo=UTC), tick=False):
        old = DatasetFactory(name="alt", owner_org=org)
    with time_machine.travel(datetime(2024, 6, 1, tzinfo=UTC), tick=False):
        new = DatasetFactory(name="neu", owner_org=org)
        ResourceFactory(package=new)
    DatasetFactory(owner_org=org, private=True)
    data = result(ckan("current_package_list_with_resources", method="GET"))
    assert [d["name"] for d in data] == ["neu", "alt"]
    assert data[0]["num_resources"] == 1 and len(data[0]["resources"]) == 1
    assert [d["name"] for d in result(ckan("current_package_list_with_resources", {"limit": 1, "offset": 1},
                                            method="GET"))] == ["alt"]
    assert [d["name"] for d in result(ckan("current_package_list_with_resources", {"limit": 1, "page": 2},
                                            method="GET"))] == [old.name]


# --- resource_show ------------------------------------------------------------------------

def test_resource_show(ckan, org):
    resource = ResourceFactory(package=DatasetFactory(owner_org=org), description="Alle Daten")
    data = result(ckan("resource_show", {"id": str(resource.id)}, method="GET"))
    assert data["id"] == str(resource.id)
    assert data["description"] == "Alle Daten"
    assert data["state"] == "active"
    assert error(ckan("resource_show", {"id": str(uuid.uuid4())}, method="GET"), 404)["message"] == "Not found"
    assert error(ckan("resource_show", {"id": "kein-uuid"}, method="GET"), 404)["__type"] == "Not Found Error"
    assert error(ckan("resource_show", method="GET"), 409) == {"__type": "Validation Error", "id": ["Missing value"]}


def test_resource_show_of_private_dataset_is_403(ckan, org):
    resource = ResourceFactory(package=DatasetFactory(owner_org=org, private=True))
    assert error(ckan("resource_show", {"id": str(resource.id)}, method="GET"), 403)["__type"] == (
        "Authorization Error")


# --- organisations, groups, tags --------------------------------------------------------------

def test_organization_list(ckan, org):
    other = OrganizationFactory(name="gruenflaechenamt", title="Grünflächenamt")
    DatasetFactory.create_batch(2, owner_org=org)
    DatasetFactory(owner_org=other, private=True)
    assert result(ckan("organization_list", method="GET")) == ["gruenflaechenamt", "tiefbauamt"]
    full = result(ckan("organization_list", {"all_fields": "true", "sort": "package_count desc"}, method="GET"))
    assert [(o["name"], o["package_count"]) for o in full] == [("tiefbauamt", 2), ("gruenflaechenamt", 0)]
    assert full[0]["is_organization"] is True and full[0]["type"] == "organization"
    assert result(ckan("organization_list", {"limit": 1, "sort": "name desc"}, method="GET")) == ["tiefbauamt"]


def test_organization_show(ckan, org, editor, editor_token):
    DatasetFactory(name="oeffentlich", owner_org=org)
    DatasetFactory(name="intern", owner_org=org, private=True)
    data = result(ckan("organization_show", {"id": "tiefbauamt", "include_datasets": "true"}, method="GET"))
    assert data["id"] == str(org.id)
    assert data["package_count"] == 1
    assert [p["name"] for p in data["packages"]] == ["oeffentlich"]
    assert "users" not in data
    member_view = result(ckan("organization_show", {"id": str(org.id), "include_datasets": True}, token=editor_token))
    assert member_view["package_count"] == 2
    assert member_view["users"] == [{"capacity": "editor", "display_name": "redakteurin", "id": str(editor.pk),
                                     "name": "redakteurin"}]
    assert error(ckan("organization_show", {"id": "nope"}, method="GET"), 404)["message"] == "Not found"


def test_group_list_and_show(ckan, org):
    Group.objects.all().delete()
    GroupFactory(name="tran", title="Verkehr", theme="TRAN")
    GroupFactory(name="envi", title="Umwelt", theme="ENVI")
    DatasetFactory(owner_org=org, groups=["tran"], name="radwege")
    assert result(ckan("group_list", method="GET")) == ["envi", "tran"]
    full = result(ckan("group_list", {"all_fields": True}, method="GET"))
    assert [(g["name"], g["package_count"], g["type"]) for g in full] == [("envi", 0, "group"), ("tran", 1, "group")]
    data = result(ckan("group_show", {"id": "tran", "include_datasets": True}, method="GET"))
    assert data["title"] == "Verkehr" and data["package_count"] == 1
    assert [p["name"] for p in data["packages"]] == ["radwege"]
    assert ckan("group_show", {"id": "nope"}, method="GET").status_code == 404
    assert error(ckan("group_list", {"sort": "farbe"}, method="GET"), 409)["__type"] == "Validation Error"


def test_theme_groups_come_from_the_data_migration():
    # Present unless a transactional test flushed the database before this one.
    if Group.objects.exists():
        assert {"tran", "envi", "gove", "soci"} <= set(Group.objects.values_list("name", flat=True))


def test_tag_list_only_public_tags(ckan, org):
    DatasetFactory(owner_org=org, tags=["verkehr", "radwege"])
    DatasetFactory(owner_org=org, tags=["geheim"], private=True)
    assert result(ckan("tag_list", method="GET")) == ["radwege", "verkehr"]
    assert result(ckan("tag_list", {"query": "rad"}, method="GET")) == ["radwege"]
    full = result(ckan("tag_list", {"all_fields": True}, method="GET"))
    assert full[0]["name"] == "radwege" and full[0]["vocabulary_id"] is None
    assert ckan("tag_list", {"vocabulary_id": "x"}, method="GET").status_code == 404
