"""The catalogue page `/leistungen/` (search form without JavaScript, groups by Lebenslage,
every fact of a service, 400 with the form's messages on bad input, English) and the
downloads `/leistungen.json` and `/leistungen.csv`; the links from the home page."""
import csv
import io

import lxml.html
import pytest

from portal import hooks

from .conftest import wohngeld_service

pytestmark = pytest.mark.django_db


def text(element) -> str:
    return " ".join(element.text_content().split())


def doc_of(response):
    return lxml.html.fromstring(response.content)


def cards(doc) -> list[tuple[str, str, str]]:
    """(group heading, service title, link) of every card, in page order."""
    return [(text(card.xpath("ancestor::section[1]/h2")[0]), text(card.xpath(".//h3")[0]),
             card.xpath(".//h3/a/@href")[0]) for card in doc.xpath('//li[@class="service-card"]')]


def facts(card) -> dict[str, str]:
    return dict(zip([text(dt) for dt in card.xpath(".//dt")], [text(dd) for dd in card.xpath(".//dd")], strict=True))


def test_catalogue_lists_the_maengelmelder_grouped_by_lebenslage_with_every_fact(client):
    response = client.get("/leistungen/")
    assert response.status_code == 200
    doc = doc_of(response)
    assert text(doc.xpath("//h1")[0]) == "Leistungen der Stadt"
    title = "Mängelmelder: Schaden oder Gefahr im öffentlichen Raum melden"
    assert cards(doc) == [("Mobilität und Reisen", title, "/melden/"),
                          ("Umwelt und öffentlicher Raum", title, "/melden/")]
    assert facts(doc.xpath('//li[@class="service-card"]')[0]) == {
        "Für wen": "Alle, die einen Mangel im öffentlichen Raum bemerken – ohne Konto, auf Wunsch anonym.",
        "Nötige Anmeldung": "ohne Anmeldung",
        "Gebühren": "kostenlos",
        "Bearbeitungsdauer": "Eingangsbestätigung sofort; die Frist für die Bearbeitung hängt von der Kategorie "
                             "ab und wird in Arbeitstagen gezählt.",
        "Kennung": "maengelmelder",
    }
    assert text(doc.xpath('//*[@id="service-count"]')[0]) == "1 Leistung"
    # The search is a plain GET form: it works without JavaScript.
    [form] = doc.xpath('//form[@role="search"]')
    assert (form.get("method"), form.get("action")) == ("get", "/leistungen/")
    assert [(el.tag, el.get("name")) for el in form.xpath(".//input|.//select")] == [
        ("input", "q"), ("select", "lebenslage")]
    assert [o.get("value") for o in form.xpath(".//select/option")] == ["", "mobilitaet-reisen", "umwelt"]
    assert doc.xpath('//a[@href="/leistungen.json"]') and doc.xpath('//a[@href="/leistungen.csv"]')


def test_catalogue_shows_the_leika_key_when_there_is_one(client, settings):
    settings.PORTAL_LEIKA_KEYS = {"maengelmelder": "99000000000001"}
    card = doc_of(client.get("/leistungen/")).xpath('//li[@class="service-card"]')[0]
    assert facts(card)["LeiKa-Schlüssel"] == "99000000000001"


@pytest.mark.parametrize("params, expected_titles, count", [
    ({"q": "Wohngeld"}, ["Wohngeld beantragen (Test)"], "1 Leistung"),
    ({"q": "straßenlaterne"}, ["Mängelmelder: Schaden oder Gefahr im öffentlichen Raum melden"] * 2, "1 Leistung"),
    ({"lebenslage": "wohnen-test"}, ["Wohngeld beantragen (Test)"], "1 Leistung"),
    ({"q": "", "lebenslage": ""}, ["Wohngeld beantragen (Test)"] + ["Mängelmelder: Schaden oder Gefahr im "
                                                                    "öffentlichen Raum melden"] * 2, "2 Leistungen"),
])
def test_catalogue_search_and_filter(client, params, expected_titles, count):
    with hooks.register_temporarily("register_service", wohngeld_service):
        response = client.get("/leistungen/", params)
    assert response.status_code == 200
    doc = doc_of(response)
    assert [title for _group, title, _href in cards(doc)] == expected_titles
    assert text(doc.xpath('//*[@id="service-count"]')[0]) == count
    # The form keeps what was asked for.
    assert doc.xpath('//input[@name="q"]/@value') == ([params["q"]] if params.get("q") else [])


