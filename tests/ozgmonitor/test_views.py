"""`/ozg-monitor/`: every entry with its state, the declared fields of a plug-in service, the
filters (and a 400 with a German or English message for a bad one), the progress table and
the key figures; the footer links to it; a new plug-in service gets its entry by the sync."""
from datetime import date

import pytest
from django.core import checks
from django.test import Client
from lxml import html

from ozgmonitor.models import Origin, OzgService
from ozgmonitor.selectors import monitor_entries
from ozgmonitor.services import portal_services_sync
from portal import hooks
from portal.catalogue import Lebenslage, Service, TrustLevel

from .conftest import at, case_filed


def _declared():
    return Service(slug="wohnsitz-test", title="Wohnsitz anmelden (Test)", short_description="Test",
                   audience="alle", trust_level=TrustLevel.HOCH, fees="12 €", processing_time="sofort",
                   url_name="ozgmonitor:monitor", lebenslagen=(Lebenslage("umzug", "Umzug"),),
                   leika_key="99115001000000", ozg_topic="ein-auswanderung", ozg_maturity_model="1.1",
                   ozg_maturity=(("leistungsbeschreibung", 4), ("authentifizierung", 4), ("nachweise", 3)))


@pytest.fixture
def declared(db):
    with hooks.register_temporarily("register_service", _declared):
        yield


def _cards(response) -> dict:
    doc = html.fromstring(response.content)
    return {card.get("data-key"): card for card in doc.xpath('//li[@class="monitor-card"]')}


def test_the_page_shows_every_entry(entries, declared):
    response = Client().get("/ozg-monitor/")
    assert response.status_code == 200
    cards = _cards(response)
    assert set(cards) == {"wohngeld", "hundesteuer", "sondernutzung", "wohnsitz-test", "anliegen", "maengelmelder"}
    wohngeld = cards["wohngeld"].text_content()
    assert "Wohngeld beantragen" in wohngeld and "Bauen & Wohnen" in wohngeld and "Bürgeramt" in wohngeld
    assert "Stufe 3 (Online-Leistung, Modell 1.1)" in wohngeld and "15.09.2026" in wohngeld
    # the plug-in service: what it declares (topic, maturity, LeiKa key, start page)
    mine = cards["wohnsitz-test"]
    assert "Ein- & Auswanderung" in mine.text_content() and "Stufe 3" in mine.text_content()
    assert mine.xpath(".//h3/a/@href") == ["/ozg-monitor/"]
    assert "99115001000000" in mine.text_content()
    doc = html.fromstring(response.content)
    assert doc.xpath('string(//*[@id="count-online"])') == "4"  # wohngeld, the test service, anliegen, maengelmelder
    assert doc.xpath('//footer//a[@href="/ozg-monitor/"]')


def test_declared_fields_win_over_the_row(entries, declared):
    portal_services_sync(today=date(2026, 5, 1))
    row = OzgService.objects.get(key="wohnsitz-test")
    assert (row.origin, row.topic, row.maturity_level, row.status) == (Origin.PORTAL, "ein-auswanderung", 3, "online")
    OzgService.objects.filter(pk=row.pk).update(topic="umwelt", title="Alter Titel")
    entry = next(e for e in monitor_entries() if e.key == "wohnsitz-test")
    assert (entry.topic, entry.title) == ("ein-auswanderung", "Wohnsitz anmelden (Test)")


def test_sync_retires_an_unregistered_service(entries):
    with hooks.register_temporarily("register_service", _declared):
        assert portal_services_sync(today=date(2026, 5, 1)) == (3, 0)  # with anliegen and maengelmelder
    assert portal_services_sync(today=date(2026, 6, 1)) == (0, 1)
    with hooks.register_temporarily("register_service", _declared):
        assert portal_services_sync(today=date(2026, 7, 1)) == (0, 0)
    row = OzgService.objects.get(key="wohnsitz-test")
    assert list(row.changes.values_list("changed_on", "status")) == [
        (date(2026, 5, 1), "online"), (date(2026, 6, 1), "retired"), (date(2026, 7, 1), "online")]


