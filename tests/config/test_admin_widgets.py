"""`config.admin_widgets`: every geometry field of every registered admin (and inline) is drawn
on our OpenLayers widget, whose page loads OpenLayers from our origin and runs no inline
script; a disabled geometry keeps its stored value whatever is posted; the single-file static
finder (`config.staticfinders`) serves OpenLayers' two files and nothing else of the package."""
import json
import re

import pytest
from django.contrib import admin
from django.contrib.gis.db import models as gis_models
from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders
from django.test import RequestFactory

from config.admin_widgets import BasemapMapWidget, MapAdminMixin
from config.staticfinders import SingleFileFinder
from geodata.models import Place
from tests.factories import AreaFactory, ReportFactory, UserFactory
from tests.opendata.factories import DatasetFactory, bbox_polygon

pytestmark = pytest.mark.django_db

# (admin or inline class name, model field) drawn on a map; editable unless disabled.
MAP_FIELDS = {
    ("DatasetAdmin", "spatial"): False,
    ("JurisdictionAreaAdmin", "geom"): True,
    ("PlaceAdmin", "point"): True,
    ("AddressAdmin", "point"): True,
    ("ReportAdmin", "location"): True,
    ("PartnerLocationAdmin", "point"): False,
    ("PartnerLocationInline", "point"): False,
}
# Geometry fields no admin form shows: a photo's EXIF position is the reporter's (private).
HIDDEN = {("ReportPhotoInline", "exif_location")}


def _geometry_forms(request):
    """(admin or inline, its form class) of every registered admin and its inlines."""
    for model_admin in admin.site._registry.values():
        yield model_admin, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline, inline.get_formset(request).form


def test_every_admin_geometry_field_is_on_our_map_widget():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    seen, hidden = {}, set()
    for owner, form in _geometry_forms(request):
        for field in owner.model._meta.get_fields():
            if not isinstance(field, gis_models.GeometryField):
                continue
            key = (type(owner).__name__, field.name)
            formfield = form.base_fields.get(field.name)
            if formfield is None:
                hidden.add(key)
                continue
            assert isinstance(owner, MapAdminMixin), key
            assert type(formfield.widget) is BasemapMapWidget, key
            seen[key] = formfield.disabled
    assert seen == MAP_FIELDS
    assert hidden == HIDDEN


def _login_superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))


def test_change_page_loads_openlayers_from_us_and_no_inline_script(client, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}
    dataset = DatasetFactory(spatial=bbox_polygon(12.03, 50.85, 12.11, 50.9))
    _login_superuser(client)
    response = client.get(f"/admin/opendata/dataset/{dataset.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script src="/static/vendor/ol/ol.js"></script>' in html
    assert '<link href="/static/vendor/ol/ol.css" media="all" rel="stylesheet">' in html
    assert '<script src="/static/config/admin-map-widget.js"></script>' in html
    for foreign in ("jsdelivr", "openstreetmap", "earthdata"):
        assert foreign not in html, html[max(0, html.find(foreign) - 200):html.find(foreign) + 100]
    # Every <script> has a src or is JSON data (json_script).
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), scripts
    options = json.loads(re.search(r'<script id="id_spatial_map_options" type="application/json">(.*?)</script>',
                                   html, re.S)[1])
    assert options == {
        "geom_name": "Geometry", "map_srid": 3857, "default_lon": settings.FRONTEND["MAP_CENTER"][0],
        "default_lat": settings.FRONTEND["MAP_CENTER"][1], "default_zoom": settings.FRONTEND["MAP_ZOOM"],
        "disabled": False, "tile_url": "", "tile_attribution": "",
        "basemap_url": "/karte/basemap/{z}/{x}/{y}.mvt", "basemap_max_zoom": 14,
    }
    csp = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
    assert csp["script-src"] == "'self'"


def test_a_city_tile_url_is_the_base_layer(client, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": "https://{s}.tiles.stadt.example/{z}/{x}/{y}.png",
                         "TILE_ATTRIBUTION": "© Stadt"}
    report = ReportFactory(location=Point(12.05, 50.875, srid=4326))
    _login_superuser(client)
    html = client.get(f"/admin/reporter/report/{report.pk}/change/").content.decode()
    options = json.loads(re.search(r'<script id="id_location_map_options" type="application/json">(.*?)</script>',
                                   html, re.S)[1])
    assert options["tile_url"] == "https://{s}.tiles.stadt.example/{z}/{x}/{y}.png"
    assert options["tile_attribution"] == "© Stadt"
    assert options["disabled"] is True
    # Disabled: no "Delete all features" link, the textarea is not submitted.
    assert 'class="clear_features"' not in html
    assert re.search(r'<textarea id="id_location"[^>]*\sdisabled', html)


def test_a_disabled_geometry_keeps_its_value_whatever_is_posted():
    place = Place.objects.create(name="Johannisplatz", kind="square", point=Point(12.0797, 50.8797, srid=4326))
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form_class = admin.site._registry[Place].get_form(request, place)
    form = form_class(data={"name": "Johannisplatz", "kind": "square", "alt_names": "",
                            "point": '{"type": "Point", "coordinates": [0, 0]}'}, instance=place)
    assert form.is_valid(), form.errors
    form.save()
    place.refresh_from_db()
    assert (round(place.point.x, 4), round(place.point.y, 4)) == (12.0797, 50.8797)


def test_the_jurisdiction_area_page_draws_the_area(client):
    area = AreaFactory(name="Innenstadt")
    _login_superuser(client)
    response = client.get(f"/admin/geodata/jurisdictionarea/{area.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    textarea = re.search(r'<textarea id="id_geom"[^>]*>(.*?)</textarea>', html, re.S)[1]
    geometry = json.loads(textarea.replace("&quot;", '"'))
    assert geometry["type"] == "MultiPolygon"  # in the map's EPSG:3857 (metres)
    assert round(geometry["coordinates"][0][0][0][0]) == 1335834  # lon 12.0
    assert "MultiPolygon, 1 Teil, 5 Punkte" in html  # the text summary stays


def test_the_single_file_finder_serves_openlayers_only():
    assert finders.find("vendor/ol/ol.js").endswith("node_modules/ol/dist/ol.js")
    assert finders.find("vendor/ol/ol.css").endswith("node_modules/ol/ol.css")
    assert finders.find("vendor/ol/ol.js.map") is None
    assert finders.find("vendor/ol/Map.js") is None
    listed = sorted(f"{storage.prefix}/{name}" for name, storage in SingleFileFinder().list([]))
    assert listed == ["vendor/ol/ol.css", "vendor/ol/ol.js"]
    assert SingleFileFinder().check() == []


def test_the_single_file_finder_reports_a_missing_file(settings, tmp_path):
    settings.STATICFILES_FILES = [("vendor/x", tmp_path / "x.js")]
    finder = SingleFileFinder()
    assert [error.id for error in finder.check()] == ["config.E301"]
    assert finder.find("vendor/x/x.js") == []
    assert finder.find("vendor/x/x.js", find_all=True) == []
    assert list(finder.list([])) == []
