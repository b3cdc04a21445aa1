"""A service plugs in through the hooks alone: registered with `register_temporarily`, a
throwaway service, its navigation item and its inbox source appear in the catalogue page, the
API, the open data downloads, the header navigation of every page and the back-office inbox
(rows, kind and service filters), and are gone after the block."""
import lxml.html
import pytest
from django.test import Client

from portal import hooks
from tests.factories import DepartmentFactory, UserFactory

from .conftest import WohngeldInboxSource, wohngeld_navigation_item, wohngeld_service

pytestmark = pytest.mark.django_db


def places(client, api_client, clerk) -> dict[str, bool]:
    """Where the throwaway service (slug "wohngeld-test"), its nav item and inbox source are
    visible (`clerk`: the test client of a clerk of the Sozialamt)."""
    inbox = lxml.html.fromstring(clerk.get("/sachbearbeitung/").content)
    filtered = lxml.html.fromstring(clerk.get("/sachbearbeitung/", {"leistung": "wohngeld-test"}).content)
    catalogue = lxml.html.fromstring(client.get("/leistungen/").content)
    searched = lxml.html.fromstring(client.get("/leistungen/", {"q": "Mietzuschuss"}).content)
    stats = lxml.html.fromstring(client.get("/statistik/").content)
    return {
        "catalogue": bool(catalogue.xpath('//li[@data-slug="wohngeld-test"]//h3/a[@href="/statistik/"]')),
        "catalogue search": bool(searched.xpath('//li[@data-slug="wohngeld-test"]')),
        "lebenslage filter": bool(catalogue.xpath('//select[@name="lebenslage"]/option[@value="wohnen-test"]')),
        "api": "wohngeld-test" in [s["slug"] for s in api_client.get("/api/v1/services/").json()],
        "api filter": api_client.get("/api/v1/services/", {"lebenslage": "wohnen-test"}).status_code == 200,
        "json download": "wohngeld-test" in [s["slug"] for s in client.get("/leistungen.json").json()],
        "csv download": "wohngeld-test" in client.get("/leistungen.csv").content.decode(),
        "header nav": [a.get("aria-current") for a in stats.xpath('//header//nav//a[.="Wohngeld (Test)"]')]
                      == ["page"],
        "inbox rows": inbox.xpath('//tr[starts-with(@data-item, "wohngeld:")]//a[.="WG-sozialamt"]/@href')
                      == ["/statistik/"],
        "inbox service filter": inbox.xpath('//select[@name="leistung"]/option[@value="wohngeld-test"]/text()')
                                == ["Wohngeld beantragen (Test)"],
        "inbox kind filter": bool(inbox.xpath('//select[@name="art"]/option[@value="wohngeld"]')),
        "inbox filtered": [r.get("data-item")[:9] for r in filtered.xpath("//tr[@data-item]")] == ["wohngeld:"],
    }


def test_a_registered_service_appears_everywhere_and_is_gone_afterwards(client, api_client):
    clerk = Client()
    clerk.force_login(UserFactory(is_staff=True))
    DepartmentFactory(slug="sozialamt", name="Sozialamt").members.add(clerk.session["_auth_user_id"])
    assert set(places(client, api_client, clerk).values()) == {False}
    with hooks.register_temporarily("register_service", wohngeld_service), \
            hooks.register_temporarily("register_navigation_item", wohngeld_navigation_item), \
            hooks.register_temporarily("register_inbox_source", WohngeldInboxSource):
        assert places(client, api_client, clerk) == dict.fromkeys(places(client, api_client, clerk), True)
    assert places(client, api_client, clerk) == dict.fromkeys(places(client, api_client, clerk), False)
    assert client.get("/leistungen/", {"lebenslage": "wohnen-test"}).status_code == 400
