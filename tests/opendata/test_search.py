"""package_search through the Action API: q, fq, rows/start (capped at 1000), sort,
facets, include_private, ext_bbox, and CKAN's errors for bad parameters."""
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from opendata.models import Dataset
from tests.opendata.factories import (
    DatasetFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    bbox_polygon,
    member_add,
    token_for,
)

pytestmark = pytest.mark.django_db

START = datetime(2024, 1, 1, tzinfo=UTC)


def search(ckan, token=None, method="GET", **params):
    response = ckan("package_search", params, method=method, token=token)
    assert response.status_code == 200, response.content
    return response.json()["result"]


def names(result) -> list[str]:
    return [d["name"] for d in result["results"]]


@pytest.fixture
def catalogue(org):
    umwelt = OrganizationFactory(name="umweltamt", title="Umweltamt")
    specs = [
        ("baustellen", "Baustellen im Stadtgebiet", org, ["verkehr", "baustellen"], "dl-by-de/2.0", 0),
        ("radwege", "Radwege", org, ["verkehr", "radverkehr"], "cc-by/4.0", 1),
        ("baumkataster", "Baumkataster", umwelt, ["umwelt", "baeume"], "dl-zero-de/2.0", 2),
        ("laermkarte", "Lärmkarte Straßenverkehr", umwelt, ["umwelt", "verkehr"], "cc-by/4.0", 3),
    ]
    for name, title, owner, tags, license_id, days in specs:
        with time_machine.travel(START + timedelta(days=days), tick=False):
            dataset = DatasetFactory(name=name, title=title, owner_org=owner, tags=tags, license_id=license_id,
                                     notes=f"Daten zu {title}")
            ResourceFactory(package=dataset, format="CSV" if days % 2 == 0 else "GeoJSON")
    return umwelt


def test_result_shape_and_defaults(ckan, catalogue):
    result = search(ckan)
    assert set(result) == {"count", "facets", "results", "search_facets", "sort"}
    assert result["count"] == 4
    assert result["sort"] == "score desc, metadata_modified desc"
    assert names(result) == ["laermkarte", "baumkataster", "radwege", "baustellen"]
    assert result["facets"] == {} and result["search_facets"] == {}
    shown = ckan("package_show", {"id": "radwege"}, method="GET").json()["result"]
    assert result["results"][2] == shown


def test_free_text_with_german_stemming(ckan, catalogue):
    assert names(search(ckan, q="Baustelle")) == ["baustellen"]
    assert names(search(ckan, q="straßenverkehr")) == ["laermkarte"]
    assert names(search(ckan, q="radverkehr")) == ["radwege"]  # a tag
    assert sorted(names(search(ckan, q="verkehr"))) == ["baustellen", "laermkarte", "radwege"]
    assert names(search(ckan, q="Daten -verkehr")) == ["baumkataster"]
    assert search(ckan, q="unbekanntwort")["count"] == 0
    assert search(ckan, q="*:*")["count"] == 4


def test_fielded_q(ckan, catalogue):
    assert sorted(names(search(ckan, q="tags:umwelt"))) == ["baumkataster", "laermkarte"]
    assert names(search(ckan, q="name:radwege")) == ["radwege"]


def test_fq_terms_or_negation_and_range(ckan, catalogue):
    assert sorted(names(search(ckan, fq="organization:umweltamt"))) == ["baumkataster", "laermkarte"]
    assert sorted(names(search(ckan, fq='license_id:"cc-by/4.0"'))) == ["laermkarte", "radwege"]
    assert sorted(names(search(ckan, fq="tags:radverkehr OR tags:baeume"))) == ["baumkataster", "radwege"]
    assert sorted(names(search(ckan, fq="tags:verkehr -organization:umweltamt"))) == ["baustellen", "radwege"]
    assert sorted(names(search(ckan, fq="metadata_modified:[2024-01-03T00:00:00Z TO *]"))) == [
        "baumkataster", "laermkarte"]
    assert names(search(ckan, q="verkehr", fq="res_format:GeoJSON +organization:umweltamt")) == ["laermkarte"]


