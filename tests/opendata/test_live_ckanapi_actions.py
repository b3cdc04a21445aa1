"""The actions upload tools and harvesters call, through the real `ckanapi` library
(RemoteCKAN) against a live test server: autocompletes, resource_search, activity,
users and memberships, package_revise, `fl` and Lucene syntax in package_search, and the
errors ckanapi turns into its exceptions."""
from datetime import UTC, datetime

import ckanapi
import pytest
import time_machine

from tests.opendata.factories import (
    DatasetFactory,
    OrganizationFactory,
    ResourceFactory,
    UserFactory,
    member_add,
    token_for,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(db):
    org = OrganizationFactory(name="tiefbauamt", title="Tiefbauamt")
    editor = UserFactory(username="redakteurin")
    member_add(org, editor, "editor")
    with time_machine.travel(datetime(2024, 3, 1, 8, tzinfo=UTC), tick=False):
        dataset = DatasetFactory(name="meldungen", title="Meldungen der Bürger", owner_org=org,
                                 tags=["meldungen"], creator_user=editor)
        ResourceFactory(package=dataset, name="Meldungen CSV", format="CSV", url="https://x.example/m.csv")
        DatasetFactory(name="baustellen", title="Baustellen", owner_org=org, tags=["verkehr"])
    return {"editor": editor, "token": token_for(editor)}


def test_ckanapi_lookup_actions(site, catalogue):
    with ckanapi.RemoteCKAN(site) as remote:
        assert [d["name"] for d in remote.action.package_autocomplete(q="meld")] == ["meldungen"]
        assert remote.action.format_autocomplete(q="cs") == ["csv"]
        assert remote.action.tag_autocomplete(query="verk") == ["verkehr"]
        found = remote.action.resource_search(query="name:meldungen")
        assert found["count"] == 1 and found["results"][0]["format"] == "CSV"
        activities = remote.action.package_activity_list(id="meldungen")
        assert [a["activity_type"] for a in activities] == ["new package"]
        assert remote.action.member_list(id="tiefbauamt", object_type="package")[0][1:] == [
            "package", "organization"]
        assert remote.action.organization_list_for_user() == []

        # Lucene syntax: a boost finds what it names, fuzzy terms are a clear error.
        boosted = remote.action.package_search(q="title:Meldungen^2", fl="name,title")
        assert boosted["results"] == [{"name": "meldungen", "title": "Meldungen der Bürger"}]
        with pytest.raises(ckanapi.SearchQueryError):
            remote.action.package_search(q="title:Meldung~")
        # A control character is refused where input enters (config.middleware), in CKAN's format.
        for call in (lambda: remote.action.package_search(q="Meldungen\x00"),
                     lambda: remote.action.package_show(id="meldungen\x00")):
            with pytest.raises(ckanapi.ValidationError) as excinfo:
                call()
            message = excinfo.value.error_dict["message"]
            assert message == "Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) im JSON-Inhalt."
        with pytest.raises(ckanapi.ValidationError):
            remote.action.resource_search(query="farbe:blau")
        with pytest.raises(ckanapi.NotAuthorized):
            remote.action.user_show(id="redakteurin")


def test_ckanapi_user_and_revise(site, catalogue):
    with ckanapi.RemoteCKAN(site, apikey=catalogue["token"]) as remote:
        me = remote.action.user_show()
        assert me["name"] == "redakteurin" and me["number_created_packages"] == 1
        assert [(o["name"], o["capacity"]) for o in remote.action.organization_list_for_user(
            permission="create_dataset")] == [("tiefbauamt", "editor")]
        assert remote.action.member_list(id="tiefbauamt", object_type="user") == [
            [str(catalogue["editor"].pk), "user", "Editor"]]

        revised = remote.action.package_revise(match={"name": "meldungen"},
                                               update={"notes": "Täglich aktualisiert"})
        assert revised["package"]["notes"] == "Täglich aktualisiert"
        revised = remote.action.package_revise(**{"match__name": "meldungen",
                                                  "update__resources__0__description": "Alle Meldungen"})
        assert revised["package"]["resources"][0]["description"] == "Alle Meldungen"
        with pytest.raises(ckanapi.ValidationError) as excinfo:
            remote.action.package_revise(match={"name": "meldungen", "notes": "veraltet"}, update={"notes": "x"})
        assert excinfo.value.error_dict["match"] == ["notes"]
        assert remote.action.package_show(id="meldungen")["notes"] == "Täglich aktualisiert"
        activities = remote.action.package_activity_list(id="meldungen")
        assert [a["activity_type"] for a in activities] == ["changed package", "new package"]
