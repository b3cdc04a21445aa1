"""The public partner page (list, map data, catalogue link), the statistics page with exact
counts per month and day, and both open datasets (CKAN API, GeoJSON/CSV content) — with
canaries: no till key, no till name, no cardholder in any of them."""
import csv
import io
import json
import re
from datetime import date
from urllib.parse import urlparse

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from services.sozialcard.models import Partner, PartnerDiscount, PartnerLocation, Programme, VerificationCount
from services.sozialcard.services import card_issue, till_create
from services.sozialcard.tasks import sozialcard_datasets_task

from .conftest import PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sc):
    """A second partner with two locations, and a till (its name and key must stay private)."""
    library = Partner.objects.create(name="Bibliothek Beispiel", website="https://bibliothek.example",
                                     department=sc.sozialamt)
    PartnerLocation.objects.create(partner=library, name="Hauptstelle", address="Markt 1, 07545 Gera",
                                   point=Point(12.0794123, 50.8788456, srid=4326))
    PartnerLocation.objects.create(partner=library, name="Zweigstelle Lusan", address="Lusaner Str. 2, 07549 Gera",
                                   point=Point(12.1, 50.86, srid=4326))
    PartnerDiscount.objects.create(partner=library, programme=sc.programme, category=sc.children,
                                   description_de="Ausweis kostenlos", description_en="Card free of charge")
    hidden = Programme.objects.create(slug="alt", name_de="Altes Programm", eligibility_de="-", proofs_de="-",
                                      department=sc.sozialamt, is_active=False)
    category = hidden.categories.create(slug="alle", name_de="Alle")
    PartnerDiscount.objects.create(partner=library, programme=hidden, category=category, description_de="ALT-RABATT")
    Partner.objects.create(name="Geschlossenes Bad", department=sc.sozialamt, is_active=False)
    till, key = till_create(partner=sc.partner, name="KASSE-KANARIE")
    today = timezone.localdate()
    card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
               valid_until=today + relativedelta(months=6), owner=sc.citizen)
    return library, key


def _counts(sc, library):
    """Checks in two months: (day, partner, programme, card type, result, count)."""
    rows = [(date(2026, 11, 3), sc.partner, sc.programme, "dynamic", "valid", 5),
            (date(2026, 11, 3), sc.partner, sc.programme, "static", "valid", 2),
            (date(2026, 11, 3), sc.partner, sc.programme, "dynamic", "replayed", 1),
            (date(2026, 11, 20), sc.partner, None, "", "unknown", 3),
            (date(2026, 12, 6), sc.partner, sc.programme, "dynamic", "valid", 4),
            (date(2026, 12, 7), library, sc.programme, "static", "expired", 1)]
    for day, partner, programme, card_type, result, count in rows:
        VerificationCount.objects.create(day=day, partner=partner, programme=programme, card_type=card_type,
                                         result=result, count=count)


CANARIES = ("KASSE-KANARIE", "Kanarienvogel", "Karla", "1990", "ALT-RABATT", "Geschlossenes Bad")


def _leaks(text: str, canaries) -> list[str]:
    """The canaries found in `text` as whole words: the year 1990 inside a random hex id or a
    hash is not a leak (it made this test flaky), the year on its own is."""
    return [c for c in canaries if re.search(rf"(?<![0-9A-Za-z]){re.escape(c)}(?![0-9A-Za-z])", text)]


def test_the_partner_page_lists_partners_locations_and_discounts(sc, world):
    library, key = world
    response = Client().get("/sozialcard/akzeptanzstellen/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("2 Akzeptanzstellen", "Stadtbad Beispiel", "Stadtbad, Badstraße 1, 07545 Gera",
                 "Hauptstelle, Markt 1, 07545 Gera", "Zweigstelle Lusan", "<h4>Sozialcard</h4>",
                 "Erwachsene: Eintritt 2 €", "Kinder: Ausweis kostenlos", 'href="https://bibliothek.example"'):
        assert text in html, text
    assert _leaks(html, (*CANARIES, key)) == []
    data = json.loads(html.split('<script id="partner-data" type="application/json">')[1].split("</script>")[0])
    coordinates = {f["properties"]["location"]: f["geometry"]["coordinates"] for f in data["features"]}
    assert coordinates == {"Stadtbad": [12.0733, 50.8773], "Hauptstelle": [12.079412, 50.878846],
                           "Zweigstelle Lusan": [12.1, 50.86]}
    english = Client(headers={"accept-language": "en"}).get("/sozialcard/akzeptanzstellen/").content.decode()
    assert "Adults: Admission €2" in english and "<h4>Social card</h4>" in english


def test_the_catalogue_entry_and_the_start_page_link_to_the_partners(sc):
    catalogue = Client().get("/leistungen/").content.decode()
    entry = catalogue.split('data-slug="sozialcard"')[1].split("</li>\n")[0]
    assert '<a href="/sozialcard/akzeptanzstellen/">Wo gilt die Karte? Akzeptanzstellen und Ermäßigungen</a>' in entry
    start = Client().get("/sozialcard/").content.decode()
    for link in ("/sozialcard/akzeptanzstellen/", "/sozialcard/statistik/", "/sozialcard/pruefen/"):
        assert f'href="{link}"' in start


