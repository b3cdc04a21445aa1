"""package_revise: match (dict and flattened keys), filter globs, update (dict, flattened
keys, resource index/id prefix, extend), include; CKAN's errors, nothing written on error;
plus the revise dict functions themselves."""
import json

import pytest

from opendata.api import revise
from opendata.models import Dataset, Resource
from tests.opendata.factories import (
    DatasetFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    member_add,
    token_for,
)

pytestmark = pytest.mark.django_db


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()["result"]


def failed(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


@pytest.fixture
def dataset(org):
    dataset = DatasetFactory(name="baustellen", title="Baustellen", notes="alt", owner_org=org,
                             tags=["verkehr"], version="1.0")
    ResourceFactory(package=dataset, name="Liste", url="https://x.example/liste.csv", format="CSV", position=0)
    ResourceFactory(package=dataset, name="Karte", url="https://x.example/karte.geojson", format="GeoJSON",
                    position=1)
    return dataset


def resource_names(dataset) -> list[str]:
    return list(Resource.objects.filter(package=dataset).order_by("position").values_list("name", flat=True))


def test_revise_with_match_and_update(ckan, dataset, editor_token):
    result = ok(ckan("package_revise", {"match": {"name": "baustellen", "notes": "alt"},
                                        "update": {"notes": "neu", "resources": [{"description": "erste"}]}},
                     token=editor_token))
    assert result["package"]["notes"] == "neu"
    assert result["package"]["resources"][0]["description"] == "erste"
    assert result["package"]["title"] == "Baustellen"  # untouched fields stay
    dataset.refresh_from_db()
    assert dataset.notes == "neu"
    assert resource_names(dataset) == ["Liste", "Karte"]


def test_revise_with_flattened_keys_as_a_form_sends_them(ckan, dataset, editor_token):
    second = dataset.resources.get(name="Karte")
    result = ok(ckan("package_revise", {
        "match__name": "baustellen", "match__version": "1.0", "update__title": "Baustellen 2025",
        f"update__resources__{str(second.pk)[:8]}__name": "Stadtkarte",
        "update__resources__-3": '{"format": "csv"}',  # counted after the extend
        "update__resources__extend": '[{"name": "Neu", "url": "https://x.example/neu.csv"}]',
    }, token=editor_token))
    assert result["package"]["title"] == "Baustellen 2025"
    assert [r["name"] for r in result["package"]["resources"]] == ["Liste", "Stadtkarte", "Neu"]
    assert resource_names(dataset) == ["Liste", "Stadtkarte", "Neu"]
    assert dataset.resources.get(name="Liste").format == "csv"


def test_revise_filter_removes_a_resource_and_fields(ckan, dataset, editor_token):
    params = {"match": json.dumps({"id": str(dataset.pk)}), "filter": ["-resources__0", "-notes"]}
    result = ok(ckan("package_revise", params, token=editor_token))
    assert [r["name"] for r in result["package"]["resources"]] == ["Karte"]
    assert result["package"]["notes"] is None
    assert resource_names(dataset) == ["Karte"]


def test_revise_include(ckan, dataset, editor_token):
    result = ok(ckan("package_revise", {"match": {"name": "baustellen"}, "update": {"version": "2.0"},
                                        "include": "+package__version,+package__name,-package__*"},
                     token=editor_token))
    assert result == {"package": {"version": "2.0", "name": "baustellen"}}
    assert ok(ckan("package_revise", {"match": {"name": "baustellen"}, "include": ["-*"]}, token=editor_token)) == {}


@pytest.mark.parametrize("params, status, expected", [
    ({"update": {"notes": "x"}}, 409, {"match__id": ["Missing value"]}),
    ({"match": {"name": "baustellen", "notes": "anders", "version": "1.0"}}, 409, {"match": ["notes"]}),
    ({"match__name": "baustellen", "match__resources__1__name": "Liste"}, 409, {"match": ["resources__1__name"]}),
    ({"match__name": "baustellen", "match__resources__7__name": "Liste"}, 409,
     {"match": ["Unmatched key resources__7"]}),
    ({"match": "kein json"}, 409, {"match": ["Could not parse as valid JSON"]}),
    ({"match": ["baustellen"]}, 409, {"match": ["Not a JSON object"]}),
    ({"match": {"name": "baustellen"}, "update": {"tags": "verkehr"}}, 409, {"update": ["Expected list for tags"]}),
    ({"match": {"name": "baustellen"}, "update__resources__abcdef__name": "x"}, 409,
     {"update__resources__abcdef__name": ["Unmatched key resources__abcdef"]}),
    ({"match": {"name": "baustellen"}, "update": {"name": "Kein gültiger Name"}}, 409, None),
])
def test_revise_errors_write_nothing(ckan, dataset, editor_token, params, status, expected):
    before = (Dataset.objects.get(pk=dataset.pk).metadata_modified, resource_names(dataset))
    error = failed(ckan("package_revise", params, token=editor_token), status)
    assert error["__type"] == "Validation Error"
    if expected is not None:
        assert {k: v for k, v in error.items() if k != "__type"} == expected
    else:
        assert "name" in error
    assert (Dataset.objects.get(pk=dataset.pk).metadata_modified, resource_names(dataset)) == before


def test_revise_permissions(ckan, dataset):
    assert failed(ckan("package_revise", {"match": {"name": "baustellen"}}), 403)["__type"] == "Authorization Error"
    outsider = UserFactory(username="aussen")
    member_add(OrganizationFactory(name="umweltamt"), outsider, "editor")
    assert failed(ckan("package_revise", {"match": {"name": "baustellen"}}, token=token_for(outsider)), 403)[
        "__type"] == "Authorization Error"
    assert failed(ckan("package_revise", {"match": {"name": "gibt-es-nicht"}}, token=token_for(outsider)), 404)[
        "__type"] == "Not Found Error"
    assert ckan("package_revise", {"match": {"name": "baustellen"}}, method="GET").status_code == 400


# --- the dict functions -------------------------------------------------------------------------

def test_filter_globs_protect_first_match_wins():
    data = {"title": "t", "notes": "n", "resources": [{"id": "aaaaa1", "name": "a"}, {"id": "bbbbb2", "name": "b"}]}
    revise.filter_globs(data, ["+title", "+resources", "-*"])
    assert data == {"title": "t", "resources": [{"id": "aaaaa1", "name": "a"}, {"id": "bbbbb2", "name": "b"}]}
    revise.filter_globs(data, ["+resources__bbbbb__id", "-resources__bbbbb__*", "-resources__0"])
    assert data == {"title": "t", "resources": [{"id": "bbbbb2"}]}


def test_merge_key_and_errors():
    data = {"resources": [{"id": "aaaaa1", "name": "a"}], "tags": []}
    revise.merge_key(data, "resources__extend", [{"name": "neu"}])
    revise.merge_key(data, "resources__-1__name", "letzte")
    revise.merge_key(data, "tags__extend", [{"name": "x"}])
    assert data == {"resources": [{"id": "aaaaa1", "name": "a"}, {"name": "letzte"}], "tags": [{"name": "x"}]}
    with pytest.raises(revise.RevisionError, match="Expected list for resources"):
        revise.merge_key(data, "resources__extend", {"name": "kein Liste"})
    with pytest.raises(revise.RevisionError, match="Unmatched key resources__x"):
        revise.merge_key(data, "resources__x__name", "y")
    with pytest.raises(revise.RevisionError, match="Expected dict for resources__0"):
        revise.merge_dict(data, {"resources": ["kein dict"]})
