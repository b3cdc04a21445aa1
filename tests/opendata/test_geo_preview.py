"""opendata.geo.preview: the admin's map preview carries user-supplied names and values as data
only (a property named `<img src=x onerror=…>` must not become markup anywhere in the page)."""
import json
import re

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from opendata.geo.preview import resource_preview_html, resource_preview_map_data
from opendata.models import Resource, ResourceFeature
from tests.opendata.factories import DatasetFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FIELD = '<img src=x onerror="alert(1)">'
VALUE = '<img src=y onerror="alert(2)">'
NAME = '</title><img src=z onerror="alert(3)">'


def hostile_resource() -> Resource:
    dataset = DatasetFactory(owner_org=OrganizationFactory(name="tiefbauamt", title="Tiefbauamt"))
    resource = Resource.objects.create(
        package=dataset, name=NAME, format="GeoJSON", url_type=Resource.UrlType.UPLOAD,
        upload="opendata/x/y/boese.geojson",
        geo_ingest={"status": "ok", "feature_count": 1, "geometry_type": "Point", "bbox": [12.08, 50.88, 12.08, 50.88],
                    "fields": [{"name": FIELD, "type": "string"}, {"name": "nr", "type": "integer"}]},
    )
    ResourceFeature.objects.create(resource=resource, fid=1, geometry=Point(12.08, 50.88, srid=4326),
                                   properties={FIELD: VALUE, "nr": 7})
    return resource


def test_map_data_carries_the_cells_as_plain_text():
    collection = resource_preview_map_data(resource=hostile_resource())
    assert [f["properties"] for f in collection["features"]] == [{"fid": 1, "cells": [[FIELD, VALUE], ["nr", "7"]]}]
    assert collection["features"][0]["geometry"] == {"type": "Point", "coordinates": [12.08, 50.88]}


def test_preview_fragment_has_no_user_supplied_markup():
    fragment = resource_preview_html(resource=hostile_resource())
    assert "<img" not in fragment  # json_script escapes <, > and &; the table is autoescaped
    data = json.loads(re.search(r'<script id="resource-preview-data" type="application/json">(.*?)</script>',
                                fragment, re.S).group(1))
    assert data["features"][0]["properties"]["cells"][0] == [FIELD, VALUE]
    assert 'aria-label="Karte: &lt;/title&gt;&lt;img src=z onerror=&quot;alert(3)&quot;&gt;"' in fragment
    assert '<script type="module" src="/static/opendata/js/resource_preview.mjs"></script>' in fragment
    assert "srcdoc" not in fragment and "leaflet" not in fragment


def test_admin_change_page_shows_the_names_as_text(admin_client, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}
    resource = hostile_resource()
    page = admin_client.get(reverse("admin:opendata_resource_change", args=[resource.pk])).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page  # the table's column header
