"""A service plugs in through the hooks alone: registered with `register_temporarily`, a
throwaway service and its navigation item appear in the catalogue page, the API, the open
data downloads and the header navigation of every page, and are gone after the block."""
import lxml.html
import pytest

from portal import hooks

from .conftest import wohngeld_navigation_item, wohngeld_service

pytestmark = pytest.mark.django_db


def places(client, api_client) -> dict[str, bool]:
    """Where the throwaway service (slug "wohngeld-test") and its nav item are visible."""
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
    }


def test_a_registered_service_appears_everywhere_and_is_gone_afterwards(client, api_client):
    assert set(places(client, api_client).values()) == {False}
    with hooks.register_temporarily("register_service", wohngeld_service), \
            hooks.register_temporarily("register_navigation_item", wohngeld_navigation_item):
        assert places(client, api_client) == dict.fromkeys(places(client, api_client), True)
    assert places(client, api_client) == dict.fromkeys(places(client, api_client), False)
    assert client.get("/leistungen/", {"lebenslage": "wohnen-test"}).status_code == 400
