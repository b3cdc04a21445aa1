"""The nearest address instead of raw coordinates: filled when a report is filed without one,
shown on the public and the tracking page ("nahe …" when the point is not at the house)."""
import pytest
from django.contrib.gis.geos import Point

from geodata.models import Address
from reporter import services
from tests.factories import city_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = city_build()  # boundary 12.00–12.10 / 50.85–50.90
    Address.objects.create(street="Rathausstraße", number=5, postcode="07545", city="Gera",
                           point=Point(12.05, 50.875, srid=4326), source="hk-de")
    return city


def facts(client, url) -> str:
    html = client.get(url).content.decode()
    return html.split("<dt>Ort</dt>", 1)[1].split("</dd>", 1)[0]


def test_report_without_address_gets_the_nearest_one_and_pages_show_it(client, city):
    at_house = services.report_create(category=city.category, point=Point(12.05005, 50.875, srid=4326))
    assert at_house.address == "Rathausstraße 5"  # ≈ 3.5 m away
    line = facts(client, f"/meldungen/{at_house.pk}/")
    assert "Rathausstraße 5<br>" in line and "nahe" not in line and "lon " not in line
    near = services.report_create(category=city.category, point=Point(12.0505, 50.875, srid=4326))  # ≈ 35 m
    assert near.address == "Rathausstraße 5"
    assert "nahe Rathausstraße 5<br>" in facts(client, f"/meldungen/{near.pk}/")
    assert "nahe Rathausstraße 5<br>" in facts(client, f"/verfolgen/{near.tracking_token}/")
    english = client.get(f"/verfolgen/{near.tracking_token}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "near Rathausstraße 5" in english


def test_given_address_is_kept_and_far_points_show_coordinates(client, city):
    given = services.report_create(category=city.category, point=Point(12.05005, 50.875, srid=4326),
                                   address="Markt")
    assert given.address == "Markt"
    assert "Markt<br>" in facts(client, f"/meldungen/{given.pk}/")
    far = services.report_create(category=city.category, point=Point(12.06, 50.875, srid=4326))  # ≈ 700 m
    assert far.address == ""
    assert "lon 12.0600, lat 50.8750" in facts(client, f"/meldungen/{far.pk}/")
