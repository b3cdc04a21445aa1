"""`manage.py import_addresses`: official house coordinates (HK-DE) and OpenStreetMap addresses,
all or nothing, idempotent, with a German message per bad row."""
import io
import json

import numpy as np
import pyogrio.raw
import pytest
import shapely
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.core.management.base import CommandError
from pyproj import Transformer

from geodata.models import Address
from tests.factories import city_build

pytestmark = pytest.mark.django_db

TO_UTM32 = Transformer.from_crs(4326, 25832, always_xy=True)
TO_UTM33 = Transformer.from_crs(4326, 25833, always_xy=True)


def hk_line(street, number, lon, lat, *, suffix="", postcode="07545", nba="", zone=32, district="Innenstadt",
            zone_in_easting=True):
    """One HK-DE record (18 columns, ;-separated, decimal comma) for a WGS 84 point."""
    easting, northing = (TO_UTM32 if zone == 32 else TO_UTM33).transform(lon, lat)
    east = (f"{zone}{easting:010.3f}" if zone_in_easting else f"{easting:.3f}").replace(".", ",")
    return ";".join([nba, "DETH000000000001", "A", "16", "0", "52", "000", "0001", "00001", str(number), suffix,
                     east, f"{northing:.3f}".replace(".", ","), street, postcode, "Gera", "", district])


def run(path, *args):
    out = io.StringIO()
    call_command("import_addresses", str(path), *args, stdout=out)
    return out.getvalue()


def write(tmp_path, name, lines, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def addresses():
    return {(a.street, a.house_number, a.postcode): (round(a.point.x, 6), round(a.point.y, 6), a.city, a.district)
            for a in Address.objects.all()}


def test_hk_de_import_creates_updates_deletes_and_is_idempotent(tmp_path):
    path = write(tmp_path, "hk.csv", [
        hk_line("Rathausstraße", 5, 12.0812, 50.8791),
        hk_line("Rathausstraße", 5, 12.0813, 50.8792, suffix="a"),
        hk_line("Sorge", 12, 12.0849, 50.8772, zone=33, district="Zentrum"),
    ])
    output = run(path)
    assert "  3/3 gelesen" in output  # progress
    assert "Adressen: 3 neu, 0 aktualisiert, 0 unverändert." in output
    assert addresses() == {
        ("Rathausstraße", "5", "07545"): (12.0812, 50.8791, "Gera", "Innenstadt"),
        ("Rathausstraße", "5a", "07545"): (12.0813, 50.8792, "Gera", "Innenstadt"),
        ("Sorge", "12", "07545"): (12.0849, 50.8772, "Gera", "Zentrum"),
    }
    assert set(Address.objects.values_list("source", flat=True)) == {"hk-de"}
    assert "Adressen: 0 neu, 0 aktualisiert, 3 unverändert." in run(path)  # idempotent

    moved = write(tmp_path, "hk2.csv", [
        hk_line("Rathausstraße", 5, 12.0815, 50.8791),
        hk_line("Rathausstraße", 5, 12.0813, 50.8792, suffix="a", nba="L"),  # NBA "L": deleted
        hk_line("Rathausstraße", 7, 12.0816, 50.8791),
    ])
    assert "Adressen: 1 neu, 1 aktualisiert, 0 unverändert, 1 gelöscht." in run(moved)
    assert set(addresses()) == {("Rathausstraße", "5", "07545"), ("Rathausstraße", "7", "07545"),
                                ("Sorge", "12", "07545")}
    assert addresses()[("Rathausstraße", "5", "07545")][0] == 12.0815


def test_hk_de_with_header_latin1_and_eastings_without_zone(tmp_path):
    header = "NBA;OI;QUA;LAN;RBZ;KRS;GMD;OTT;SSS;HNR;ADZ;EEEEEEEE_EEE;NNNNNNN_NNN;STN;PLZ;ONM;ZON;POT"
    path = write(tmp_path, "hk.txt", [header, "# Kommentar",
                                      hk_line("Schloßstraße", 3, 12.0815, 50.881, zone_in_easting=False)],
                 encoding="iso-8859-1")
    with pytest.raises(CommandError) as error:
        run(path)
    assert "Zeile 3: Ostwert" in str(error.value) and "--utm-zone" in str(error.value)
    run(path, "--utm-zone", "32")
    assert addresses() == {("Schloßstraße", "3", "07545"): (12.0815, 50.881, "Gera", "Innenstadt")}


@pytest.mark.parametrize("bad_line, message", [
    (hk_line("Rathausstraße", "5x", 12.08, 50.88), "Zeile 2: Hausnummer (HNR) „5x“ ist keine Zahl."),
    (hk_line("", 9, 12.08, 50.88), "Zeile 2: Straßenname (STN) fehlt."),
    (hk_line("Sorge", 9, 12.08, 50.88, postcode="7545"), "Zeile 2: Postleitzahl (PLZ) „7545“ hat nicht fünf Ziffern."),
    (hk_line("Sorge", 9, 12.08, 50.88).replace(";5641", ";1641"),
     "Zeile 2: Nordwert „1641000,446“ liegt nicht in Deutschland"),
    ("a;b;c", "Zeile 2: 3 Spalten statt 18"),
    (hk_line("Rathausstraße", 5, 12.0812, 50.8791), "Zeile 2: Rathausstraße 5 07545 kommt schon in Zeile 1 vor."),
])
def test_hk_de_bad_row_writes_nothing_and_names_the_line(tmp_path, bad_line, message):
    path = write(tmp_path, "hk.csv", [hk_line("Rathausstraße", 5, 12.0812, 50.8791), bad_line,
                                      hk_line("Sorge", 12, 12.0849, 50.8772)])
    with pytest.raises(CommandError) as error:
        run(path)
    assert str(error.value).startswith("Import abgebrochen, nichts geschrieben: 1 Fehler in hk.csv:")
    assert message in str(error.value)
    assert not Address.objects.exists()


def test_refuses_unknown_format_missing_file_and_addresses_outside_the_city(tmp_path):
    with pytest.raises(CommandError, match="Dateiformat „.xlsx“ wird nicht unterstützt"):
        run(write(tmp_path, "a.xlsx", ["x"]))
    with pytest.raises(CommandError, match="gibt es nicht"):
        run(tmp_path / "fehlt.csv")
    city_build()  # boundary 12.00–12.10 / 50.85–50.90
    path = write(tmp_path, "hk.csv", [hk_line("Sorge", 1, 12.05, 50.87), hk_line("Fernweg", 2, 13.0, 50.87)])
    with pytest.raises(CommandError) as error:
        run(path)
    assert "1 Adresse liegt außerhalb der Stadt" in str(error.value)
    assert "Zeile 2: Fernweg 2" in str(error.value)
    assert not Address.objects.exists()


def geojson(features):
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geometry} for props, geometry in features]})


