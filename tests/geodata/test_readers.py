"""geodata.readers, the GDAL building blocks shared by the layer importer and the open-data
ingest, called directly (their use inside `layer_file_read` is tested in test_importers.py)."""
import json
import zipfile

import pytest
from django.contrib.gis.gdal import DataSource, SpatialReference
from django.contrib.gis.gdal.srs import AxisOrder

from geodata.errors import CorruptFile, InvalidOption, UnknownCRS, UnknownSourceLayer, UnsupportedFormat
from geodata.readers import (
    TARGET_SRID,
    declared_crs_check,
    gdal_path_resolve,
    geojson_crs_read,
    ogr_field_is_boolean,
    ogr_field_value,
    srs_epsg_identify,
    srs_from_epsg,
)


def test_srs_from_epsg_is_traditional_axis_order():
    srs = srs_from_epsg(25833)
    assert srs.srid == 25833
    assert srs.axis_order == AxisOrder.TRADITIONAL


@pytest.mark.parametrize("srid", [True, 0, -4326, "25833", 4326.0])
def test_srs_from_epsg_takes_only_positive_integers(srid):
    with pytest.raises(InvalidOption, match="--srid erwartet einen ganzzahligen EPSG-Code, z. B. 25833."):
        srs_from_epsg(srid)


def test_srs_from_epsg_unknown_code():
    with pytest.raises(UnknownCRS, match="EPSG:999999 ist GDAL nicht bekannt."):
        srs_from_epsg(999999)


def test_srs_epsg_identify(tmp_path):
    assert srs_epsg_identify(SpatialReference(25833)) == 25833
    path = tmp_path / "ohne-crs.geojson"  # RFC 7946: OGC:CRS84
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [12.08, 50.88]}}]}))
    assert srs_epsg_identify(DataSource(str(path))[0].srs) == TARGET_SRID
    assert srs_epsg_identify(SpatialReference('LOCAL_CS["Werkplan",UNIT["metre",1]]')) is None


def test_geojson_crs_read(tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
    path = tmp_path / "a.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [], "crs": crs}), encoding="utf-8")
    assert geojson_crs_read(file_path=path) == crs
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    assert geojson_crs_read(file_path=path) is None
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CorruptFile, match="Die Datei „a.geojson“ ist kein GeoJSON-Objekt."):
        geojson_crs_read(file_path=path)
    path.write_text('{"type": "Feat', encoding="utf-8")
    with pytest.raises(CorruptFile, match="Die Datei „a.geojson“ ist kein gültiges JSON: "):
        geojson_crs_read(file_path=path)


def test_declared_crs_check(tmp_path):
    path = tmp_path / "a.geojson"
    declared = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
    declared_crs_check(declared=declared, source_srid=25833, file_path=path)
    declared_crs_check(declared=None, source_srid=4326, file_path=path)
    declared_crs_check(declared={"properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}, source_srid=4326,
                       file_path=path)
    # GDAL fell back to WGS 84 for a declaration it did not understand.
    with pytest.raises(UnknownCRS, match="Das Koordinatensystem „urn:ogc:def:crs:EPSG::25833“ in „a.geojson“ "
                                         "ist unbekannt. Bitte den EPSG-Code mit --srid angeben."):
        declared_crs_check(declared=declared, source_srid=4326, file_path=path)


def test_gdal_path_resolve(tmp_path):
    plain = tmp_path / "a.gpkg"
    assert gdal_path_resolve(file_path=plain, suffix=".gpkg", source_layer="x") == (str(plain), "x", None)
    archive = tmp_path / "zwei.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("nord.shp", "sued.shp", "__MACOSX/nord.shp", "liesmich.txt"):
            zf.writestr(name, b"")
    with pytest.raises(UnknownSourceLayer, match=r"mehrere Shapefiles \(nord, sued\)"):
        gdal_path_resolve(file_path=archive, suffix=".zip", source_layer=None)
    with pytest.raises(UnknownSourceLayer, match="Ebene „west“ nicht gefunden; vorhanden: nord, sued."):
        gdal_path_resolve(file_path=archive, suffix=".zip", source_layer="west")
    assert gdal_path_resolve(file_path=archive, suffix=".zip", source_layer="sued") == (
        f"/vsizip/{archive}/sued.shp", None, "zwei.zip:sued")
    empty = tmp_path / "leer.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("liesmich.txt", b"")
    with pytest.raises(UnsupportedFormat, match="Das ZIP-Archiv „leer.zip“ enthält kein Shapefile"):
        gdal_path_resolve(file_path=empty, suffix=".zip", source_layer=None)


def test_ogr_field_values_are_json_safe(tmp_path):
    path = tmp_path / "werte.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [12.08, 50.88]},
        "properties": {"gesperrt": True, "nr": 7, "laenge": 1.5, "seit": "2024-03-05T10:30:00+01:00",
                       "name": "Süd", "leer": None},
    }]}), encoding="utf-8")
    feature = next(iter(DataSource(str(path))[0]))
    values = {name: ogr_field_value(feature[name]) for name in feature.fields}
    assert values == {"gesperrt": True, "nr": 7, "laenge": 1.5, "seit": "2024-03-05T10:30:00+01:00",
                      "name": "Süd", "leer": None}
    assert [ogr_field_is_boolean(feature[name]) for name in ("gesperrt", "nr")] == [True, False]
