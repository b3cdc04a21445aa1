"""Search with house numbers (exact, suffix, unknown number, misspelled street → suggestion, never
substitution) and the reverse lookup of the nearest address (distances as PostGIS geography)."""
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from geodata.models import Address, Place
from geodata.selectors import address_nearest, address_query_parse, location_search, place_get, place_resolve

pytestmark = pytest.mark.django_db


def address(street, number, lon, lat, suffix="", postcode="07545"):
    return Address.objects.create(street=street, number=number, suffix=suffix, postcode=postcode, city="Gera",
                                  point=Point(lon, lat, srid=4326), source="hk-de")


@pytest.fixture
def city_addresses():
    Place.objects.create(name="Schloßstraße", kind="street", point=Point(12.0815, 50.881, srid=4326))
    Place.objects.create(name="Rathausstraße", kind="street", point=Point(12.0812, 50.8791, srid=4326))
    Place.objects.create(name="Markt", kind="square", point=Point(12.0819, 50.8787, srid=4326))
    for n in (1, 3, 5, 7, 9, 11):
        address("Rathausstraße", n, 12.0800 + n * 0.0001, 50.8791)
    address("Rathausstraße", 5, 12.08055, 50.8791, suffix="a")
    address("Schloßstraße", 5, 12.0815, 50.881)
    address("Markt", 1, 12.0819, 50.8787)


@pytest.mark.parametrize("q, street, number, suffix, postcode", [
    ("Rathausstraße 5", "Rathausstraße", 5, "", ""),
    ("Rathausstr. 5a", "Rathausstraße", 5, "a", ""),
    ("rathausstr.5 A", "rathausstraße", 5, "a", ""),
    ("5 Rathausstraße", "Rathausstraße", 5, "", ""),
    ("5a Rathausstraße", "Rathausstraße", 5, "a", ""),
    ("Sorge 7/1, 07545 Gera", "Sorge", 7, "1", "07545"),
    ("Straße des 17. Juni", "Straße des 17. Juni", None, "", ""),
    ("Johannispl.", "Johannisplatz", None, "", ""),
])
def test_address_query_parse(q, street, number, suffix, postcode):
    parsed = address_query_parse(q)
    assert (parsed.street, parsed.number, parsed.suffix, parsed.postcode) == (street, number, suffix, postcode)


@pytest.mark.parametrize("q, expected", [
    ("Rathausstraße 5", "Rathausstraße 5"),
    ("rathausstrasse 5", "Rathausstraße 5"),
    ("Rathausstr. 5a", "Rathausstraße 5a"),
    ("Rathausstraße 5 a", "Rathausstraße 5a"),
    ("5 Rathausstraße", "Rathausstraße 5"),
    ("Rathausstraße 5, 07545 Gera", "Rathausstraße 5"),
    ("Markt 1", "Markt 1"),
])
def test_search_finds_the_address_exactly(city_addresses, q, expected):
    search = location_search(q=q)
    assert [(r.name, r.match) for r in search.results] == [(expected, "exact")]
    assert search.house_number_found is True and not search.is_suggestion
    resolved = place_resolve(q=q)
    assert resolved.place.name == expected and resolved.place.kind == "address"


def test_unknown_house_number_gives_the_street_flag_and_nearest_numbers(city_addresses):
    search = location_search(q="Rathausstraße 8")
    assert search.house_number_found is False and search.house_number == "8" and search.street == "Rathausstraße"
    assert [(r.name, r.match) for r in search.results] == [
        ("Rathausstraße", "street"), ("Rathausstraße 7", "nearby_number"), ("Rathausstraße 9", "nearby_number"),
        ("Rathausstraße 5", "nearby_number"), ("Rathausstraße 5a", "nearby_number")]
    resolved = place_resolve(q="Rathausstraße 8")
    assert resolved.place is None and resolved.house_number_found is False
    assert resolved.candidates[0].name == "Rathausstraße"


def test_misspelled_street_is_a_suggestion_never_a_substitution(city_addresses):
    search = location_search(q="Rathausstrase 5")  # typo
    assert [(r.name, r.match) for r in search.results] == [("Rathausstraße 5", "suggestion")]
    assert search.is_suggestion
    resolved = place_resolve(q="Rathausstrase 5")
    assert resolved.place is None and resolved.is_suggestion
    assert [c.name for c in resolved.candidates] == ["Rathausstraße 5"]


def test_unknown_street_with_number_is_not_replaced_by_a_similar_street():
    """The walk-through: "Rathausstraße 5" silently became "Schloßstraße"."""
    Place.objects.create(name="Schloßstraße", kind="street", point=Point(12.0815, 50.881, srid=4326))
    address("Schloßstraße", 3, 12.0815, 50.881)
    resolved = place_resolve(q="Rathausstraße 5")
    assert resolved.place is None
    assert all(c.match == "suggestion" for c in resolved.candidates)
    assert resolved.is_suggestion
    single = place_resolve(q="Schlosstrasse")  # a typo, the only result: still a question, never taken silently
    assert single.place is None and single.is_suggestion
    assert [(c.name, c.match) for c in single.candidates] == [("Schloßstraße", "suggestion")]


def test_single_fuzzy_place_without_number_is_a_suggestion(city_addresses):
    resolved = place_resolve(q="Marktt")
    assert resolved.place is None
    assert [(c.name, c.match) for c in resolved.candidates] == [("Markt", "suggestion")]
    assert resolved.is_suggestion


def test_place_get_by_choice_key(city_addresses):
    a = Address.objects.get(street="Markt", number=1)
    p = Place.objects.get(name="Markt")
    assert place_get(pk=a.choice_key) == a and a.choice_key == f"a{a.pk}"
    assert place_get(pk=p.choice_key) == p
    for bad in ("a", "ax", "", None, "a-1", "9" * 30, "\x00"):
        assert place_get(pk=bad) is None


# --- reverse lookup --------------------------------------------------------------------------

def geography_distance(a: Point, b: Point) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, "
                       "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography)", [a.x, a.y, b.x, b.y])
        return cursor.fetchone()[0]


def test_address_nearest_matches_st_distance_on_geography(city_addresses):
    point = Point(12.08031, 50.87915, srid=4326)  # between Rathausstraße 3 (12.0803) and 5
    nearest = address_nearest(point=point)
    assert nearest.address.name == "Rathausstraße 3"
    assert nearest.distance_m == pytest.approx(geography_distance(point, nearest.address.point), abs=0.01)
    others = [geography_distance(point, a.point) for a in Address.objects.exclude(pk=nearest.address.pk)]
    assert nearest.distance_m < min(others)
    assert 5 < nearest.distance_m < 6  # 0.00001° lon ≈ 0.7 m, 0.00005° lat ≈ 5.6 m
    assert nearest.is_near is False  # within 15 m: "Rathausstraße 3", not "nahe …"


def test_address_nearest_respects_the_maximum_distance(city_addresses, settings):
    far = Point(12.0811, 50.8800, srid=4326)  # ≈ 100 m north of Rathausstraße 11
    distance = geography_distance(far, Address.objects.get(street="Rathausstraße", number=11).point)
    assert 95 < distance < 105
    assert address_nearest(point=far, max_distance_m=distance - 1) is None
    found = address_nearest(point=far, max_distance_m=distance + 1)
    assert found.address.name == "Rathausstraße 11" and found.is_near is True
    settings.GEODATA = {"ADDRESS_NEAREST_MAX_M": 50}
    assert address_nearest(point=far) is None
    with pytest.raises(ValueError):
        address_nearest(point=Point(700000, 5640000, srid=25832))