def test_rows_and_start_page_through_results(ckan, catalogue):
    pages = [names(search(ckan, rows=3, start=0, sort="name asc")),
             names(search(ckan, rows=3, start=3, sort="name asc"))]
    assert pages == [["baumkataster", "baustellen", "laermkarte"], ["radwege"]]
    empty = search(ckan, rows=0)
    assert empty["count"] == 4 and empty["results"] == []


def test_rows_default_is_10_and_capped_at_1000(ckan, org):
    Dataset.objects.bulk_create([Dataset(name=f"ds-{i:04d}", title=f"DS {i}", owner_org=org) for i in range(1005)])
    assert len(search(ckan)["results"]) == 10
    result = search(ckan, rows=5000, sort="name asc")
    assert result["count"] == 1005
    assert len(result["results"]) == 1000
    assert result["results"][-1]["name"] == "ds-0999"


def test_sort(ckan, catalogue):
    assert names(search(ckan, sort="name asc")) == ["baumkataster", "baustellen", "laermkarte", "radwege"]
    assert names(search(ckan, sort="name desc")) == ["radwege", "laermkarte", "baustellen", "baumkataster"]
    assert names(search(ckan, sort="metadata_modified desc")) == [
        "laermkarte", "baumkataster", "radwege", "baustellen"]
    assert names(search(ckan, sort="metadata_modified asc")) == [
        "baustellen", "radwege", "baumkataster", "laermkarte"]
    by_id = search(ckan, sort="id asc")
    assert [d["id"] for d in by_id["results"]] == sorted(d["id"] for d in by_id["results"])
    assert by_id["sort"] == "id asc"
    assert names(search(ckan, sort="title_string asc"))[0] == "baumkataster"
    ranked = search(ckan, q="verkehr", sort="score desc, metadata_modified desc")
    assert ranked["count"] == 3


def test_bad_search_parameters_are_400(ckan, catalogue):
    for params in ({"sort": "farbe asc"}, {"sort": "name sideways"}, {"fq": "farbe:blau"},
                   {"fq": "tags:(offen"}, {"ext_bbox": "1,2,3"}, {"ext_bbox": "13,50,12,51"},
                   {"facet.field": '["farbe"]'}):
        response = ckan("package_search", params, method="GET")
        assert response.status_code == 400, params
        error = response.json()["error"]
        assert error["__type"] == "Search Query Error"
        assert error["message"].startswith("Search Query is invalid: ")


def test_bad_numbers_are_validation_errors(ckan):
    response = ckan("package_search", {"rows": "zehn"}, method="GET")
    assert response.status_code == 409
    assert response.json()["error"] == {"__type": "Validation Error", "rows": ["Invalid integer"]}
    assert ckan("package_search", {"start": "-1"}, method="GET").status_code == 409
    response = ckan("package_search", {"facet.field": "tags"}, method="GET")
    assert response.status_code == 409
    assert response.json()["error"]["facet.field"] == ["Could not parse as valid JSON"]


def test_facets_as_ckan_sends_them(ckan, catalogue):
    result = search(ckan, **{"facet.field": json.dumps(["organization", "tags", "res_format", "license_id"])})
    assert result["facets"]["organization"] == {"tiefbauamt": 2, "umweltamt": 2}
    assert result["facets"]["tags"]["verkehr"] == 3
    assert result["facets"]["res_format"] == {"CSV": 2, "GeoJSON": 2}
    organization = result["search_facets"]["organization"]
    assert organization["title"] == "organization"
    assert organization["items"] == [{"count": 2, "display_name": "Tiefbauamt", "name": "tiefbauamt"},
                                     {"count": 2, "display_name": "Umweltamt", "name": "umweltamt"}]
    tags = result["search_facets"]["tags"]["items"]
    assert tags[0] == {"count": 3, "display_name": "verkehr", "name": "verkehr"}
    licences = {i["name"]: i["display_name"] for i in result["search_facets"]["license_id"]["items"]}
    assert licences["cc-by/4.0"] == "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"
    limited = search(ckan, fq="organization:umweltamt", **{"facet.field": '["tags"]', "facet.limit": "1"})
    assert limited["facets"] == {"tags": {"umwelt": 2}}


