"""Items parameters at the edges of the calendar and of PostgreSQL's integers: 400 with an
OGC exception on every collection, never 500."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _collection_ids(client) -> list[str]:
    ids = [c["id"] for c in client.get("/ogc/collections", {"f": "json"}).json()["collections"]]
    assert "reports" in ids and len(ids) >= 2
    return ids


@pytest.mark.parametrize(("params", "description"), [
    ({"datetime": "9999-12-31/0001-01-01"}, "datetime: der Beginn des Intervalls liegt nach seinem Ende."),
    ({"datetime": "0001-01-01T00:00:00+01:00"}, "datetime: „0001-01-01T00:00:00+01:00“ ist kein gültiger Zeitpunkt."),
    ({"offset": "99999999999999999999"}, "offset darf höchstens 1000000000 sein."),
])
def test_edge_values_are_400_on_every_collection(ogc_data, params, description):
    client = Client(raise_request_exception=False)
    for collection in _collection_ids(client):
        response = client.get(f"/ogc/collections/{collection}/items", params)
        assert response.status_code == 400, collection
        assert response.json() == {"code": "InvalidParameterValue", "description": description}


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01/9999-12-31", "9999-12-31T23:59:59Z/.."])
def test_last_day_of_the_calendar_is_a_valid_datetime(ogc_data, value):
    response = Client().get("/ogc/collections/reports/items", {"datetime": value})
    assert response.status_code == 200
    assert response.json()["type"] == "FeatureCollection"
