"""GET /api/v1/places?q= — the gazetteer search behind the report form's suggestions."""
import re

import pytest
from django.contrib.gis.geos import Point

from geodata.models import Address, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    Place.objects.create(name="Johannisplatz", kind="square", point=Point(12.0797123, 50.8797456, srid=4326))
    Place.objects.create(name="Theater Gera", kind="landmark", point=Point(12.0753, 50.8826, srid=4326))
    Place.objects.create(name="Theaterplatz", kind="square", point=Point(12.0762, 50.8823, srid=4326))


def test_places_search_returns_names_kinds_and_lon_lat(api_client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # ATOMIC_REQUESTS savepoint + one search + release
        response = api_client.get("/api/v1/places", {"q": "Johannisplatz"})
    assert response.status_code == 200
    pk = Place.objects.get(name="Johannisplatz").pk
    assert response.json() == {"results": [
        {"id": pk, "key": str(pk), "name": "Johannisplatz", "kind": "square", "kind_label": "Platz",
         "match": "exact", "lon": 12.079712, "lat": 50.879746},
    ], "house_number": "", "house_number_found": None, "suggestion": False, "message": ""}


def test_places_search_marks_a_typo_as_suggestion(api_client, places):
    response = api_client.get("/api/v1/places", {"q": "johanisplatz"})
    assert response.status_code == 200
    body = response.json()
    assert [(p["name"], p["match"]) for p in body["results"]] == [("Johannisplatz", "suggestion")]
    assert body["suggestion"] is True
    assert body["message"] == "Nicht gefunden. Meinten Sie Johannisplatz? Bitte wählen Sie aus."
    english = api_client.get("/api/v1/places", {"q": "johanisplatz"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["message"] == "Not found. Did you mean Johannisplatz? Please choose."


@pytest.fixture
def addresses(places):
    for number, suffix in [(3, ""), (5, ""), (5, "a"), (9, "")]:
        Address.objects.create(street="Rathausstraße", number=number, suffix=suffix, postcode="07545", city="Gera",
                               point=Point(12.08 + number * 0.0001, 50.8791, srid=4326), source="hk-de")
    Place.objects.create(name="Schloßstraße", kind="street", point=Point(12.0815, 50.881, srid=4326))


def test_places_search_finds_an_address_with_suffix(api_client, addresses, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # savepoint + street names + addresses + release
        response = api_client.get("/api/v1/places", {"q": "Rathausstr. 5a"})
    assert response.status_code == 200
    address = Address.objects.get(number=5, suffix="a")
    assert response.json() == {"results": [
        {"id": address.pk, "key": f"a{address.pk}", "name": "Rathausstraße 5a", "kind": "address",
         "kind_label": "Adresse", "match": "exact", "lon": 12.0805, "lat": 50.8791, "street": "Rathausstraße",
         "house_number": "5a", "postcode": "07545", "city": "Gera"},
    ], "house_number": "5a", "house_number_found": True, "suggestion": False, "message": ""}


def test_places_search_unknown_house_number_offers_nearest(api_client, addresses):
    body = api_client.get("/api/v1/places", {"q": "Rathausstraße 7"}).json()
    assert body["house_number_found"] is False
    assert body["message"] == ("Hausnummer 7 in Rathausstraße nicht gefunden. Bitte wählen Sie die Straße oder "
                               "eine Hausnummer in der Nähe.")
    assert [(p["name"], p["match"]) for p in body["results"]] == [
        ("Rathausstraße 5", "nearby_number"), ("Rathausstraße 5a", "nearby_number"),
        ("Rathausstraße 9", "nearby_number"), ("Rathausstraße 3", "nearby_number")]


def test_places_search_other_street_only_as_suggestion(api_client, addresses):
    """A misspelled street: the address in the similar street is offered as a suggestion, not taken."""
    body = api_client.get("/api/v1/places", {"q": "Rathausstrase 5"}).json()
    assert [(p["name"], p["match"]) for p in body["results"]] == [("Rathausstraße 5", "suggestion")]
    assert body["suggestion"] is True


def test_places_search_ranks_and_limits(api_client, places):
    response = api_client.get("/api/v1/places", {"q": "Theater", "limit": 1})
    assert [p["name"] for p in response.json()["results"]] == ["Theater Gera"]
    response = api_client.get("/api/v1/places", {"q": "Theater"})
    assert [p["name"] for p in response.json()["results"]] == ["Theater Gera", "Theaterplatz"]
    assert api_client.get("/api/v1/places", {"q": "Atlantis"}).json()["results"] == []


@pytest.mark.parametrize("params, field, message", [
    ({}, "q", "Dieses Feld ist zwingend erforderlich."),
    ({"q": "J"}, "q", "Bitte mindestens 2 Zeichen eingeben."),
    ({"q": "Jo", "limit": "0"}, "limit", "Stelle sicher, dass dieser Wert größer oder gleich 1 ist."),
    ({"q": "Jo", "limit": "21"}, "limit", "Stelle sicher, dass dieser Wert kleiner oder gleich 20 ist."),
])
def test_places_search_rejects_bad_queries(api_client, params, field, message):
    response = api_client.get("/api/v1/places", params)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {field: [message]}}


# --- the report form without JavaScript: an address is taken exactly, anything else is asked --

@pytest.fixture
def city_with_addresses(addresses):
    from tests.factories import city_build

    city_build()  # boundary 12.00–12.10 / 50.85–50.90 and the category "schlagloch"
    Address.objects.update(point=Point(12.05, 50.875, srid=4326))


def step1(client, **data):
    return client.post("/melden/", {"step": "ort", "category": "schlagloch", **data})


def test_form_takes_an_exact_address(client, city_with_addresses):
    html = step1(client, place_query="Rathausstr. 5a").content.decode()
    assert "Schritt 2 von 2" in html
    assert '<input type="hidden" name="address" value="Rathausstraße 5a">' in html
    assert '<input type="hidden" name="lon" value="12.050000">' in html


def test_form_unknown_house_number_asks_with_street_and_nearest_numbers(client, city_with_addresses):
    response = step1(client, place_query="Rathausstraße 7")
    html = response.content.decode()
    assert response.status_code == 200 and "Schritt 2 von 2" not in html
    assert ("Hausnummer 7 in Rathausstraße nicht gefunden. Bitte wählen Sie die Straße oder eine Hausnummer in "
            "der Nähe.") in html
    keys = re.findall(r'<input type="radio" name="place" value="(a?\d+)"', html)
    assert keys == [f"a{Address.objects.get(number=n, suffix=s).pk}" for n, s in [(5, ""), (5, "a"), (9, ""), (3, "")]]
    html = step1(client, place_query="Rathausstraße 7", place=keys[2]).content.decode()
    assert "Schritt 2 von 2" in html
    assert '<input type="hidden" name="address" value="Rathausstraße 9">' in html


def test_form_never_substitutes_another_street(client, city_with_addresses):
    """The walk-through: "Rathausstraße 5" became "Schloßstraße" without asking."""
    Address.objects.all().delete()
    response = step1(client, place_query="Rathausstraße 5")
    html = response.content.decode()
    assert "Schritt 2 von 2" not in html
    assert "„Rathausstraße 5“ nicht gefunden. Meinten Sie einen dieser Orte?" in html
    assert re.findall(r'<label for="id_place_0">([^<]+) <span', html) == ["Schloßstraße"]


# --- the report form with JavaScript (headless Chromium, live server) -------------------------

@pytest.mark.django_db(transaction=True)
def test_browser_search_with_house_number_asks_then_takes_the_exact_address(new_context):
    from playwright.sync_api import expect

    from reporter.models import Report
    from tests.factories import city_build

    city_build()
    Place.objects.create(name="Rathausstraße", kind="street", point=Point(12.05, 50.875, srid=4326))
    Place.objects.create(name="Schloßstraße", kind="street", point=Point(12.06, 50.876, srid=4326))
    for number, suffix in [(5, ""), (5, "a"), (9, "")]:
        Address.objects.create(street="Rathausstraße", number=number, suffix=suffix, postcode="07545", city="Gera",
                               point=Point(12.05 + number * 0.0001, 50.875, srid=4326), source="hk-de")
    page = new_context().new_page()
    page.goto("/melden/")
    page.locator("input[name=category]").first.check()
    search, status = page.locator("#id_place_query"), page.locator("#location-status")

    search.fill("Rathausstraße 8")
    search.press("Enter")  # the number does not exist: asked, nothing taken
    expect(status).to_contain_text("Hausnummer 8 in Rathausstraße nicht gefunden")
    expect(page.locator("#place-suggestions [role=option]")).to_have_text(
        ["Rathausstraße (Straße)", "Rathausstraße 9 (Adresse)", "Rathausstraße 5 (Adresse)",
         "Rathausstraße 5a (Adresse)"])

    search.fill("Rathausstrase 5")
    search.press("Enter")  # a typo: "Meinten Sie …?", never taken silently
    expect(status).to_contain_text("Meinten Sie Rathausstraße 5?")
    expect(search).to_have_value("Rathausstrase 5")

    search.fill("Rathausstr. 5a")
    search.press("Enter")  # exact: taken
    expect(status).to_contain_text("Rathausstraße 5a")
    expect(search).to_have_value("Rathausstraße 5a")
    page.locator("#submit-button").click()
    page.wait_for_url("**/melden/gesendet/**")
    report = Report.objects.get()
    assert (report.address, round(report.location.x, 6), report.location.y) == ("Rathausstraße 5a", 12.0505, 50.875)