@pytest.mark.parametrize(("query", "keys"), [
    ("topic=bauen-wohnen", {"wohngeld"}),
    ("status=in_progress", {"hundesteuer"}),
    ("level=3", {"wohngeld", "wohnsitz-test"}),
    ("department=tiefbau", {"sondernutzung"}),
    ("status=planned&department=buergeramt", set()),
])
def test_filters(entries, declared, query, keys):
    response = Client().get(f"/ozg-monitor/?{query}")
    assert response.status_code == 200
    assert set(_cards(response)) == keys


@pytest.mark.parametrize(("query", "german", "english"), [
    ("topic=quatsch", "Unbekanntes Themenfeld. Bitte wählen Sie eines aus der Liste.",
     "Unknown topic. Please choose one from the list."),
    ("status=offline", "Unbekannter Status. Bitte wählen Sie einen aus der Liste.",
     "Unknown status. Please choose one from the list."),
    ("level=9", "Unbekannter Reifegrad. Bitte wählen Sie einen aus der Liste.",
     "Unknown maturity level. Please choose one from the list."),
    ("department=nirgendwo", "Unbekannter Fachbereich. Bitte wählen Sie einen aus der Liste.",
     "Unknown department. Please choose one from the list."),
])
def test_a_bad_filter_is_a_400_with_a_message(entries, query, german, english):
    response = Client().get(f"/ozg-monitor/?{query}")
    assert response.status_code == 400
    summary = html.fromstring(response.content).xpath('string(//*[@id="error-summary"])')
    assert german in summary
    response = Client().get(f"/ozg-monitor/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert english in html.fromstring(response.content).xpath('string(//*[@id="error-summary"])')


def test_a_post_is_refused(entries):
    assert Client().post("/ozg-monitor/").status_code == 405


def test_progress_table_and_key_figures(entries, org, time_machine):
    time_machine.move_to(at(2026, 12, 7, 12), tick=False)
    case_filed(service="anliegen", department=org.citizens, created=at(2026, 11, 3, 10), closed=at(2026, 11, 5, 10))
    case_filed(service="anliegen", department=org.citizens, created=at(2026, 12, 1, 10))
    doc = html.fromstring(Client().get("/ozg-monitor/").content)
    rows = {tr.xpath("string(th)"): [td.text_content() for td in tr.xpath("td")]
            for tr in doc.xpath('//table[@id="progress-table"]/tbody/tr')}
    assert len(rows) == 24
    assert rows["September 2026"] == ["1", "1", "1"]  # online, in progress, planned
    assert rows["Mai 2026"] == ["0", "1", "0"]
    applications = {tr.xpath("string(th)"): [td.text_content() for td in tr.xpath("td")]
                    for tr in doc.xpath('//table[@id="applications-table"]/tbody/tr')}
    assert applications["November 2026"] == ["1", "1"] and applications["Dezember 2026"] == ["1", "1"]
    medians = [[cell.text_content() for cell in tr.xpath("th|td")]
               for tr in doc.xpath('//table[@id="median-table"]/tbody/tr')]
    assert medians == [["Allgemeines Anliegen an die Stadtverwaltung", "1", "2,0"]]
    assert doc.xpath('//svg[@class="progress-chart"]/polyline')


def test_english_page(entries):
    response = Client().get("/ozg-monitor/", HTTP_ACCEPT_LANGUAGE="en")
    doc = html.fromstring(response.content)
    assert doc.xpath("string(//h1)") == "OZG monitor"
    assert "Apply for housing benefit" in _cards(response)["wohngeld"].text_content()
    assert "Building & housing" in _cards(response)["wohngeld"].text_content()


def test_system_check_of_declared_fields(db):
    def broken():
        return Service(slug="kaputt-test", title="K", short_description="K", audience="K", trust_level="none",
                       fees="", processing_time="", url_name="ozgmonitor:monitor",
                       lebenslagen=(Lebenslage("umzug", "Umzug"),), ozg_topic="mond",
                       ozg_maturity=(("nachweise", 5),))
    with hooks.register_temporarily("register_service", broken):
        ids = [e.id for e in checks.run_checks() if "kaputt-test" in e.msg]
    assert sorted(ids) == ["ozgmonitor.E001", "ozgmonitor.E002"]