def test_facets_in_post_body_and_repeated_get_parameters(ckan, catalogue):
    posted = search(ckan, method="POST", **{"facet.field": ["groups", "organization"], "rows": 0})
    assert set(posted["facets"]) == {"groups", "organization"}
    response = ckan.client.get("/api/3/action/package_search?facet.field=tags&facet.field=organization")
    assert set(response.json()["result"]["facets"]) == {"tags", "organization"}


def test_include_private_only_for_members(ckan, org, catalogue, editor_token):
    DatasetFactory(name="intern", owner_org=org, private=True)
    DatasetFactory(name="fremd-intern", owner_org=catalogue, private=True)
    assert search(ckan, include_private="true")["count"] == 4
    assert search(ckan, token=editor_token)["count"] == 4
    member_view = search(ckan, token=editor_token, include_private="true", sort="name asc")
    assert "intern" in names(member_view) and "fremd-intern" not in names(member_view)
    admin = UserFactory(is_superuser=True)
    assert search(ckan, token=token_for(admin), include_private=True)["count"] == 6
    outsider = UserFactory()
    member_add(OrganizationFactory(), outsider, "editor")
    assert search(ckan, token=token_for(outsider), include_private=True)["count"] == 4


def test_deleted_datasets_never_found(ckan, catalogue):
    Dataset.objects.filter(name="radwege").update(state=Dataset.State.DELETED)
    admin = UserFactory(is_superuser=True)
    assert "radwege" not in names(search(ckan, token=token_for(admin), include_private=True))
    assert search(ckan, fq="state:deleted")["count"] == 0


def test_ext_bbox_spatial_intersection(ckan, org):
    DatasetFactory(name="innenstadt", owner_org=org, spatial=bbox_polygon(12.07, 50.87, 12.09, 50.89))
    DatasetFactory(name="stadtgebiet", owner_org=org, spatial=bbox_polygon(12.0, 50.85, 12.2, 50.95))
    DatasetFactory(name="berlin", owner_org=org, spatial=bbox_polygon(13.3, 52.4, 13.5, 52.6))
    DatasetFactory(name="ohne-raumbezug", owner_org=org)
    assert sorted(names(search(ckan, ext_bbox="12.05,50.86,12.08,50.88"))) == ["innenstadt", "stadtgebiet"]
    assert names(search(ckan, ext_bbox="13,52,14,53")) == ["berlin"]
    assert search(ckan, ext_bbox="0,0,1,1")["count"] == 0
    # ckanext-spatial's web UI passes it inside extras
    posted = search(ckan, method="POST", extras={"ext_bbox": "13,52,14,53"})
    assert names(posted) == ["berlin"]


def test_search_query_count_is_constant(ckan, catalogue, django_assert_max_num_queries):
    ResourceFactory.create_batch(5, package=Dataset.objects.get(name="radwege"))
    # count, page ids, page + 3 prefetches, 2 facets, SAVEPOINT/RELEASE
    with django_assert_max_num_queries(10):
        search(ckan, rows=100, **{"facet.field": '["tags","organization"]'})


# --- luqum grammar: boosts, phrases, fuzzy; control characters; fl ---------------------------

