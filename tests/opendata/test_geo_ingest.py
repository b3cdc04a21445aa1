"""Geodata uploads (opendata.geo): each format is read into ResourceFeature rows in WGS 84,
`geo_ingest` describes the result, and every bad file ends in status "error" with an exact
German message and no feature rows."""
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from pyproj import Geod, Transformer

from opendata.geo.preview import resource_preview_html, resource_preview_map_data
from opendata.models import Dataset, Resource, ResourceFeature
from opendata.services import resource_file_store
from tests.opendata.factories import DatasetFactory

pytestmark = pytest.mark.django_db

LON, LAT = 12.08, 50.88  # WGS 84
TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:25833", always_xy=True)
GEOD = Geod(ellps="WGS84")


@pytest.fixture
def ingest(org, django_capture_on_commit_callbacks):
    """ingest(filename, content, *, format="", dataset=None, **extras) → the resource after its
    upload was stored the way the services store it and the on-commit ingest has run."""
    def call(filename, content, *, format="", dataset=None, **extras):
        dataset = dataset or DatasetFactory(owner_org=org)
        resource = Resource(package=dataset, name=filename, format=format, extras=extras)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            resource_file_store(resource=resource, upload=SimpleUploadedFile(filename, content))
            resource.save()
        resource.refresh_from_db()
        return resource
    return call


def feature_collection(features, crs=None) -> bytes:
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": geometry, "properties": properties} for geometry, properties in features]}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data, ensure_ascii=False).encode()


def point(x, y):
    return {"type": "Point", "coordinates": [x, y]}


def ogr_file(tmp_path: Path, name: str, driver: str, geoms, fields: dict, crs: str, encoding=None) -> Path:
    """Write a vector file with GDAL (through pyogrio); geometries are shapely objects."""
    path = tmp_path / name
    pyogrio.raw.write(
        str(path), geometry=np.array([shapely.to_wkb(g) for g in geoms], dtype=object),
        field_data=[np.array(v, dtype=object if isinstance(v[0], str) else None) for v in fields.values()],
        fields=list(fields), crs=crs, geometry_type=geoms[0].geom_type, driver=driver, encoding=encoding)
    return path


def zipped_shapefile(tmp_path: Path, geoms, fields, crs, *, encoding=None, drop=(), cpg=None) -> bytes:
    ogr_file(tmp_path, "gebiete.shp", "ESRI Shapefile", geoms, fields, crs, encoding=encoding)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(tmp_path.glob("gebiete.*")):
            if part.suffix in drop:
                continue
            if part.suffix == ".cpg" and cpg is not None:
                archive.writestr(part.name, cpg)
                continue
            archive.write(part, part.name)
    return buffer.getvalue()


def rows(resource):
    return list(ResourceFeature.objects.filter(resource=resource).order_by("fid"))


def distance_m(geometry, lon, lat) -> float:
    return GEOD.inv(geometry.x, geometry.y, lon, lat)[2]


# --- formats ------------------------------------------------------------------------------

def test_geojson_is_read_as_crs84_with_typed_fields(ingest):
    resource = ingest("baustellen.geojson", feature_collection([
        (point(12.08, 50.88), {"name": "Straße Süd", "spuren": 2, "laenge_m": 12.5, "gesperrt": True}),
        (point(12.09, 50.87), {"name": "Markt", "spuren": 1, "laenge_m": 3.0, "gesperrt": False}),
    ]))
    assert resource.geo_ingest == {
        "status": "ok", "error": "", "geometry_type": "Point", "feature_count": 2,
        "bbox": [12.08, 50.87, 12.09, 50.88], "source_srid": 4326, "encoding": "UTF-8",
        "fields": [{"name": "name", "type": "string"}, {"name": "spuren", "type": "integer"},
                   {"name": "laenge_m", "type": "real"}, {"name": "gesperrt", "type": "boolean"}],
    }
    first, second = rows(resource)
    assert (first.fid, first.geometry.srid, first.geometry.coords) == (1, 4326, (12.08, 50.88))
    assert first.properties == {"name": "Straße Süd", "spuren": 2, "laenge_m": 12.5, "gesperrt": True}
    assert second.properties["gesperrt"] is False


