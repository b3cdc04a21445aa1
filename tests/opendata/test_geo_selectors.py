"""opendata.geo.selectors: the feature and attribute reads shared by the admin preview and the
dataset page — order, limits per resource and in total, properties, one query each, and a
preview bounded in vertices and bytes whatever the data (one line of 10^6 vertices)."""
import json
import re

import pytest
from django.contrib.gis.geos import LineString, Point
from django.db import connection
from django.urls import reverse

from opendata.geo.preview import resource_preview_map_data
from opendata.geo.selectors import (
    FEATURE_VERTICES_MAX,
    PREVIEW_BYTES_MAX,
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
                                           simplify_tolerance_m=1, attributes=False)
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


# --- bounds -------------------------------------------------------------------------------------

def vertices(collection: dict) -> int:
    """All positions of all geometries of a FeatureCollection."""
    def count(coordinates):
        return 1 if isinstance(coordinates[0], int | float) else sum(count(c) for c in coordinates)
    return sum(count(f["geometry"]["coordinates"]) for f in collection["features"])


@pytest.fixture
def huge_line(org):
    """A public dataset whose resource holds one zigzag LineString of 10^6 vertices (about 1 m
    apart; a plain simplification keeps every one), written by PostGIS."""
    dataset = DatasetFactory(owner_org=org, name="grosse-linie")
    resource = Resource.objects.create(
        package=dataset, name="Linie", format="GeoJSON", position=0,
        geo_ingest={"status": "ok", "feature_count": 1, "geometry_type": "LineString",
                    "bbox": [12.0, 50.88, 13.0, 50.88001], "fields": [{"name": "nr", "type": "integer"}]})
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO opendata_resourcefeature (resource_id, fid, properties, geometry) SELECT %s, 1, "
            "'{\"nr\": 1}'::jsonb, ST_SetSRID(ST_MakeLine(ARRAY(SELECT ST_MakePoint(12.0 + i * 1e-6, "
            "50.88 + (i %% 2) * 1e-5) FROM generate_series(1, 1000000) i)), 4326)", [resource.pk])
        cursor.execute("SELECT ST_NPoints(geometry) FROM opendata_resourcefeature WHERE resource_id = %s",
                       [resource.pk])
        assert cursor.fetchone()[0] == 1_000_000
    return resource


def test_a_line_of_a_million_vertices_is_previewed_with_a_bounded_number(huge_line):
    collection = resource_features_geojson(resources=[huge_line], limit=2000, decimals=6, simplify_tolerance_m=1)
    assert len(collection["features"]) == 1
    assert collection["features"][0]["geometry"]["type"] == "LineString"
    assert 2 <= vertices(collection) <= FEATURE_VERTICES_MAX
    assert len(json.dumps(collection)) < 200_000  # instead of ~25 MB
    admin = resource_features_geojson(resources=[huge_line], limit=2000, decimals=7)  # the admin's call
    assert vertices(admin) <= FEATURE_VERTICES_MAX


def test_dataset_page_and_admin_map_of_the_huge_line_stay_small(huge_line, client, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}
    response = client.get(reverse("portal:dataset", args=["grosse-linie"]))
    assert response.status_code == 200
    page = response.content.decode()
    data = json.loads(re.search(r'<script id="dataset-map-data" type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    assert 2 <= vertices(data["features"]) <= FEATURE_VERTICES_MAX
    assert len(page) < 500_000
    assert len(json.dumps(resource_preview_map_data(resource=huge_line))) < 500_000


def test_feature_too_wiggly_for_the_grid_is_drawn_as_its_bounding_box(org):
    """10^4 vertices jumping between two corners of their extent: snapped to the grid they
    still are 10^4 vertices, so the preview draws the bounding box (5 vertices)."""
    resource = Resource.objects.create(package=DatasetFactory(owner_org=org), name="Zickzack",
                                       geo_ingest={"status": "ok"})
    ResourceFeature.objects.create(resource=resource, fid=1, properties={}, geometry=LineString(
        [(12.0, 50.8) if i % 2 else (12.01, 50.81) for i in range(10_000)], srid=4326))
    collection = resource_features_geojson(resources=[resource], limit=10, decimals=6)
    assert collection["features"][0]["geometry"] == {"type": "Polygon", "coordinates": [
        [[12.0, 50.8], [12.0, 50.81], [12.01, 50.81], [12.01, 50.8], [12.0, 50.8]]]}


def test_collection_stops_before_the_byte_limit(two_resources):
    first, second = two_resources
    full = resource_features_geojson(resources=[first, second], limit=10, decimals=7)
    sizes = [len(json.dumps(f, separators=(", ", ": "))) for f in full["features"]]
    assert len(sizes) == 4
    bounded = resource_features_geojson(resources=[first, second], limit=10, decimals=7,
                                        max_bytes=sizes[0] + sizes[1] + 5)
    assert [f["id"] for f in bounded["features"]] == [1, 2]
    assert resource_features_geojson(resources=[first], limit=10, decimals=7, max_bytes=10)["features"] == []
    assert PREVIEW_BYTES_MAX == 4_000_000