def test_catalogue_without_a_match_says_so(client):
    doc = doc_of(client.get("/leistungen/", {"q": "Hundesteuer"}))
    assert cards(doc) == []
    assert text(doc.xpath('//p[@class="service-empty"]')[0]).startswith("Keine Leistung passt zu Ihrer Suche.")
    assert doc.xpath('//main//a[@href="/leistungen/"]/text()') == ["Alle Leistungen zeigen"]


@pytest.mark.parametrize("q", ["Müll\x00", "Müll\tStraße", "Müll\x7f"])
def test_catalogue_control_characters_are_refused_where_input_enters(client, q):
    response = client.get("/leistungen/", {"q": q})
    assert response.status_code == 400
    assert "Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) im Parameter „q“." in response.content.decode()


@pytest.mark.parametrize("params, field, message", [
    ({"q": "Mü\u0085ll"}, "q", "Der Suchbegriff enthält Steuerzeichen."),
    ({"q": "x" * 101}, "q", "Der Suchbegriff ist zu lang (höchstens 100 Zeichen)."),
    ({"lebenslage": "gibt-es-nicht"}, "lebenslage", "Unbekannte Lebenslage. Bitte wählen Sie eine aus der Liste."),
])
def test_catalogue_bad_input_is_a_400_with_a_message_at_the_field(client, params, field, message):
    response = client.get("/leistungen/", params)
    assert response.status_code == 400
    doc = doc_of(response)
    assert [text(a) for a in doc.xpath('//*[@id="error-summary"]//a')] == [message]
    assert doc.xpath('//*[@id="error-summary"]//a/@href') == [f"#id_{field}"]
    assert doc.xpath(f'//*[@id="id_{field}"]/@aria-invalid') == ["true"]
    assert text(doc.xpath(f'//*[@id="id_{field}-error"]')[0]) == f"Fehler: {message}"
    assert cards(doc) == []


def test_catalogue_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get("/leistungen/", {"q": "pothole"})
    assert response.status_code == 200
    doc = doc_of(response)
    assert doc.xpath("//html/@lang") == ["en"]
    assert text(doc.xpath("//h1")[0]) == "Services of the city"
    assert cards(doc)[0] == ("Mobility and travel",
                             "Defect reporter: report damage or a hazard in public space", "/melden/")
    assert facts(doc.xpath('//li[@class="service-card"]')[0])["Login required"] == "no login"
    response = client.get("/leistungen/", {"q": "a\u0085b"})
    assert response.status_code == 400
    assert "The search term contains control characters." in response.content.decode()


def test_catalogue_refuses_post(client):
    assert client.post("/leistungen/").status_code == 405


def test_json_download_is_the_api_representation(client):
    with hooks.register_temporarily("register_service", wohngeld_service):
        response = client.get("/leistungen.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert [s["slug"] for s in data] == ["maengelmelder", "wohngeld-test"]
    assert data[1]["url"] == "http://testserver/statistik/"
    assert data[1]["leika_key"] == "99107001000000"


def test_csv_download(client):
    with hooks.register_temporarily("register_service", wohngeld_service):
        response = client.get("/leistungen.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ["slug", "title", "short_description", "audience", "trust_level", "fees",
                             "processing_time", "leika_key", "lebenslagen", "keywords", "is_spatial", "url"]
    assert rows[0]["slug"] == "maengelmelder" and rows[0]["leika_key"] == ""
    assert rows[0]["lebenslagen"] == "umwelt; mobilitaet-reisen"
    assert rows[0]["is_spatial"] == "true"
    assert {k: rows[1][k] for k in ("slug", "trust_level", "leika_key", "keywords", "url")} == {
        "slug": "wohngeld-test", "trust_level": "substanziell", "leika_key": "99107001000000",
        "keywords": "Mietzuschuss; Miete", "url": "http://testserver/statistik/"}


def test_home_page_links_to_the_catalogue(client, city):
    doc = doc_of(client.get("/"))
    assert [text(a) for a in doc.xpath('//main//a[@href="/leistungen/"]')] == ["alle Leistungen der Stadt"]
    assert [text(a) for a in doc.xpath('//header//nav//a[@href="/leistungen/"]')] == ["Leistungen"]


def test_header_marks_the_catalogue_as_current_page(client):
    doc = doc_of(client.get("/leistungen/"))
    assert [(text(a), a.get("href")) for a in doc.xpath('//header//a[@aria-current]')] == [
        ("Leistungen", "/leistungen/")]
    assert doc.xpath('//header//a[@aria-current]/@aria-current') == ["page"]