def test_geojson_in_utm_lands_within_a_metre(ingest):
    x, y = TO_UTM.transform(LON, LAT)
    resource = ingest("punkt.geojson", feature_collection([(point(x, y), {"n": 1})], crs="urn:ogc:def:crs:EPSG::25833"))
    assert (resource.geo_ingest["status"], resource.geo_ingest["source_srid"]) == ("ok", 25833)
    assert distance_m(rows(resource)[0].geometry, LON, LAT) < 1.0


def test_csv_with_lon_lat_columns(ingest):
    resource = ingest("baeume.csv", b"id;lon;lat;art;hoehe;plz\n"
                                    b"1;12,08;50,88;Linde;12,5;07545\n2;12,09;50,87;Eiche;;07546\n")
    assert resource.geo_ingest["status"] == "ok", resource.geo_ingest
    assert resource.geo_ingest["fields"] == [
        {"name": "id", "type": "integer"}, {"name": "art", "type": "string"}, {"name": "hoehe", "type": "real"},
        {"name": "plz", "type": "string"}]
    assert (resource.geo_ingest["geometry_type"], resource.geo_ingest["source_srid"]) == ("Point", 4326)
    first, second = rows(resource)
    assert first.geometry.coords == (12.08, 50.88)
    assert first.properties == {"id": 1, "art": "Linde", "hoehe": 12.5, "plz": "07545"}
    assert second.properties == {"id": 2, "art": "Eiche", "hoehe": None, "plz": "07546"}


def test_csv_with_x_y_in_utm_and_srid_field(ingest):
    x, y = TO_UTM.transform(LON, LAT)
    resource = ingest("punkte.csv", f"x,y,name\n{x},{y},Rathaus\n".encode(), srid="25833")
    assert (resource.geo_ingest["status"], resource.geo_ingest["source_srid"]) == ("ok", 25833)
    assert distance_m(rows(resource)[0].geometry, LON, LAT) < 1.0


def test_csv_with_wkt_column(ingest):
    resource = ingest("wege.csv", b'name,wkt\nWeg A,"LINESTRING (12.0 50.8, 12.1 50.9)"\n'
                                  b'Weg B,"MULTILINESTRING ((12.0 50.85, 12.05 50.86))"\n')
    assert resource.geo_ingest["status"] == "ok", resource.geo_ingest
    assert resource.geo_ingest["geometry_type"] == "MultiLineString"
    assert [f.geometry.geom_type for f in rows(resource)] == ["LineString", "MultiLineString"]


def test_zipped_shapefile_in_utm_latin1_without_cpg(ingest, tmp_path):
    x, y = TO_UTM.transform(LON, LAT)
    content = zipped_shapefile(tmp_path, [shapely.Point(x, y)], {"name": ["Straße Süd"]}, "EPSG:25833",
                               encoding="ISO-8859-1", drop={".cpg"})
    resource = ingest("gebiete.zip", content)
    ingest_result = resource.geo_ingest
    assert (ingest_result["status"], ingest_result["source_srid"], ingest_result["encoding"]) == (
        "ok", 25833, "ISO-8859-1"), ingest_result
    feature = rows(resource)[0]
    assert feature.properties == {"name": "Straße Süd"}
    assert distance_m(feature.geometry, LON, LAT) < 1.0


def test_zipped_shapefile_with_cpg_is_recoded(ingest, tmp_path):
    content = zipped_shapefile(tmp_path, [shapely.box(12.0, 50.85, 12.1, 50.9)], {"name": ["Süd"]}, "EPSG:4326",
                               encoding="ISO-8859-1")
    resource = ingest("gebiete.zip", content)
    assert (resource.geo_ingest["encoding"], resource.geo_ingest["geometry_type"]) == ("ISO-8859-1", "Polygon")
    assert rows(resource)[0].properties == {"name": "Süd"}


