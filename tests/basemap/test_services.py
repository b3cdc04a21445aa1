"""basemap.services.basemap_import and `manage.py import_basemap`: rows per layer, names, all or nothing."""
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from basemap.errors import LayersMissing, NothingImported, SourceMissing, SourceUnreadable, UnknownFormat
from basemap.models import BasemapImport, Building, GreenArea, PlaceLabel, Railway, Road, WaterArea, WaterLine
from basemap.services import OSM_ATTRIBUTION, basemap_import

from .conftest import gpkg_write

pytestmark = pytest.mark.django_db


def _counts():
    return {m.__name__: m.objects.count() for m in (Road, Railway, Building, WaterArea, WaterLine, GreenArea,
                                                    PlaceLabel)}


def test_osm_extract_rows_per_layer_and_names(osm_file):
    version = basemap_import(path=osm_file)
    assert _counts() == {"Road": 3, "Railway": 1, "Building": 1, "WaterArea": 0, "WaterLine": 1, "GreenArea": 1,
                         "PlaceLabel": 2}
    assert dict(Road.objects.values_list("name", "kind")) == {"Heinrichstraße": "primary", "Sorge": "residential",
                                                              "": "path"}
    assert set(PlaceLabel.objects.values_list("name", "kind")) == {("Gera", "city"), ("Innenstadt", "suburb")}
    assert GreenArea.objects.get().name == "Hofwiesenpark"
    assert WaterLine.objects.get().name == "Weiße Elster"
    assert Road.objects.first().geom.srid == 3857
    assert version.source_format == "osm.pbf" and version.attribution == OSM_ATTRIBUTION
    assert version.counts["roads"] == 3


def test_geopackage_rows_per_layer_names_kinds_and_crs(gpkg_file):
    basemap_import(path=gpkg_file)
    assert _counts() == {"Road": 3, "Railway": 0, "Building": 1, "WaterArea": 0, "WaterLine": 1, "GreenArea": 1,
                         "PlaceLabel": 2}
    assert set(Road.objects.values_list("name", "kind")) == {("Heinrichstraße", "primary"), ("Sorge", "path"),
                                                             ("", "residential")}
    assert set(PlaceLabel.objects.values_list("name", "kind")) == {("Gera", "city"), ("Untermhaus", "suburb")}
    # The roads layer was stored in EPSG:25833; after the import it sits where the places are.
    start = Road.objects.get(name="Heinrichstraße").geom.transform(4326, clone=True)[0][0]
    assert start == pytest.approx((12.0819, 50.8787), abs=1e-6)


def test_second_import_replaces_the_first(osm_file, gpkg_file):
    basemap_import(path=osm_file)
    basemap_import(path=gpkg_file)
    assert Railway.objects.count() == 0
    assert BasemapImport.objects.count() == 2


def test_broken_file_leaves_previous_basemap(osm_file, tmp_path):
    basemap_import(path=osm_file)
    before = _counts()
    broken = tmp_path / "kaputt.osm.pbf"
    broken.write_bytes(osm_file.read_bytes()[:60] + b"\x00garbage" * 20)
    with pytest.raises(SourceUnreadable, match="ist nicht lesbar"):
        basemap_import(path=broken)
    assert _counts() == before
    assert BasemapImport.objects.count() == 1


def test_broken_geopackage_and_wrong_layers_leave_previous_basemap(osm_file, tmp_path):
    basemap_import(path=osm_file)
    before = _counts()
    fake = tmp_path / "fake.gpkg"
    fake.write_text("kein GeoPackage")
    with pytest.raises(SourceUnreadable, match="ist kein GeoPackage"):
        basemap_import(path=fake)
    other = gpkg_write(tmp_path / "other.gpkg", {"flurstuecke": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [12.08, 50.88]}}]})
    with pytest.raises(LayersMissing) as excinfo:
        basemap_import(path=other)
    assert "Vorhanden: flurstuecke" in excinfo.value.message
    assert "roads: roads, strassen" in excinfo.value.message
    assert _counts() == before


def test_empty_extract_is_refused(tmp_path, osm_file):
    import osmium
    basemap_import(path=osm_file)
    empty = tmp_path / "leer.osm.pbf"
    osmium.SimpleWriter(str(empty)).close()
    with pytest.raises(NothingImported, match="enthält kein Objekt der Basiskarte"):
        basemap_import(path=empty)
    assert Road.objects.count() == 3


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(SourceMissing, match="gibt es nicht"):
        basemap_import(path=tmp_path / "fehlt.osm.pbf")
    shp = tmp_path / "karte.shp"
    shp.write_text("x")
    with pytest.raises(UnknownFormat, match=r"Unbekanntes Format „karte.shp“"):
        basemap_import(path=shp)
    with translation.override("en"), pytest.raises(UnknownFormat, match=r"Unknown format"):
        basemap_import(path=shp)


def test_command_progress_and_mapping(gpkg_file, tmp_path, capsys):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"roads": {"layers": ["roads"], "name": ["name"], "kind": ["kind"]}}))
    call_command("import_basemap", str(gpkg_file), "--mapping", str(mapping), "--attribution", "Stadt Gera")
    out = capsys.readouterr().out
    assert "Ebene roads (aus „roads“): 3 Objekte gelesen" in out
    assert "Basiskarte importiert: 3 Objekte aus „mini.gpkg“" in out
    assert _counts()["Building"] == 0
    assert BasemapImport.objects.get().attribution == "Stadt Gera"


def test_command_error_keeps_basemap(gpkg_file, tmp_path):
    call_command("import_basemap", str(gpkg_file))
    with pytest.raises(CommandError, match="Import abgebrochen, die bisherige Basiskarte bleibt: .*gibt es nicht"):
        call_command("import_basemap", str(tmp_path / "fehlt.gpkg"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"strassen": {"layers": ["x"]}}))
    with pytest.raises(CommandError, match="unbekannte Zielebene „strassen“"):
        call_command("import_basemap", str(gpkg_file), "--mapping", str(bad))
    assert Road.objects.count() == 3


def test_demo_basemap_imports_once(capsys):
    call_command("import_basemap", "demo/basemap_demo.gpkg", "--if-empty")
    counts = BasemapImport.objects.get().counts
    assert counts["roads"] == 17 and counts["buildings"] == 857 and counts["places"] == 21
    assert counts["green_areas"] == 4 and counts["water_areas"] == 1 and counts["railways"] == 1
    assert PlaceLabel.objects.filter(name="Gera", kind="city").exists()
    call_command("import_basemap", "demo/basemap_demo.gpkg", "--if-empty")
    assert "Basiskarte schon vorhanden, nichts importiert." in capsys.readouterr().out
    assert BasemapImport.objects.count() == 1