def test_the_statistics_count_exactly(sc, world, time_machine):
    time_machine.move_to(timezone.make_aware(timezone.datetime(2026, 12, 7, 12)), tick=False)
    library, _key = world
    _counts(sc, library)
    response = Client().get("/sozialcard/statistik/")
    assert response.status_code == 200
    html = response.content.decode()

    def table(period):
        body = html.split(f'id="stats-{period}"')[1].split("</table>")[0]
        return [[cell.strip() for cell in row.split("</td>")[:-1]] for row in body.split("<tr>")[2:]]

    def clean(rows):
        return [[cell.split(">")[-1] for cell in row] for row in rows]

    assert clean(table("month")) == [
        ["2026-12", "Bibliothek Beispiel", "Sozialcard", "0", "1", "1"],
        ["2026-12", "Stadtbad Beispiel", "Sozialcard", "4", "0", "4"],
        ["2026-11", "Stadtbad Beispiel", "Sozialcard", "7", "1", "8"],
        ["2026-11", "Stadtbad Beispiel", "unbekannter Code", "0", "3", "3"]]
    assert clean(table("day")) == [  # the last 31 days: from 2026-11-07 on
        ["2026-12-07", "Bibliothek Beispiel", "Sozialcard", "0", "1", "1"],
        ["2026-12-06", "Stadtbad Beispiel", "Sozialcard", "4", "0", "4"],
        ["2026-11-20", "Stadtbad Beispiel", "unbekannter Code", "0", "3", "3"]]
    assert _leaks(html, CANARIES) == []


def test_the_statistics_without_checks(sc):
    html = Client().get("/sozialcard/statistik/").content.decode()
    assert html.count("Noch keine Prüfungen.") == 2


def _file(client, resource) -> bytes:
    response = client.get(urlparse(resource["url"]).path)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eu_theme_groups")
def test_the_open_datasets(sc, world):
    library, key = world
    _counts(sc, library)
    assert sozialcard_datasets_task.delay().get() == (
        "sozialcard-akzeptanzstellen: GeoJSON, CSV; sozialcard-pruefungen: CSV")
    client = Client()
    partners = client.get("/api/3/action/package_show?id=sozialcard-akzeptanzstellen").json()["result"]
    assert (partners["title"], partners["license_id"], partners["organization"]["name"]) == (
        "Sozialcard: Akzeptanzstellen und Ermäßigungen", "dl-by-de/2.0", "stadt")
    assert [r["format"] for r in partners["resources"]] == ["GeoJSON", "CSV"]
    assert [g["name"] for g in partners["groups"]] == ["soci"]
    geojson = json.loads(_file(client, partners["resources"][0]))
    feature = next(f for f in geojson["features"] if f["properties"]["location"] == "Hauptstelle")
    assert feature["geometry"] == {"type": "Point", "coordinates": [12.079412, 50.878846]}
    assert feature["properties"]["discounts"] == [
        {"programme": "sozialcard", "programme_name": "Sozialcard", "category": "kinder", "category_name": "Kinder",
         "discount_de": "Ausweis kostenlos", "discount_en": "Card free of charge"}]
    rows = list(csv.DictReader(io.StringIO(_file(client, partners["resources"][1]).decode())))
    assert [(r["partner"], r["location"], r["category"], r["discount_de"]) for r in rows] == [
        ("Bibliothek Beispiel", "Hauptstelle", "kinder", "Ausweis kostenlos"),
        ("Bibliothek Beispiel", "Zweigstelle Lusan", "kinder", "Ausweis kostenlos"),
        ("Stadtbad Beispiel", "Stadtbad", "erwachsene", "Eintritt 2 €")]

    counts = client.get("/api/3/action/package_show?id=sozialcard-pruefungen").json()["result"]
    text = _file(client, counts["resources"][0]).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["day"], r["partner"], r["programme"], r["card_type"], r["result"], r["count"]) for r in rows] == [
        ("2026-11-03", "Stadtbad Beispiel", "sozialcard", "dynamic", "replayed", "1"),
        ("2026-11-03", "Stadtbad Beispiel", "sozialcard", "dynamic", "valid", "5"),
        ("2026-11-03", "Stadtbad Beispiel", "sozialcard", "static", "valid", "2"),
        ("2026-11-20", "Stadtbad Beispiel", "", "", "unknown", "3"),
        ("2026-12-06", "Stadtbad Beispiel", "sozialcard", "dynamic", "valid", "4"),
        ("2026-12-07", "Bibliothek Beispiel", "sozialcard", "static", "expired", "1")]
    everything = (json.dumps(partners) + json.dumps(counts) + json.dumps(geojson) + text
                  + client.get("/sozialcard/akzeptanzstellen/").content.decode())
    assert _leaks(everything, (*CANARIES, key)) == []
    page = client.get("/sozialcard/akzeptanzstellen/").content.decode()
    assert '<a href="/dataset/sozialcard-akzeptanzstellen">' in page
    assert '<a href="/dataset/sozialcard-pruefungen">' in client.get("/sozialcard/statistik/").content.decode()
    call_command("sozialcard_publish", verbosity=0)
    assert sozialcard_datasets_task.delay().get() == "sozialcard-akzeptanzstellen: –; sozialcard-pruefungen: –"