def test_geopackage_in_utm(ingest, tmp_path):
    x, y = TO_UTM.transform(LON, LAT)
    path = ogr_file(tmp_path, "punkte.gpkg", "GPKG", [shapely.Point(x, y), shapely.Point(x + 100, y)],
                    {"name": ["A", "B"], "nummer": [1, 2]}, "EPSG:25833")
    resource = ingest("punkte.gpkg", path.read_bytes())
    ingest_result = resource.geo_ingest
    assert (ingest_result["status"], ingest_result["source_srid"], ingest_result["feature_count"]) == (
        "ok", 25833, 2), ingest_result
    assert ingest_result["fields"] == [{"name": "name", "type": "string"}, {"name": "nummer", "type": "integer"}]
    assert ingest_result["layer"] == "punkte"
    first, second = rows(resource)
    assert distance_m(first.geometry, LON, LAT) < 1.0
    assert 99 < GEOD.inv(first.geometry.x, first.geometry.y, second.geometry.x, second.geometry.y)[2] < 101


def test_dataset_without_extent_gets_the_features_extent(ingest, org):
    dataset = DatasetFactory(owner_org=org, spatial=None)
    ingest("a.geojson", feature_collection([(point(12.0, 50.8), {}), (point(12.1, 50.9), {})]), dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.spatial.extent == (12.0, 50.8, 12.1, 50.9)
    assert dataset.spatial.srid == 4326


def test_dataset_with_extent_keeps_it(ingest, org):
    dataset = DatasetFactory(owner_org=org, spatial=Point(13.0, 51.0, srid=4326))
    ingest("a.geojson", feature_collection([(point(12.0, 50.8), {})]), dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.spatial.coords == (13.0, 51.0)


def test_non_geodata_uploads_are_left_alone(ingest):
    assert ingest("tabelle.csv", b"a,b\n1,2\n").geo_ingest == {}
    assert ingest("bericht.pdf", b"%PDF-1.4").geo_ingest == {}
    assert ingest("daten.json", b'{"a": 1}', format="JSON").geo_ingest == {}
    assert ResourceFeature.objects.count() == 0


# --- bad files: status error, exact message, no rows -----------------------------------------

BAD_FILES = [
    ("leer.geojson", b"", {}, "Die Datei ist leer."),
    ("kaputt.zip", b"PK\x03\x04 not really a zip", {}, "Die Datei ist kein lesbares ZIP-Archiv."),
    ("kaputt.gpkg", b"SQLite format 3\x00" + b"\x00" * 200, {},
     "Die Datei ist beschädigt oder kein gültiges GeoPackage."),
    ("kaputt.geojson", b'{"type": "FeatureCollection", "features": [', {}, None),
    ("unbekannt.geojson", feature_collection([(point(12, 50), {})], crs="EPSG:999999"), {},
     "Das Koordinatensystem „EPSG:999999“ ist unbekannt. Bitte den EPSG-Code im Ressourcenfeld „srid“ "
     "angeben, z. B. 25833."),
    ("srid.csv", b"lon,lat\n12,50\n", {"srid": "999999"}, "EPSG:999999 ist kein bekanntes Koordinatensystem."),
    ("srid.csv", b"lon,lat\n12,50\n", {"srid": "utm"},
     "„srid“ muss ein ganzzahliger EPSG-Code sein, z. B. 25833 (angegeben: „utm“)."),
    ("gemischt.geojson", feature_collection([
        (point(12, 50), {}), ({"type": "LineString", "coordinates": [[12, 50], [12.1, 50.1]]}, {})]), {},
     "Objekt 2 hat den Geometrietyp LineString, die Objekte davor sind Point; gemischte Geometrietypen werden "
     "nicht unterstützt."),
    ("ohne.geojson", feature_collection([(point(12, 50), {}), (None, {})]), {}, "Objekt 2 hat keine Geometrie."),
    ("meter.geojson", feature_collection([(point(700000, 5640000), {})]), {},
     "Objekt 1 liegt nach der Umrechnung außerhalb von Länge ±180° / Breite ±90°; das Koordinatensystem passt "
     "nicht zu den Koordinaten. Bitte den richtigen EPSG-Code im Ressourcenfeld „srid“ angeben."),
    ("meter.csv", b"x,y\n700000,5640000\n", {},
     "Zeile 2 liegt nach der Umrechnung außerhalb von Länge ±180° / Breite ±90°; das Koordinatensystem passt "
     "nicht zu den Koordinaten. Bitte den richtigen EPSG-Code im Ressourcenfeld „srid“ angeben."),
    ("keine.geojson", feature_collection([]), {}, "Die Datei enthält keine Geoobjekte."),
    ("kopf.csv", b"lon,lat,name\n", {}, "Die Datei enthält keine Geoobjekte."),
    ("latin1.csv", "lon,lat,name\n12,50,Straße\n".encode("latin-1"), {},
     "Die Datei ist nicht UTF-8-kodiert (ungültiges Zeichen bei Byte 23). Bitte als UTF-8 speichern."),
    ("latin1.geojson", feature_collection([(point(12, 50), {"name": "Süd"})]).decode().encode("latin-1"), {},
     "Die Datei ist nicht UTF-8-kodiert (ungültiges Zeichen bei Byte 144). Bitte als UTF-8 speichern."),
    ("zahl.csv", b"lon,lat\n12,50\nzwoelf,50\n", {}, "Zeile 3: „lon“ = „zwoelf“ ist keine Zahl."),
    ("spalten.csv", b"lon,lat\n12,50,7\n", {}, "Zeile 2 hat 3 Werte, die Kopfzeile hat 2 Spalten."),
    ("wkt.csv", b"wkt\nPOINT (12 50\n", {}, "Zeile 2: „wkt“ enthält keine gültige WKT-Geometrie."),
]


@pytest.mark.parametrize(("filename", "content", "extras", "message"), BAD_FILES,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_FILES)])
def test_bad_file_is_refused_with_message_and_no_rows(ingest, filename, content, extras, message):
    resource = ingest(filename, content, **extras)
    assert resource.geo_ingest["status"] == "error"
    if message is None:  # the JSON parser's own detail follows a fixed German prefix
        assert resource.geo_ingest["error"].startswith("Die Datei „"), resource.geo_ingest
        assert "ist kein gültiges JSON" in resource.geo_ingest["error"]
    else:
        assert resource.geo_ingest == {"status": "error", "error": message}
    assert ResourceFeature.objects.count() == 0