def test_osm_geojson_points_and_building_polygons(tmp_path):
    path = tmp_path / "osm.geojson"
    path.write_text(geojson([
        ({"addr:street": "Rathausstraße", "addr:housenumber": "5a", "addr:postcode": "07545", "addr:city": "Gera"},
         {"type": "Point", "coordinates": [12.0812, 50.8791]}),
        ({"building": "yes", "addr:street": "Sorge", "addr:housenumber": "3;5"},
         {"type": "Polygon", "coordinates": [[[12.0840, 50.8770], [12.0844, 50.8770], [12.0844, 50.8773],
                                              [12.0840, 50.8773], [12.0840, 50.8770]]]}),
        ({"amenity": "bench"}, {"type": "Point", "coordinates": [12.08, 50.88]}),  # not an address
    ]), encoding="utf-8")
    output = run(path)
    assert "Adressen: 3 neu, 0 aktualisiert, 0 unverändert, 1 Objekte ohne Adresse übersprungen." in output
    found = addresses()
    assert found[("Rathausstraße", "5a", "07545")] == (12.0812, 50.8791, "Gera", "")
    lon, lat = found[("Sorge", "3", "")][:2]
    assert 12.0840 < lon < 12.0844 and 50.8770 < lat < 50.8773  # a point inside the building
    assert ("Sorge", "5", "") in found
    assert set(Address.objects.values_list("source", flat=True)) == {"osm"}
    assert "0 neu, 0 aktualisiert, 3 unverändert" in run(path)


