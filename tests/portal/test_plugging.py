"""A service plugs in through the hooks alone: registered with `register_temporarily`, a
throwaway service, its navigation item and its inbox source appear in the catalogue page, the
API, the open data downloads, the header navigation of every page and the back-office inbox
(rows, kind and service filters), and are gone after the block."""
import lxml.html
import pytest
import yaml
from django.test import Client

from cases.services import case_create, case_message_add
from cases.types import CaseType
from notifications.models import Notification
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


WOHNGELD_CASES = CaseType(
    slug="wohngeld-test", reference_prefix="WT", statuses=[("new", "Eingegangen"), ("done", "Beschieden")],
    closed_statuses={"done"}, transitions={"new": ("done",)}, initial_status="new", sla_days=20)


def case_places(*, citizen, clerk, case) -> dict[str, bool]:
    """Where a case of the throwaway service "wohngeld-test" is named: the citizen's account,
    the clerk's inbox and its service filter, the citizen's email, the OpenAPI schema."""
    account = lxml.html.fromstring(citizen.get("/konto/").content)
    inbox = lxml.html.fromstring(clerk.get("/sachbearbeitung/", {"ansicht": "alle"}).content)
    Notification.objects.all().delete()
    case_message_add(case=case, body="Bitte reichen Sie den Mietvertrag nach.", direction="to_citizen")
    [mail] = Notification.objects.filter(event="case.message_to_citizen")
    return {
        "account": bool(account.xpath(f'//*[contains(., "{case.reference}")]'
                                      '[contains(., "Wohngeld beantragen (Test)")]')),
        "inbox row": bool(inbox.xpath(f'//tr[@data-item="vorgang:{case.pk}"]')),
        "inbox service filter": inbox.xpath('//select[@name="leistung"]/option[@value="wohngeld-test"]/text()')
                                == ["Wohngeld beantragen (Test)"],
        "notification text": f"{case.reference} (Wohngeld beantragen (Test))" in mail.body,
        "openapi": "wohngeld-test" in schema_slugs(),
    }


def schema_slugs() -> list[str]:
    schema = yaml.safe_load(Client().get("/api/schema/").content)
    return schema["components"]["schemas"]["Service"]["properties"]["slug"]["enum"]


def test_a_service_with_cases_is_named_in_account_inbox_mails_and_schema(client):
    from tests.accounts.conftest import citizen_login

    department = DepartmentFactory(slug="sozialamt", name="Sozialamt")
    clerk_user = UserFactory(is_staff=True)
    department.members.add(clerk_user)
    clerk, citizen = Client(), Client()
    clerk.force_login(clerk_user)
    owner = UserFactory(username="erika", email="erika@example.org")
    citizen_login(citizen, owner)
    with hooks.register_temporarily("register_service", wohngeld_service), \
            hooks.register_temporarily("register_case_type", lambda: WOHNGELD_CASES):
        case, _created = case_create(service="wohngeld-test", department=department, title="Wohngeld 2027",
                                     owner=owner, contact_email="erika@example.org")
        assert case.reference.startswith("WT-")
        inside = case_places(citizen=citizen, clerk=clerk, case=case)
        assert inside == dict.fromkeys(inside, True)
    # Gone with the registration: the service's filter and schema entry (its cases stay in the database).
    inbox = lxml.html.fromstring(clerk.get("/sachbearbeitung/", {"ansicht": "alle"}).content)
    assert not inbox.xpath('//select[@name="leistung"]/option[@value="wohngeld-test"]')
    assert "wohngeld-test" not in schema_slugs() and "maengelmelder" in schema_slugs()