def test_shapefile_without_prj_is_refused(ingest, tmp_path):
    content = zipped_shapefile(tmp_path, [shapely.Point(700000, 5640000)], {"n": ["a"]}, "EPSG:25833",
                               drop={".prj"})
    resource = ingest("gebiete.zip", content)
    assert resource.geo_ingest == {"status": "error", "error": (
        "Die Datei gibt kein Koordinatensystem an (einem Shapefile fehlt die .prj-Datei). Bitte den EPSG-Code im "
        "Ressourcenfeld „srid“ angeben, z. B. 25833.")}
    assert ResourceFeature.objects.count() == 0


def test_shapefile_without_prj_with_srid_field(ingest, tmp_path):
    x, y = TO_UTM.transform(LON, LAT)
    content = zipped_shapefile(tmp_path, [shapely.Point(x, y)], {"n": ["a"]}, "EPSG:25833", drop={".prj"})
    resource = ingest("gebiete.zip", content, srid=25833)
    assert resource.geo_ingest["source_srid"] == 25833
    assert distance_m(rows(resource)[0].geometry, LON, LAT) < 1.0


def test_shapefile_whose_cpg_does_not_match_is_refused(ingest, tmp_path):
    content = zipped_shapefile(tmp_path, [shapely.Point(12, 50)], {"name": ["Straße"]}, "EPSG:4326",
                               encoding="ISO-8859-1", cpg="UTF-8")
    resource = ingest("gebiete.zip", content)
    assert resource.geo_ingest == {"status": "error", "error": (
        "Objekt 1: ein Text ist nicht in der Kodierung UTF-8 gespeichert (passt die .cpg-Datei?).")}
    assert ResourceFeature.objects.count() == 0