def test_osm_bad_house_number_writes_nothing(tmp_path):
    path = tmp_path / "osm.geojson"
    path.write_text(geojson([
        ({"addr:street": "Sorge", "addr:housenumber": "1"}, {"type": "Point", "coordinates": [12.08, 50.88]}),
        ({"addr:street": "Sorge", "addr:housenumber": "hinten"}, {"type": "Point", "coordinates": [12.08, 50.88]}),
    ]), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(path)
    assert "Objekt 2: Hausnummer „hinten“ ist keine Hausnummer" in str(error.value)
    assert not Address.objects.exists()


def test_osm_geopackage_with_other_tags_in_utm(tmp_path):
    """A GPKG as ogr2ogr writes it from an OSM extract: tags in `other_tags`, here in EPSG:25832."""
    x, y = TO_UTM32.transform(12.0812, 50.8791)
    path = tmp_path / "osm.gpkg"
    pyogrio.raw.write(
        path, geometry=np.array([shapely.to_wkb(shapely.Point(x, y))], dtype=object),
        field_data=[np.array(['"addr:street"=>"Rathausstraße","addr:housenumber"=>"5","addr:postcode"=>"07545"'],
                             dtype=object)],
        fields=["other_tags"], geometry_type="Point", crs="EPSG:25832", driver="GPKG", layer="points")
    run(path)
    assert addresses() == {("Rathausstraße", "5", "07545"): (12.0812, 50.8791, "", "")}


def test_osm_xml_extract_through_gdal_osm_driver(tmp_path):
    """.osm and .osm.pbf are read by GDAL's OSM driver (points and multipolygons layers)."""
    path = tmp_path / "extract.osm"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" version="1" lat="50.8791" lon="12.0812">
    <tag k="addr:street" v="Rathausstraße"/><tag k="addr:housenumber" v="7"/><tag k="addr:postcode" v="07545"/>
  </node>
  <node id="2" version="1" lat="50.8770" lon="12.0840"/>
  <node id="3" version="1" lat="50.8770" lon="12.0844"/>
  <node id="4" version="1" lat="50.8773" lon="12.0844"/>
  <node id="5" version="1" lat="50.8773" lon="12.0840"/>
  <way id="10" version="1">
    <nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="5"/><nd ref="2"/>
    <tag k="building" v="yes"/><tag k="addr:street" v="Sorge"/><tag k="addr:housenumber" v="9"/>
  </way>
</osm>
""", encoding="utf-8")
    run(path)
    found = addresses()
    assert found[("Rathausstraße", "7", "07545")][:2] == (12.0812, 50.8791)
    lon, lat = found[("Sorge", "9", "")][:2]
    assert 12.0840 < lon < 12.0844 and 50.8770 < lat < 50.8773


def test_load_demo_imports_the_demo_house_coordinates_inside_the_city_idempotently():
    from geodata.models import JurisdictionArea
    from geodata.selectors import address_nearest, place_resolve

    call_command("load_demo", "--reports", "0", stdout=io.StringIO())
    count = Address.objects.count()
    call_command("load_demo", "--reports", "0", stdout=io.StringIO())
    assert Address.objects.count() == count > 500
    assert set(Address.objects.values_list("is_demo", "source").distinct()) == {(True, "hk-de")}
    boundary = JurisdictionArea.objects.get(layer__slug="stadtgrenze").geom
    assert all(boundary.covers(a.point) for a in Address.objects.all())
    markt = place_resolve(q="Markt 1").place
    assert markt.label == "Markt 1, 07545 Gera"
    assert address_nearest(point=markt.point).address == markt
    assert place_resolve(q="Rathausstraße 5").place is None  # not in the demo city: asked, never substituted


def test_admin_lists_addresses(admin_client):
    Address.objects.create(street="Sorge", number=3, suffix="a", postcode="07545", city="Gera", source="hk-de",
                           point=Point(12.08, 50.88, srid=4326))
    response = admin_client.get("/admin/geodata/address/?q=Sorge")
    assert response.status_code == 200
    assert "3a" in response.content.decode() and "12.080000, 50.880000" in response.content.decode()
    assert admin_client.get("/admin/geodata/address/add/").status_code == 403
