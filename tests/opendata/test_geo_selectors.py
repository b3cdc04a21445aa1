"""opendata.geo.selectors: the feature and attribute reads shared by the admin preview and the
dataset page — order, limits per resource and in total, properties, one query each."""
import pytest
from django.contrib.gis.geos import LineString, Point

from opendata.geo.selectors import (
    resource_attribute_rows,
    resource_features_geojson,
    resource_is_ingested,
    resources_ingested,
)
from opendata.models import Resource, ResourceFeature
from tests.opendata.factories import DatasetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_resources(org):
    dataset = DatasetFactory(owner_org=org)
    first = Resource.objects.create(package=dataset, name="A", position=0, geo_ingest={"status": "ok"})
    second = Resource.objects.create(package=dataset, name="B", position=1, geo_ingest={"status": "ok"})
    for fid in (3, 1, 2):  # written out of order: reads order by fid
        ResourceFeature.objects.create(resource=first, fid=fid, geometry=Point(12 + fid / 100, 50.9, srid=4326),
                                       properties={"nr": fid, "name": f"A{fid}"})
    ResourceFeature.objects.create(resource=second, fid=1, properties={"nr": 1},
                                   geometry=LineString((12.0, 50.8), (12.000001, 50.8), (12.1, 50.8), srid=4326))
    return first, second


def test_features_in_resource_order_then_fid_with_attributes(two_resources, django_assert_num_queries):
    first, second = two_resources
    with django_assert_num_queries(1):
        collection = resource_features_geojson(resources=[second, first], limit=10, decimals=7)
    assert collection["type"] == "FeatureCollection"
    assert [(f["id"], f["properties"]["nr"]) for f in collection["features"]] == [(1, 1), (1, 1), (2, 2), (3, 3)]
    assert collection["features"][1] == {"type": "Feature", "id": 1, "properties": {"nr": 1, "name": "A1"},
                                         "geometry": {"type": "Point", "coordinates": [12.01, 50.9]}}


def test_features_limit_is_a_total_and_resource_index_replaces_attributes(two_resources):
    first, second = two_resources
    collection = resource_features_geojson(resources=[first, second], limit=4, decimals=6,
                                           simplify_tolerance=0.00001, attributes=False)
    assert [(f["id"], f["properties"]) for f in collection["features"]] == [
        (1, {"resource": 1}), (2, {"resource": 1}), (3, {"resource": 1}), (1, {"resource": 2})]
    # Simplified: the vertex 0.1 m from the start is gone.
    assert collection["features"][3]["geometry"] == {"type": "LineString", "coordinates": [[12.0, 50.8], [12.1, 50.8]]}
    only_two = resource_features_geojson(resources=[first, second], limit=2, decimals=6)
    assert [f["id"] for f in only_two["features"]] == [1, 2]


def test_features_of_no_resource_is_an_empty_collection(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert resource_features_geojson(resources=[], limit=10, decimals=6) == {
            "type": "FeatureCollection", "features": []}


def test_attribute_rows_first_n_per_resource_in_one_query(two_resources, django_assert_num_queries):
    first, second = two_resources
    empty = Resource.objects.create(package=first.package, name="C", geo_ingest={"status": "ok"})
    with django_assert_num_queries(1):
        rows = resource_attribute_rows(resources=[first, second, empty], limit=2)
    assert rows == {first.id: [(1, {"nr": 1, "name": "A1"}), (2, {"nr": 2, "name": "A2"})],
                    second.id: [(1, {"nr": 1})]}
    assert resource_attribute_rows(resources=[], limit=2) == {}


def test_ingested_means_status_ok():
    ok, pending, empty = (Resource(geo_ingest={"status": "ok"}), Resource(geo_ingest={"status": "pending"}),
                          Resource(geo_ingest=None))
    assert [resource_is_ingested(r) for r in (ok, pending, empty)] == [True, False, False]
    assert resources_ingested([pending, ok, empty]) == [ok]