def test_geopackage_with_two_layers_needs_the_layer_field(ingest, tmp_path):
    path = ogr_file(tmp_path, "zwei.gpkg", "GPKG", [shapely.Point(12, 50)], {"n": ["a"]}, "EPSG:4326")
    pyogrio.raw.write(str(path), geometry=np.array([shapely.to_wkb(shapely.Point(12.1, 50.1))], dtype=object),
                      field_data=[], fields=[], crs="EPSG:4326", geometry_type="Point", driver="GPKG",
                      layer="zweite")
    content = path.read_bytes()
    refused = ingest("zwei.gpkg", content)
    assert refused.geo_ingest == {"status": "error", "error": (
        "Die Datei enthält mehrere Ebenen (zwei, zweite); bitte eine im Ressourcenfeld „layer“ angeben.")}
    chosen = ingest("zwei.gpkg", content, layer="zweite")
    assert (chosen.geo_ingest["status"], chosen.geo_ingest["feature_count"]) == ("ok", 1)
    assert rows(chosen)[0].geometry.coords == (12.1, 50.1)


def test_zip_with_two_shapefiles_needs_the_layer_field(ingest, tmp_path):
    ogr_file(tmp_path, "nord.shp", "ESRI Shapefile", [shapely.Point(12, 50)], {"n": ["a"]}, "EPSG:4326")
    ogr_file(tmp_path, "sued.shp", "ESRI Shapefile", [shapely.Point(12.1, 50.1)], {"n": ["b"]}, "EPSG:4326")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in sorted(tmp_path.glob("*.*")):
            archive.write(part, part.name)
    refused = ingest("gebiete.zip", buffer.getvalue())
    assert refused.geo_ingest == {"status": "error", "error": (
        "Das ZIP-Archiv enthält mehrere Shapefiles (nord, sued); bitte eines im Ressourcenfeld „layer“ angeben.")}
    assert ResourceFeature.objects.count() == 0
    chosen = ingest("gebiete.zip", buffer.getvalue(), layer="sued")
    assert (chosen.geo_ingest["status"], chosen.geo_ingest["feature_count"]) == ("ok", 1)
    assert rows(chosen)[0].geometry.coords == (12.1, 50.1)


def test_a_bad_new_upload_removes_the_old_features(ingest, org, django_capture_on_commit_callbacks):
    resource = ingest("a.geojson", feature_collection([(point(12, 50), {})]))
    assert len(rows(resource)) == 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        resource_file_store(resource=resource, upload=SimpleUploadedFile("b.geojson", b""))
        resource.save()
    resource.refresh_from_db()
    assert resource.geo_ingest == {"status": "error", "error": "Die Datei ist leer."}
    assert ResourceFeature.objects.count() == 0


def test_stale_task_does_nothing(ingest):
    from opendata.geo.services import geo_ingest_run

    resource = ingest("a.geojson", feature_collection([(point(12, 50), {})]))
    assert geo_ingest_run(resource_id=resource.pk, upload_hash="0" * 64) == "stale"
    assert len(rows(resource)) == 1


# --- through the Action API and the admin ---------------------------------------------------

