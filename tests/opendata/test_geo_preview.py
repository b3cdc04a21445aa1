"""opendata.geo.preview: the admin's map preview shows user-supplied names and values as text
(a property named `<img src=x onerror=…>` must not become markup), and its frame is sandboxed."""
import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from opendata.geo.preview import resource_preview_html, resource_preview_map_html
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


def test_map_document_has_no_user_supplied_markup(settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}
    document = resource_preview_map_html(resource=hostile_resource())
    assert "<img" not in document
    assert "onerror=\"alert" not in document
    # Title and popup cells are escaped text (inside the script, JSON escapes `&` as \\u0026).
    assert "<title>Karte: &lt;/title&gt;&lt;img src=z onerror=&#34;alert(3)&#34;&gt;</title>" in document
    assert "\\u0026lt;img src=x onerror=\\u0026quot;alert(1)\\u0026quot;\\u0026gt;" in document
    assert "\\u0026lt;img src=y onerror=\\u0026quot;alert(2)\\u0026quot;\\u0026gt;" in document


def test_preview_frame_is_sandboxed_without_same_origin(settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}
    fragment = resource_preview_html(resource=hostile_resource())
    assert ' sandbox="allow-scripts" ' in fragment
    assert "allow-same-origin" not in fragment
    assert "<img" not in fragment  # srcdoc is an escaped attribute, the table autoescaped


def test_admin_change_page_shows_the_names_as_text(admin_client, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}
    resource = hostile_resource()
    page = admin_client.get(reverse("admin:opendata_resource_change", args=[resource.pk])).content.decode()
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page  # the table's column header