def test_boosts_and_phrases_find_what_they_name(ckan, catalogue):
    # A boost weights the clause's score in Solr; it never empties the result.
    assert names(search(ckan, q="title:Radwege^2")) == ["radwege"]
    assert names(search(ckan, q="Baumkataster^2")) == ["baumkataster"]
    assert sorted(names(search(ckan, q="title:Radwege^2 OR tags:umwelt^0.5"))) == [
        "baumkataster", "laermkarte", "radwege"]
    assert names(search(ckan, q='"Baustellen im Stadtgebiet"')) == ["baustellen"]
    assert names(search(ckan, q='title:"im Stadtgebiet"^3')) == ["baustellen"]
    assert search(ckan, q='"Radwege im Stadtgebiet"')["count"] == 0  # each word is found, the phrase not
    assert names(search(ckan, fq="tags:umwelt^2 -name:laermkarte")) == ["baumkataster"]


@pytest.mark.parametrize("params, message", [
    ({"q": "title:Baustelen~"}, "fuzzy searches are not supported: Baustelen~"),
    ({"q": "Baustelen~1"}, "fuzzy searches are not supported: Baustelen~1"),
    ({"q": '"Baustellen Stadtgebiet"~2'}, 'proximity searches are not supported: "Baustellen Stadtgebiet"~2'),
    ({"fq": "name:/bau.*/"}, "regular expressions are not supported: /bau.*/"),
    ({"q": "title:(Radwege"}, "unmatched parenthesis"),
])
def test_what_search_cannot_answer_is_a_clear_400(ckan, catalogue, params, message):
    for method in ("GET", "POST"):
        response = ckan("package_search", params, method=method)
        assert response.status_code == 400, (params, method)
        error = response.json()["error"]
        assert error["__type"] == "Search Query Error"
        assert message in error["message"]


# Control characters are refused where input enters (config.middleware), in CKAN's format.
@pytest.mark.parametrize("action, params, field", [
    ("package_search", {"q": "Bau\x00stellen"}, "q"),
    ("package_search", {"fq": "name:radwege\x00"}, "fq"),
    ("package_search", {"sort": "name asc\x00"}, "sort"),
    ("package_show", {"id": "radwege\x00"}, "id"),
    ("resource_show", {"id": "\x00"}, "id"),
    ("organization_show", {"id": "umwelt\x01amt"}, "id"),
    ("tag_list", {"query": "\x00"}, "query"),
])
def test_control_characters_are_a_400_in_ckans_format(ckan, catalogue, action, params, field):
    for method in ("GET", "POST"):
        response = ckan(action, params, method=method)
        assert response.status_code == 400, (params, method)
        body = response.json()
        assert body["success"] is False
        where = f"im Parameter „{field}“" if method == "GET" else "im JSON-Inhalt"
        assert body["error"] == {"__type": "Validation Error",
                                 "message": f"Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) {where}."}


def test_fl_selects_index_fields(ckan, catalogue):
    result = search(ckan, fl="name,title", sort="name asc", rows=2)
    assert result["count"] == 4
    assert result["results"] == [{"name": "baumkataster", "title": "Baumkataster"},
                                 {"name": "baustellen", "title": "Baustellen im Stadtgebiet"}]
    result = search(ckan, method="POST", fl=["id organization", "tags res_format", "unbekannt"], q="name:radwege")
    dataset = Dataset.objects.get(name="radwege")
    assert result["results"] == [{"id": str(dataset.pk), "organization": "tiefbauamt",
                                  "tags": ["radverkehr", "verkehr"], "res_format": ["GeoJSON"]}]
    full = search(ckan, fl="*", q="name:radwege")["results"][0]
    assert full == ckan("package_show", {"id": "radwege"}, method="GET").json()["result"]


def test_fl_errors(ckan, catalogue):
    response = ckan("package_search", {"fl": "name,ti(tle"}, method="GET")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Search Query is invalid: ('undefined field ti(tle',)"
    response = ckan("package_search", {"fl": [1, 2]})
    assert response.status_code == 409
    assert response.json()["error"]["fl"] == ["Not a string or a list of strings"]