def test_resource_create_upload_ingests_and_update_to_link_drops_features(
        upload, editor_token, org, ckan, django_capture_on_commit_callbacks):
    dataset = DatasetFactory(owner_org=org)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload("resource_create", {"package_id": dataset.name, "name": "Baustellen"}, editor_token)
    assert response.status_code == 200, response.content
    resource = Resource.objects.get()
    assert (resource.geo_ingest["status"], resource.geo_ingest["feature_count"]) == ("ok", 1)
    assert rows(resource)[0].properties == {"name": "Baustelle"}
    with django_capture_on_commit_callbacks(execute=True):
        response = ckan("resource_update", {"id": str(resource.pk), "url": "https://example.org/x.csv"},
                        token=editor_token)
    assert response.status_code == 200, response.content
    resource.refresh_from_db()
    assert resource.geo_ingest == {}
    assert ResourceFeature.objects.count() == 0


def test_admin_upload_ingests_and_change_page_shows_preview(admin_client, org, django_capture_on_commit_callbacks):
    dataset = DatasetFactory(owner_org=org)
    content = feature_collection([(point(12.08, 50.88), {"name": "Straße <Süd>"})])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:opendata_resource_add"), {
            "package": dataset.pk, "name": "Baustellen", "position": "0", "extras": "{}",
            "upload": SimpleUploadedFile("baustellen.geojson", content, content_type="application/geo+json"),
        })
    assert response.status_code == 302, response.content.decode()[-3000:]
    resource = Resource.objects.get()
    assert resource.geo_ingest["status"] == "ok"
    page = admin_client.get(reverse("admin:opendata_resource_change", args=[resource.pk])).content.decode()
    assert "<dt>Geometrietyp</dt><dd>Point</dd>" in page
    assert "<td>Straße &lt;Süd&gt;</td>" in page  # attribute table, escaped
    assert 'id="resource-preview-map"' in page and "resource-preview-data" in page
    dataset_page = admin_client.get(reverse("admin:opendata_dataset_change", args=[dataset.pk])).content.decode()
    assert "<td>Straße &lt;Süd&gt;</td>" in dataset_page


def test_admin_shows_the_error(admin_client, ingest):
    resource = ingest("leer.geojson", b"")
    page = admin_client.get(reverse("admin:opendata_resource_change", args=[resource.pk])).content.decode()
    assert '<span role="alert">Die Datei ist leer.</span>' in page


# --- preview ---------------------------------------------------------------------------------

def test_preview_loads_from_our_host_only_and_limits_the_table(ingest, settings):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": ""}
    resource = ingest("viele.geojson", feature_collection(
        [(point(12 + i / 1000, 50.8), {"nr": i}) for i in range(60)]))
    assert len(resource_preview_map_data(resource=resource)["features"]) == 60
    fragment = resource_preview_html(resource=resource)
    assert "http://" not in fragment and "https://" not in fragment
    assert 'data-maplibre-url="/static/vendor/maplibre-gl/maplibre-gl.mjs"' in fragment
    assert fragment.count('<th scope="row">') == 50
    assert "Attribute der ersten 50 Geoobjekte" in fragment
    assert resource_preview_html(resource=Resource(package=Dataset(), geo_ingest={})) == ""


