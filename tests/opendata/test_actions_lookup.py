"""Lookup actions upload tools and harvesters call: package/format/tag_autocomplete,
resource_search, package_activity_list, user_show, organization_list_for_user,
member_list — CKAN 2.10/2.11 result shapes, visibility (private datasets, people outside
the requester's organisations) and exact errors."""
from datetime import UTC, datetime

import pytest
import time_machine

from opendata.models import Dataset
from tests.opendata.factories import (
    DatasetFactory,
    GroupFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    member_add,
    token_for,
)
from tests.opendata.responses import error, result

pytestmark = pytest.mark.django_db

CREATED = datetime(2024, 3, 1, 8, tzinfo=UTC)
CHANGED = datetime(2024, 5, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def catalogue(org, editor):
    umwelt = OrganizationFactory(name="umweltamt", title="Umweltamt")
    GroupFactory(name="tran", title="Verkehr", theme="TRAN")
    with time_machine.travel(CREATED, tick=False):
        baustellen = DatasetFactory(name="baustellen", title="Baustellen im Stadtgebiet", owner_org=org,
                                    tags=["verkehr", "baustellen"], groups=["tran"], creator_user=editor)
        ResourceFactory(package=baustellen, name="Liste", format="CSV", url="https://x.example/baustellen.csv",
                        hash="abcdef0123", position=0)
        ResourceFactory(package=baustellen, name="Karte", format="GeoJSON", url="https://x.example/b.geojson",
                        position=1)
        stadtbau = DatasetFactory(name="stadtbaustellen-archiv", title="Archiv", owner_org=org, tags=["archiv"])
        ResourceFactory(package=stadtbau, name="Archivliste", format="csv", url="https://x.example/a.csv")
        baeume = DatasetFactory(name="baumkataster", title="Bäume der Stadt", owner_org=umwelt, tags=["umwelt"])
        ResourceFactory(package=baeume, name="Bäume", format="CSV", url="https://x.example/baeume.csv")
        intern = DatasetFactory(name="baustellen-intern", title="Baustellen intern", owner_org=org, private=True,
                                tags=["verkehrsplanung"])
        ResourceFactory(package=intern, name="Geheim", format="XLSX", url="https://x.example/intern.xlsx")
        DatasetFactory(name="baustellen-alt", title="Baustellen alt", owner_org=org, state=Dataset.State.DELETED,
                       tags=["verkehrsalt"])
    with time_machine.travel(CHANGED, tick=False):
        Dataset.objects.filter(name="baustellen").update(metadata_modified=CHANGED)
    return {"umwelt": umwelt, "baustellen": baustellen}


# --- package_autocomplete -------------------------------------------------------------------

def test_package_autocomplete(ckan, catalogue, editor_token):
    assert result(ckan("package_autocomplete", {"q": "baust"}, method="GET")) == [
        {"name": "baustellen", "title": "Baustellen im Stadtgebiet", "match_field": "name",
         "match_displayed": "baustellen"},
        {"name": "stadtbaustellen-archiv", "title": "Archiv", "match_field": "name",
         "match_displayed": "stadtbaustellen-archiv"},
    ]
    assert result(ckan("package_autocomplete", {"q": "Bäume"}, method="GET")) == [
        {"name": "baumkataster", "title": "Bäume der Stadt", "match_field": "title",
         "match_displayed": "Bäume der Stadt (baumkataster)"}]
    assert [d["name"] for d in result(ckan("package_autocomplete", {"q": "baust", "limit": 1}, method="GET"))] == [
        "baustellen"]
    # Private datasets only for members of their organisation.
    mine = result(ckan("package_autocomplete", {"q": "baust"}, method="GET", token=editor_token))
    assert [d["name"] for d in mine] == ["baustellen", "baustellen-intern", "stadtbaustellen-archiv"]


@pytest.mark.parametrize("action", ["package_autocomplete", "format_autocomplete"])
def test_autocomplete_needs_q(ckan, action):
    assert error(ckan(action, {}, method="GET"), 409) == {"__type": "Validation Error", "q": ["Missing value"]}
    assert error(ckan(action, {"q": "a", "limit": "viele"}, method="GET"), 409) == {
        "__type": "Validation Error", "limit": ["Invalid integer"]}


# --- format_autocomplete, tag_autocomplete ----------------------------------------------------

def test_format_autocomplete_lower_case_most_used_first(ckan, catalogue, editor_token):
    assert result(ckan("format_autocomplete", {"q": "s"}, method="GET")) == ["csv", "geojson"]
    assert result(ckan("format_autocomplete", {"q": "JSON"}, method="GET")) == ["geojson"]
    assert result(ckan("format_autocomplete", {"q": "xls"}, method="GET")) == []
    assert result(ckan("format_autocomplete", {"q": "xls"}, method="GET", token=editor_token)) == ["xlsx"]
    assert result(ckan("format_autocomplete", {"q": "s", "limit": 1}, method="GET")) == ["csv"]


def test_tag_autocomplete(ckan, catalogue):
    assert result(ckan("tag_autocomplete", {"query": "verk"}, method="GET")) == ["verkehr"]
    assert result(ckan("tag_autocomplete", {"q": "a"}, method="GET")) == ["archiv", "baustellen"]
    assert result(ckan("tag_autocomplete", {"query": ["a", "r"]})) == ["archiv"]
    assert result(ckan("tag_autocomplete", {"query": "a", "limit": 1, "offset": 1}, method="GET")) == [
        "baustellen"]
    assert result(ckan("tag_autocomplete", {"query": "verk", "vocabulary_id": "x"}, method="GET")) == []
    assert result(ckan("tag_autocomplete", {}, method="GET")) == []
    assert error(ckan("tag_autocomplete", {"query": [1]}), 409) == {
        "__type": "Validation Error", "query": ["Not a string or a list of strings"]}


# --- resource_search ----------------------------------------------------------------------------

def test_resource_search(ckan, catalogue):
    found = result(ckan("resource_search", {"query": "format:csv"}, method="GET"))
    assert found["count"] == 3
    assert [r["name"] for r in found["results"]] == ["Bäume", "Liste", "Archivliste"]
    found = result(ckan("resource_search", {"query": ["format:CSV", "url:baustellen"]}))
    assert [r["name"] for r in found["results"]] == ["Liste"]
    assert [r["name"] for r in result(ckan("resource_search", {"query": "hash:ABCD"}, method="GET"))["results"]] == [
        "Liste"]
    assert result(ckan("resource_search", {"query": "hash:bcde"}, method="GET"))["count"] == 0
    ordered = result(ckan("resource_search", {"query": "name:e", "order_by": "name", "limit": 2, "offset": 1},
                          method="GET"))
    assert ordered["count"] == 4
    assert [r["name"] for r in ordered["results"]] == ["Bäume", "Karte"]
    assert result(ckan("resource_search", {"query": "format:xlsx"}, method="GET"))["count"] == 0
    assert result(ckan("resource_search", {"query": "package_id:kein-uuid"}, method="GET"))["count"] == 0


@pytest.mark.parametrize("params, expected", [
    ({}, {"query": "Missing value"}),
    ({"query": "csv"}, {"query": "Must be <field>:<value> pair(s)"}),
    ({"query": "farbe:blau"}, {"query": 'Field "farbe" not recognised in resource_search.'}),
    ({"query": "format:csv", "limit": "x"}, {"limit": ["Invalid integer"]}),
])
def test_resource_search_errors(ckan, params, expected):
    assert error(ckan("resource_search", params, method="GET"), 409) == {"__type": "Validation Error", **expected}


# --- package_activity_list --------------------------------------------------------------------

def test_package_activity_list(ckan, catalogue, editor):
    dataset = catalogue["baustellen"]
    activities = result(ckan("package_activity_list", {"id": "baustellen"}, method="GET"))
    assert [(a["activity_type"], a["timestamp"]) for a in activities] == [
        ("changed package", "2024-05-02T09:30:00"), ("new package", "2024-03-01T08:00:00")]
    assert {a["object_id"] for a in activities} == {str(dataset.pk)}
    assert activities[0]["data"]["package"]["name"] == "baustellen"
    assert activities[1]["data"]["package"] == {"id": str(dataset.pk), "name": "baustellen",
                                                "title": "Baustellen im Stadtgebiet"}
    assert activities[1]["user_id"] == str(editor.pk)
    again = result(ckan("package_activity_list", {"id": str(dataset.pk)}, method="GET"))
    assert [a["id"] for a in again] == [a["id"] for a in activities]
    assert [a["activity_type"] for a in result(ckan("package_activity_list", {
        "id": "baustellen", "activity_types": '["new package"]'}, method="GET"))] == ["new package"]
    assert [a["activity_type"] for a in result(ckan("package_activity_list", {
        "id": "baustellen", "exclude_activity_types": ["new package"]}))] == ["changed package"]
    assert [a["activity_type"] for a in result(ckan("package_activity_list", {
        "id": "baustellen", "after": str(CHANGED.timestamp() - 1)}, method="GET"))] == ["changed package"]
    assert len(result(ckan("package_activity_list", {"id": "baustellen", "limit": 1}, method="GET"))) == 1
    # A dataset never changed after its creation has one activity.
    assert [a["activity_type"] for a in result(ckan("package_activity_list", {"id": "baumkataster"},
                                                    method="GET"))] == ["new package"]


def test_package_activity_list_errors(ckan, catalogue):
    assert error(ckan("package_activity_list", {}, method="GET"), 409) == {
        "__type": "Validation Error", "id": ["Missing value"]}
    assert error(ckan("package_activity_list", {"id": "gibt-es-nicht"}, method="GET"), 404)["__type"] == \
        "Not Found Error"
    assert error(ckan("package_activity_list", {"id": "baustellen-intern"}, method="GET"), 403)["__type"] == \
        "Authorization Error"
    assert error(ckan("package_activity_list", {"id": "baustellen", "activity_types": ["a"],
                                                "exclude_activity_types": ["b"]}), 409)["activity_types"] == [
        "Cannot be used together with exclude_activity_types"]
    assert error(ckan("package_activity_list", {"id": "baustellen", "after": "gestern"}, method="GET"), 409) == {
        "__type": "Validation Error", "after": ["Invalid number"]}


# --- user_show ----------------------------------------------------------------------------------

@pytest.fixture
def people(org, editor, catalogue):
    editor.first_name, editor.last_name, editor.email = "Erika", "Muster", "erika@stadt.example"
    editor.save()
    colleague = UserFactory(username="kollege")
    member_add(org, colleague, "member")
    stranger = UserFactory(username="fremd", email="fremd@stadt.example")
    member_add(catalogue["umwelt"], stranger, "admin")
    admin = UserFactory(username="root", is_superuser=True)
    return {"colleague": colleague, "stranger": stranger, "admin": admin}


def test_user_show_self(ckan, people, editor, editor_token):
    shown = result(ckan("user_show", {}, method="GET", token=editor_token))
    assert shown["id"] == str(editor.pk)
    assert shown["name"] == "redakteurin"
    assert shown["fullname"] == "Erika Muster"
    assert shown["display_name"] == "Erika Muster"
    assert shown["email"] == "erika@stadt.example"
    assert shown["sysadmin"] is False
    assert shown["state"] == "active"
    assert shown["number_created_packages"] == 1
    with_datasets = result(ckan("user_show", {"id": "redakteurin", "include_datasets": "true"}, method="GET",
                                token=editor_token))
    assert [d["name"] for d in with_datasets["datasets"]] == ["baustellen"]


def test_user_show_colleague_without_email(ckan, people, editor_token):
    shown = result(ckan("user_show", {"id": "kollege"}, method="GET", token=editor_token))
    assert shown["name"] == "kollege"
    assert "email" not in shown and "last_active" not in shown
    assert result(ckan("user_show", {"id": str(people["colleague"].pk)}, method="GET",
                       token=editor_token))["name"] == "kollege"


def test_user_show_sysadmin_sees_everyone(ckan, people):
    token = token_for(people["admin"])
    assert result(ckan("user_show", {"id": "fremd"}, method="GET", token=token))["email"] == "fremd@stadt.example"
    assert error(ckan("user_show", {"id": "niemand"}, method="GET", token=token), 404) == {
        "__type": "Not Found Error", "message": "Not found: User not found"}


def test_user_show_refuses_strangers_and_anonymous(ckan, people, editor_token):
    # Whether the account exists or not, the answer is the same.
    for ref in ("fremd", "niemand"):
        assert error(ckan("user_show", {"id": ref}, method="GET", token=editor_token), 403) == {
            "__type": "Authorization Error",
            "message": f"Access denied: User redakteurin not authorized to see user {ref}"}
    assert error(ckan("user_show", {"id": "redakteurin"}, method="GET"), 403)["__type"] == "Authorization Error"
    assert error(ckan("user_show", {}, method="GET"), 404)["__type"] == "Not Found Error"


# --- organization_list_for_user -----------------------------------------------------------------

def test_organization_list_for_user(ckan, people, org, editor_token):
    mine = result(ckan("organization_list_for_user", {}, method="GET", token=editor_token))
    assert [(o["name"], o["capacity"]) for o in mine] == [("tiefbauamt", "editor")]
    assert "package_count" not in mine[0]
    counted = result(ckan("organization_list_for_user", {"include_dataset_count": "true"}, method="GET",
                          token=editor_token))
    assert counted[0]["package_count"] == 3  # two public and the private one of its organisation
    assert result(ckan("organization_list_for_user", {"permission": "create_dataset"}, method="GET",
                       token=editor_token))[0]["name"] == "tiefbauamt"
    assert result(ckan("organization_list_for_user", {"permission": "admin"}, method="GET",
                       token=editor_token)) == []
    member_token = token_for(people["colleague"])
    assert result(ckan("organization_list_for_user", {"permission": "update_dataset"}, method="GET",
                       token=member_token)) == []
    assert [o["name"] for o in result(ckan("organization_list_for_user", {"permission": "read"}, method="GET",
                                           token=member_token))] == ["tiefbauamt"]
    everything = result(ckan("organization_list_for_user", {}, method="GET", token=token_for(people["admin"])))
    assert [(o["name"], o["capacity"]) for o in everything] == [("tiefbauamt", "admin"), ("umweltamt", "admin")]
    assert result(ckan("organization_list_for_user", {}, method="GET")) == []


def test_organization_list_for_another_user(ckan, people, editor_token):
    assert [o["name"] for o in result(ckan("organization_list_for_user", {"id": "kollege"}, method="GET",
                                           token=editor_token))] == ["tiefbauamt"]
    assert error(ckan("organization_list_for_user", {"id": "fremd"}, method="GET", token=editor_token), 403)[
        "__type"] == "Authorization Error"
    assert error(ckan("organization_list_for_user", {"id": "fremd"}, method="GET"), 403)[
        "__type"] == "Authorization Error"


# --- member_list --------------------------------------------------------------------------------

def test_member_list_packages_for_everyone(ckan, people, catalogue, org):
    ids = {d.name: str(d.pk) for d in Dataset.objects.all()}
    assert result(ckan("member_list", {"id": "tiefbauamt"}, method="GET")) == [
        [ids["baustellen"], "package", "organization"], [ids["stadtbaustellen-archiv"], "package", "organization"]]
    assert result(ckan("member_list", {"id": "tran", "object_type": "package"}, method="GET")) == [
        [ids["baustellen"], "package", "public"]]
    assert error(ckan("member_list", {"id": "tiefbauamt", "object_type": "user"}, method="GET"), 403)[
        "__type"] == "Authorization Error"


def test_member_list_users_for_members(ckan, people, org, editor, editor_token):
    rows = result(ckan("member_list", {"id": "tiefbauamt", "object_type": "user"}, method="GET",
                       token=editor_token))
    assert sorted(rows) == sorted([[str(editor.pk), "user", "Editor"], [str(people["colleague"].pk), "user",
                                                                        "Member"]])
    assert result(ckan("member_list", {"id": org.name, "object_type": "user", "capacity": "member"},
                       method="GET", token=editor_token)) == [[str(people["colleague"].pk), "user", "Member"]]
    everything = result(ckan("member_list", {"id": str(org.pk)}, method="GET", token=editor_token))
    assert len(everything) == 5  # three datasets (one private) and two users


def test_member_list_errors(ckan, catalogue):
    assert error(ckan("member_list", {}, method="GET"), 409) == {"__type": "Validation Error", "id": ["Missing value"]}
    assert error(ckan("member_list", {"id": "gibt-es-nicht"}, method="GET"), 404) == {
        "__type": "Not Found Error", "message": "Not found"}
    assert error(ckan("member_list", {"id": "tiefbauamt", "object_type": "haus"}, method="GET"), 409) == {
        "__type": "Validation Error", "object_type": ['Must be "user" or "package"']}
