"""GET /api/v1/places?q= — the gazetteer search behind the report form's suggestions."""
import pytest
from django.contrib.gis.geos import Point

from geodata.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    Place.objects.create(name="Johannisplatz", kind="square", point=Point(12.0797123, 50.8797456, srid=4326))
    Place.objects.create(name="Theater Gera", kind="landmark", point=Point(12.0753, 50.8826, srid=4326))
    Place.objects.create(name="Theaterplatz", kind="square", point=Point(12.0762, 50.8823, srid=4326))


def test_places_search_returns_names_kinds_and_lon_lat(api_client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # ATOMIC_REQUESTS savepoint + one search + release
        response = api_client.get("/api/v1/places", {"q": "johanisplatz"})
    assert response.status_code == 200
    assert response.json() == {"results": [
        {"id": Place.objects.get(name="Johannisplatz").pk, "name": "Johannisplatz", "kind": "square",
         "kind_label": "Platz", "lon": 12.079712, "lat": 50.879746},
    ]}


def test_places_search_ranks_and_limits(api_client, places):
    response = api_client.get("/api/v1/places", {"q": "Theater", "limit": 1})
    assert [p["name"] for p in response.json()["results"]] == ["Theater Gera"]
    response = api_client.get("/api/v1/places", {"q": "Theater"})
    assert [p["name"] for p in response.json()["results"]] == ["Theater Gera", "Theaterplatz"]
    assert api_client.get("/api/v1/places", {"q": "Atlantis"}).json() == {"results": []}


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