def test_features_are_indexed_by_postgis(ingest):
    resource = ingest("a.geojson", feature_collection([(point(12, 50), {})]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM opendata_resourcefeature WHERE resource_id = %s AND "
                       "geometry && ST_MakeEnvelope(11.9, 49.9, 12.1, 50.1, 4326)", [resource.pk])
        assert cursor.fetchone()[0] == 1


# --- hostile and huge files ------------------------------------------------------------------

def test_deeply_nested_json_fails_with_a_message_instead_of_staying_pending(ingest):
    content = b'{"type": "FeatureCollection", "features": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    resource = ingest("tief.geojson", content)
    assert resource.geo_ingest == {"status": "error", "error": (
        "Die Datei ist tiefer als 64 Ebenen verschachtelt und damit kein gültiges GeoJSON.")}
    assert ResourceFeature.objects.count() == 0


def test_deeply_nested_json_error_in_english(ingest):
    with translation.override("en"):
        resource = ingest("tief.geojson", b'{"x": ' + b"[" * 65 + b"]" * 65 + b"}")
    assert resource.geo_ingest == {"status": "error", "error": (
        "The file is nested deeper than 64 levels and so is not valid GeoJSON.")}


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_coordinates_are_refused(ingest, number):
    content = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
               '"geometry": {"type": "Point", "coordinates": [' + number + ', 50.8]}}]}').encode()
    resource = ingest("nan.geojson", content)
    assert resource.geo_ingest["status"] == "error"
    error = resource.geo_ingest["error"]
    assert error.startswith(f"Die Datei „{Path(resource.upload.name).name}“ ist kein gültiges JSON: ")
    assert error.endswith("(NaN und Infinity sind in JSON keine Zahlen; fehlende Koordinaten bitte weglassen.)")
    assert ResourceFeature.objects.count() == 0


def test_coordinates_overflowing_to_infinity_are_refused(ingest):
    resource = ingest("gross.geojson", feature_collection([(point(1e999, 50.8), {})]).replace(b"Infinity", b"1e999"))
    assert resource.geo_ingest["status"] == "error"
    assert ResourceFeature.objects.count() == 0


def test_any_unexpected_reader_failure_ends_in_error_not_pending(ingest, monkeypatch, caplog):
    def explode(**kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("opendata.geo.services.geo_file_open", explode)
    resource = ingest("a.geojson", feature_collection([(point(12, 50), {})]))
    assert resource.geo_ingest == {"status": "error", "error": (
        "Die Datei konnte nicht eingelesen werden (unerwarteter Fehler beim Lesen). Bitte die Datei prüfen oder "
        "dem Datenportal-Team melden.")}
    assert "geo ingest of resource" in caplog.text and "RecursionError" in caplog.text


_MEMORY_PROBE = """
import json, os, resource, sys
import django
django.setup()
from opendata.geo.reading import geo_file_open

path, features = sys.argv[1], int(sys.argv[2])
with open(path, "w") as fh:  # LineStrings of 1000 vertices, about 24 kB each
    fh.write('{"type": "FeatureCollection", "features": [')
    for i in range(features):
        coords = ",".join("[%.7f,%.7f]" % (12 + j * 1e-5, 50.8 + i * 1e-6) for j in range(1000))
        fh.write(("," if i else "") + '{"type": "Feature", "properties": {"n": %d}, '
                 '"geometry": {"type": "LineString", "coordinates": [%s]}}' % (i, coords))
    fh.write("]}")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = sum(1 for _feature in geo_file_open(path=path, kind="geojson", srid=None, layer=None).features())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"count": count, "bytes": os.path.getsize(path), "growth_kib": peak - before}))
"""


def _read_in_subprocess(tmp_path, features: int) -> dict:
    """Peak RSS growth (KiB, ru_maxrss) of reading a generated GeoJSON in a fresh interpreter."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(settings_root())}
    completed = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(tmp_path / f"linien-{features}.geojson"), str(features)],
        capture_output=True, text=True, env=env, check=True, timeout=120)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def settings_root() -> Path:
    return Path(__file__).resolve().parents[2]


def test_reading_memory_does_not_grow_with_the_file(tmp_path):
    """A behaviour, not a timing: reading a file 8 times larger must not take (noticeably)
    more memory. Reading the whole file into Python objects (json.load) grows by several
    times the file's size: ~40 MB more for the small file, ~300 MB more for the large one."""
    small, large = _read_in_subprocess(tmp_path, 100), _read_in_subprocess(tmp_path, 800)
    assert (small["count"], large["count"]) == (100, 800)
    extra_bytes = large["bytes"] - small["bytes"]  # about 17 MB
    extra_memory = (large["growth_kib"] - small["growth_kib"]) * 1024
    assert extra_memory < extra_bytes / 4, (small, large)
