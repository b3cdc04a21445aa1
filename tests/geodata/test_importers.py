"""Reading, validating and importing jurisdiction layers (geodata.importers, geodata.services).

Test files are built in tmp_path: GeoJSON by hand, Shapefile-ZIP and GeoPackage with the
ogr2ogr CLI. Positions are checked in metres on the WGS 84 ellipsoid (pyproj.Geod), never
in degrees.
"""
import json
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import shapely
import time_machine
from django.contrib.gis.geos import MultiPolygon, Point
from django.utils import timezone
from pyproj import Geod, Transformer

from geodata.errors import (
    CorruptFile,
    EmptyLayer,
    FileUnreadable,
    ImplausibleCoordinates,
    InvalidGeometry,
    InvalidOption,
    InvalidValue,
    LayerExists,
    MissingField,
    UnknownCRS,
    UnknownSourceLayer,
    UnsupportedFormat,
    WrongGeometryType,
)
from geodata.importers import layer_file_read
from geodata.models import JurisdictionArea, JurisdictionLayer
from geodata.selectors import area_at_point, layer_list
from geodata.services import layer_import
from routing_rules.models import RoutingRule
from tests.factories import AreaFactory, LayerFactory, RuleFactory, square

GEOD = Geod(ellps="WGS84")
# A district-sized square around Gera, WGS 84 (lon, lat); corners in counter-clockwise order.
GERA_RING = [(12.07, 50.87), (12.09, 50.87), (12.09, 50.89), (12.07, 50.89), (12.07, 50.87)]
CRS_25833 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}


# --- helpers (also used by test_import_layer_command.py) ----------------------------------------

def polygon(ring) -> dict:
    return {"type": "Polygon", "coordinates": [[list(c) for c in ring]]}


def feature(geometry: dict | None, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson_write(path: Path, features: list[dict], crs: dict | None = None) -> Path:
    """A GeoJSON FeatureCollection; without `crs` it is OGC:CRS84 (lon/lat)."""
    doc = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = crs
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def ring_project(ring, srid: int) -> list[tuple[float, float]]:
    """WGS 84 (lon, lat) -> EPSG:srid (easting, northing) with pyproj, x first."""
    transformer = Transformer.from_crs(4326, srid, always_xy=True)
    return [transformer.transform(lon, lat) for lon, lat in ring]


def ogr_convert(src: Path, dst: Path, driver: str, *args: str) -> Path:
    subprocess.run(["ogr2ogr", "-f", driver, *args, str(dst), str(src)], check=True, capture_output=True)
    return dst


def shapefile_zip(src: Path, tmp_path: Path, stem: str = "gebiete", keep_prj: bool = True) -> Path:
    """Convert `src` to a Shapefile and zip its parts as <stem>.zip."""
    out_dir = tmp_path / f"shp-{stem}"
    out_dir.mkdir()
    ogr_convert(src, out_dir / f"{stem}.shp", "ESRI Shapefile")
    archive = tmp_path / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in sorted(out_dir.iterdir()):
            if keep_prj or part.suffix != ".prj":
                zf.write(part, part.name)
    return archive


def gera_25833(tmp_path: Path, **properties) -> Path:
    """The Gera square projected to ETRS89 / UTM 33N, as GeoJSON declaring EPSG:25833."""
    properties = {"name": "Gera-Mitte", "ags": "16052000", **properties}
    ring = ring_project(GERA_RING, 25833)
    return geojson_write(tmp_path / "gera-25833.geojson", [feature(polygon(ring), **properties)], crs=CRS_25833)


def max_vertex_error_m(geom: MultiPolygon, true_ring) -> float:
    """Largest distance (metres, WGS 84 ellipsoid) from a true vertex to the nearest imported one."""
    imported = [pt for poly in geom for ring in poly for pt in ring]
    worst = 0.0
    for lon, lat in true_ring:
        best = min(GEOD.inv(lon, lat, x, y)[2] for x, y in imported)
        worst = max(worst, best)
    return worst


def area_m2(geom: MultiPolygon) -> float:
    """Area in square metres on the WGS 84 ellipsoid (lon/lat input)."""
    return abs(GEOD.geometry_area_perimeter(shapely.from_wkt(geom.wkt))[0])


def assert_nothing_written():
    assert JurisdictionLayer.objects.count() == 0
    assert JurisdictionArea.objects.count() == 0


# --- CRS and axis order -----------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["geojson", "zip", "gpkg"])
def test_import_from_25833_lands_within_one_metre(tmp_path, fmt):
    src = gera_25833(tmp_path)
    path = {
        "geojson": lambda: src,
        "zip": lambda: shapefile_zip(src, tmp_path),
        "gpkg": lambda: ogr_convert(src, tmp_path / "gera.gpkg", "GPKG"),
    }[fmt]()

    result = layer_import(path=path, layer_slug="stadtteile", layer_name="Stadtteile", role="district",
                          code_field="ags")

    assert result.created == 1 and result.repaired == []
    layer = JurisdictionLayer.objects.get(slug="stadtteile")
    assert (layer.name, layer.role, layer.source_srid, layer.source) == ("Stadtteile", "district", 25833, path.name)
    area = JurisdictionArea.objects.get(layer=layer)
    assert (area.name, area.code) == ("Gera-Mitte", "16052000")
    assert area.geom.srid == 4326
    assert max_vertex_error_m(area.geom, GERA_RING) < 1.0
    # x is the longitude: the centroid is at ~12.08 E, 50.88 N, not in the Indian Ocean.
    assert area.geom.centroid.x == pytest.approx(12.08, abs=1e-4)
    assert area.geom.centroid.y == pytest.approx(50.88, abs=1e-4)


@pytest.mark.django_db
@pytest.mark.parametrize("crs", [None, {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
                                 {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}])
def test_wgs84_geojson_keeps_lon_lat(tmp_path, crs):
    path = geojson_write(tmp_path / "gera.geojson", [feature(polygon(GERA_RING), name="Gera")], crs=crs)

    layer_import(path=path, layer_slug="gera")

    area = JurisdictionArea.objects.get()
    assert area.layer.source_srid == 4326
    assert max_vertex_error_m(area.geom, GERA_RING) < 0.01
    assert area_at_point(layer="gera", point=Point(12.08, 50.88, srid=4326)) == area
    assert area_at_point(layer=area.layer, point=Point(50.88, 12.08, srid=4326)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(("srid", "tolerance_m"), [(25832, 1.0), (25833, 1.0), (31468, 3.0)])
def test_srid_option_sets_crs_of_file_without_one(tmp_path, srid, tolerance_m):
    # Shapefile without .prj: only --srid says what the metres mean. DHDN (31468) goes through a
    # Helmert transformation whose choice may differ between pyproj and GDAL by a few decimetres.
    src = geojson_write(tmp_path / "g.geojson", [feature(polygon(ring_project(GERA_RING, srid)), name="G")],
                        crs={"type": "name", "properties": {"name": f"EPSG:{srid}"}})
    path = shapefile_zip(src, tmp_path, keep_prj=False)

    result = layer_import(path=path, layer_slug="g", srid=srid)

    assert result.layer.source_srid == srid
    assert max_vertex_error_m(JurisdictionArea.objects.get().geom, GERA_RING) < tolerance_m


@pytest.mark.django_db
def test_srid_option_overrides_declared_crs(tmp_path):
    ring = ring_project(GERA_RING, 25832)
    path = geojson_write(tmp_path / "falsch.geojson", [feature(polygon(ring), name="G")], crs=CRS_25833)

    layer_import(path=path, layer_slug="g", srid=25832)

    assert max_vertex_error_m(JurisdictionArea.objects.get().geom, GERA_RING) < 1.0


@pytest.mark.django_db
def test_file_without_crs_is_refused(tmp_path):
    path = shapefile_zip(gera_25833(tmp_path), tmp_path, keep_prj=False)

    with pytest.raises(UnknownCRS, match="gibt kein Koordinatensystem an. Bitte den EPSG-Code mit --srid angeben"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_unknown_declared_crs_is_refused(tmp_path):
    # GDAL itself would fall back to WGS 84 silently for an unknown GeoJSON crs.
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}
    path = geojson_write(tmp_path / "x.geojson", [feature(polygon(GERA_RING), name="G")], crs=crs)

    with pytest.raises(UnknownCRS, match=r"„urn:ogc:def:crs:EPSG::999999“ in „x.geojson“ ist unbekannt.*--srid"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_local_crs_is_not_transformable(tmp_path):
    path = shapefile_zip(gera_25833(tmp_path), tmp_path, keep_prj=False)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("gebiete.prj", 'LOCAL_CS["Baustelle",LOCAL_DATUM["x",0],UNIT["Meter",1],'
                                   'AXIS["X",EAST],AXIS["Y",NORTH]]')

    with pytest.raises(UnknownCRS, match="„Baustelle“ lässt sich nicht nach WGS 84 umrechnen.*--srid"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_unknown_epsg_code_is_refused(tmp_path):
    with pytest.raises(UnknownCRS, match="EPSG:999999 ist GDAL nicht bekannt"):
        layer_import(path=gera_25833(tmp_path), layer_slug="g", srid=999999)
    assert_nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize("srid", ["25833", "EPSG:25833", "+proj=longlat", 0, -1, True])
def test_srid_must_be_a_positive_integer(tmp_path, srid):
    with pytest.raises(InvalidOption, match="--srid erwartet einen ganzzahligen EPSG-Code"):
        layer_import(path=gera_25833(tmp_path), layer_slug="g", srid=srid)
    assert_nothing_written()


@pytest.mark.django_db
def test_metres_in_a_wgs84_file_are_implausible(tmp_path):
    ring = ring_project(GERA_RING, 25833)
    path = geojson_write(tmp_path / "ohne-crs.geojson", [feature(polygon(ring), name="Gera-Mitte")])

    with pytest.raises(ImplausibleCoordinates,
                       match="Objekt 1 „Gera-Mitte“ liegt nach der Umrechnung außerhalb.*--srid"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


# --- formats and file problems ----------------------------------------------------------------

@pytest.mark.django_db
def test_geopackage_with_several_layers_needs_source_layer(tmp_path):
    src = gera_25833(tmp_path)
    gpkg = ogr_convert(src, tmp_path / "ebenen.gpkg", "GPKG", "-nln", "stadtteile")
    other = geojson_write(tmp_path / "o.geojson", [feature(polygon(GERA_RING), name="Anderes")])
    ogr_convert(other, gpkg, "GPKG", "-update", "-nln", "parks")

    with pytest.raises(UnknownSourceLayer, match=r"mehrere Ebenen \(stadtteile, parks\).*--source-layer"):
        layer_import(path=gpkg, layer_slug="g")
    with pytest.raises(UnknownSourceLayer, match="Ebene „wald“ nicht gefunden; vorhanden: stadtteile, parks"):
        layer_import(path=gpkg, layer_slug="g", source_layer="wald")
    assert_nothing_written()

    result = layer_import(path=gpkg, layer_slug="parks", source_layer="parks")

    assert result.layer.source == "ebenen.gpkg:parks"
    assert list(JurisdictionArea.objects.values_list("name", flat=True)) == ["Anderes"]


@pytest.mark.django_db
def test_zip_with_several_shapefiles_needs_source_layer(tmp_path):
    first = shapefile_zip(gera_25833(tmp_path), tmp_path, stem="nord")
    second = shapefile_zip(geojson_write(tmp_path / "s.geojson", [feature(polygon(GERA_RING), name="Süd")]),
                           tmp_path, stem="sued")
    with zipfile.ZipFile(first, "a") as target, zipfile.ZipFile(second) as source:
        for name in source.namelist():
            target.writestr(f"daten/{name}", source.read(name))

    with pytest.raises(UnknownSourceLayer, match=r"mehrere Shapefiles \(nord, sued\)"):
        layer_import(path=first, layer_slug="g")
    result = layer_import(path=first, layer_slug="g", source_layer="sued")

    assert result.layer.source == "nord.zip:sued"
    assert JurisdictionArea.objects.get().name == "Süd"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["gebiete.kml", "gebiete.shp", "gebiete"])
def test_unsupported_format(tmp_path, name):
    path = tmp_path / name
    path.write_text("<kml/>")

    with pytest.raises(UnsupportedFormat, match="wird nicht unterstützt; erlaubt sind .geojson, .json, .zip, .gpkg"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_zip_without_shapefile(tmp_path):
    path = tmp_path / "leer.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("liesmich.txt", "nichts")

    with pytest.raises(UnsupportedFormat, match="„leer.zip“ enthält kein Shapefile"):
        layer_import(path=path, layer_slug="g")


@pytest.mark.django_db
def test_geojson_extension_with_other_format_is_refused(tmp_path):
    # A VRT can reference other files; GDAL would open it whatever its extension.
    path = tmp_path / "trojaner.json"
    path.write_text('<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/etc/passwd</SrcDataSource>'
                    "</OGRVRTLayer></OGRVRTDataSource>")

    with pytest.raises(CorruptFile, match="„trojaner.json“ ist kein gültiges JSON"):
        layer_import(path=path, layer_slug="g")


@pytest.mark.django_db
def test_missing_file(tmp_path):
    with pytest.raises(FileUnreadable, match="fehlt.geojson“ existiert nicht"):
        layer_import(path=tmp_path / "fehlt.geojson", layer_slug="g")


@pytest.mark.django_db
def test_directory_is_not_a_file(tmp_path):
    (tmp_path / "ordner.gpkg").mkdir()

    with pytest.raises(FileUnreadable, match="ordner.gpkg“ ist keine Datei"):
        layer_import(path=tmp_path / "ordner.gpkg", layer_slug="g")


@pytest.mark.django_db
def test_unreadable_file(tmp_path, monkeypatch):
    path = gera_25833(tmp_path)
    real_open = type(path).open

    def refuse(self, *args, **kwargs):
        # chmod 0 does not stop root (CI runs as root), so the OS refusal is simulated here.
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(path), "open", refuse)

    with pytest.raises(FileUnreadable, match="kann nicht gelesen werden"):
        layer_import(path=path, layer_slug="g")


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".geojson", ".json", ".zip", ".gpkg"])
def test_random_bytes_are_a_corrupt_file(tmp_path, suffix):
    path = tmp_path / f"kaputt{suffix}"
    path.write_bytes(bytes(range(256)) * 8)

    with pytest.raises(CorruptFile, match="„kaputt"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_truncated_geojson_is_a_corrupt_file(tmp_path):
    path = gera_25833(tmp_path)
    path.write_bytes(path.read_bytes()[:150])

    with pytest.raises(CorruptFile, match="„gera-25833.geojson“ ist kein gültiges JSON"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_truncated_geopackage_is_a_corrupt_file(tmp_path):
    path = ogr_convert(gera_25833(tmp_path), tmp_path / "g.gpkg", "GPKG")
    path.write_bytes(path.read_bytes()[:2048])

    with pytest.raises(CorruptFile, match="„g.gpkg“ ist beschädigt oder kein gültiges GPKG"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_empty_file_is_refused(tmp_path):
    path = geojson_write(tmp_path / "leer.geojson", [])

    with pytest.raises(EmptyLayer, match="Die Ebene „leer“ enthält keine Objekte"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_zero_byte_file_is_refused(tmp_path):
    path = tmp_path / "null.gpkg"
    path.write_bytes(b"")

    with pytest.raises(CorruptFile, match="„null.gpkg“ ist beschädigt"):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


# --- geometry ---------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("geometry", "type_name"), [
    ({"type": "Point", "coordinates": [12.08, 50.88]}, "Point"),
    ({"type": "LineString", "coordinates": [[12.07, 50.87], [12.09, 50.89]]}, "LineString"),
    ({"type": "MultiPoint", "coordinates": [[12.07, 50.87]]}, "MultiPoint"),
])
def test_wrong_geometry_type_is_refused(tmp_path, geometry, type_name):
    path = geojson_write(tmp_path / "gemischt.geojson", [
        feature(polygon(GERA_RING), name="Gut"),
        feature(geometry, name="Haltestelle"),
    ])

    with pytest.raises(WrongGeometryType) as excinfo:
        layer_import(path=path, layer_slug="g")
    assert str(excinfo.value) == (
        f"Objekt 2 „Haltestelle“ hat den Geometrietyp {type_name}; erlaubt sind nur Polygon und MultiPolygon."
    )
    assert_nothing_written()


@pytest.mark.django_db
def test_shapefile_of_lines_is_refused(tmp_path):
    src = geojson_write(tmp_path / "l.geojson", [
        feature({"type": "LineString", "coordinates": [[12.07, 50.87], [12.09, 50.89]]}, name="Straße")])

    with pytest.raises(WrongGeometryType, match="Objekt 1 „Straße“ hat den Geometrietyp LineString"):
        layer_import(path=shapefile_zip(src, tmp_path), layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_bow_tie_is_repaired_and_reported(tmp_path):
    # A bow-tie: the ring crosses itself at (12.08, 50.88).
    bow_tie = [(12.07, 50.87), (12.09, 50.89), (12.09, 50.87), (12.07, 50.89), (12.07, 50.87)]
    path = geojson_write(tmp_path / "schleife.geojson", [
        feature(polygon(GERA_RING), name="Gut"),
        feature(polygon(bow_tie), name="Schleife"),
    ])

    result = layer_import(path=path, layer_slug="g")

    assert result.created == 2
    assert len(result.repaired) == 1
    assert result.repaired[0].startswith(
        "Objekt 2 „Schleife“: ungültige Geometrie repariert (Self-intersection[12.08 50.88"
    )
    area = JurisdictionArea.objects.get(name="Schleife")
    assert area.geom.valid and len(area.geom) == 2  # two triangles meeting at the crossing
    # Area on the ellipsoid: two triangles are half the square.
    square_m2 = area_m2(JurisdictionArea.objects.get(name="Gut").geom)
    assert area_m2(area.geom) == pytest.approx(square_m2 / 2, rel=1e-3)


@pytest.mark.django_db
def test_collapsed_polygon_cannot_be_repaired(tmp_path):
    # Exactly collinear in binary floating point, so MakeValid can only return lines.
    flat = [(12.0, 50.5), (12.25, 50.75), (12.5, 51.0), (12.0, 50.5)]
    path = geojson_write(tmp_path / "flach.geojson", [feature(polygon(flat), name="Strich")])

    message = "Objekt 1 „Strich“: ungültige Geometrie .* lässt sich nicht zu einem Polygon reparieren"
    with pytest.raises(InvalidGeometry, match=message):
        layer_import(path=path, layer_slug="g")
    assert_nothing_written()


@pytest.mark.django_db
def test_polygon_z_becomes_2d_multipolygon(tmp_path):
    ring_z = [(lon, lat, 230.0) for lon, lat in GERA_RING]
    path = geojson_write(tmp_path / "z.geojson", [feature(polygon(ring_z), name="Z")])

    layer_import(path=path, layer_slug="g")

    geom = JurisdictionArea.objects.get().geom
    assert geom.geom_type == "MultiPolygon" and not geom.hasz


# --- attributes -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_attributes_are_json_safe_and_mapped_fields_excluded(tmp_path):
    path = geojson_write(tmp_path / "a.geojson", [feature(
        polygon(GERA_RING), bezeichnung="Gera-Mitte", nr=17, amt="Tiefbauamt", gueltig_ab="2024-01-05",
        geaendert="2024-03-01T10:00:00+01:00", aktiv=True, flaeche=1.5, bemerkung=None, abschnitt="Nord",
    )])

    layer_import(path=path, layer_slug="g", name_field="bezeichnung", code_field="nr", authority_field="amt")

    area = JurisdictionArea.objects.get()
    assert (area.name, area.code, area.authority) == ("Gera-Mitte", "17", "Tiefbauamt")
    assert area.attributes == {
        "gueltig_ab": "2024-01-05", "geaendert": "2024-03-01T10:00:00+01:00", "aktiv": True, "flaeche": 1.5,
        "bemerkung": None, "abschnitt": "Nord",
    }
    # Routing rules match with jsonb containment.
    assert JurisdictionArea.objects.filter(attributes__contains={"abschnitt": "Nord", "aktiv": True}).exists()


@pytest.mark.django_db
def test_shapefile_attributes_and_default_name(tmp_path):
    src = geojson_write(tmp_path / "s.geojson", [
        feature(polygon(GERA_RING), Name="Zentrum", datum="2024-01-05", zahl=3),
        feature(polygon(GERA_RING), Name=None, datum=None, zahl=None),
    ])

    layer_import(path=shapefile_zip(src, tmp_path), layer_slug="g")

    first, second = JurisdictionArea.objects.order_by("id")
    assert first.name == "Zentrum"  # "Name" is found case-insensitively
    assert first.attributes == {"datum": "2024-01-05", "zahl": 3}
    assert second.name == "Gebiet 2"
    assert second.attributes == {"datum": None, "zahl": None}


@pytest.mark.django_db
@pytest.mark.parametrize("option", ["name_field", "code_field", "authority_field"])
def test_missing_mapped_field_is_refused(tmp_path, option):
    with pytest.raises(MissingField) as excinfo:
        layer_import(path=gera_25833(tmp_path), layer_slug="g", **{option: "gibtsnicht"})
    assert str(excinfo.value) == (
        f"Das Feld „gibtsnicht“ (--{option.replace('_', '-')}) fehlt in der Datei; vorhandene Felder: name, ags."
    )
    assert_nothing_written()


@pytest.mark.django_db
def test_value_too_long_for_its_column(tmp_path):
    with pytest.raises(InvalidValue, match="Objekt 1: der Wert von „ags“ ist 101 Zeichen lang, erlaubt sind 100"):
        layer_import(path=gera_25833(tmp_path, ags="9" * 101), layer_slug="g", code_field="ags")
    assert_nothing_written()


# --- layer rows: create, exists, replace ------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(("kwargs", "message"), [
    ({"layer_slug": "mit leerzeichen"}, "kein gültiges Ebenen-Kürzel"),
    ({"layer_slug": "g", "role": "bezirk"}, "Unbekannte Rolle „bezirk“; erlaubt: boundary, neighbour, district, area"),
    ({"layer_slug": "g", "layer_name": ""}, "Der Ebenenname muss 1 bis 200 Zeichen lang sein"),
])
def test_invalid_options(tmp_path, kwargs, message):
    with pytest.raises(InvalidOption, match=message):
        layer_import(path=gera_25833(tmp_path), **kwargs)
    assert_nothing_written()


@pytest.mark.django_db
def test_existing_layer_without_replace_is_untouched(tmp_path):
    layer = LayerFactory(slug="stadtteile", name="Alt", role=JurisdictionLayer.Role.DISTRICT)
    old = AreaFactory(layer=layer, name="Altstadt")

    with pytest.raises(LayerExists, match="Die Ebene „stadtteile“ existiert bereits; zum Ersetzen .* --replace"):
        layer_import(path=gera_25833(tmp_path), layer_slug="stadtteile")

    layer.refresh_from_db()
    assert (layer.name, layer.imported_at, layer.source) == ("Alt", None, "")
    assert list(JurisdictionArea.objects.all()) == [old]


@pytest.mark.django_db
def test_replace_swaps_areas_and_keeps_layer_and_rules(tmp_path):
    layer = LayerFactory(slug="stadtteile", name="Stadtteile", role=JurisdictionLayer.Role.DISTRICT)
    AreaFactory(layer=layer, name="Altstadt")
    AreaFactory(layer=layer, name="Neustadt")
    other = AreaFactory(name="Anderswo")
    rule = RuleFactory(layer=layer)
    now = timezone.now() + timedelta(days=3)

    with time_machine.travel(now, tick=False):
        result = layer_import(path=gera_25833(tmp_path), layer_slug="stadtteile", replace=True)

    assert (result.created, result.deleted) == (1, 2)
    layer.refresh_from_db()
    assert (layer.name, layer.role, layer.source_srid, layer.imported_at) == ("Stadtteile", "district", 25833, now)
    assert list(layer.areas.values_list("name", flat=True)) == ["Gera-Mitte"]
    assert JurisdictionArea.objects.filter(pk=other.pk).exists()
    assert RoutingRule.objects.get(pk=rule.pk).layer_id == layer.pk


@pytest.mark.django_db
def test_replace_failing_while_writing_rolls_back(tmp_path, monkeypatch):
    layer = LayerFactory(slug="stadtteile", name="Stadtteile")
    old = AreaFactory(layer=layer, name="Altstadt")

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("Datenbank weg")

    monkeypatch.setattr(JurisdictionArea.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        layer_import(path=gera_25833(tmp_path), layer_slug="stadtteile", layer_name="Neu", replace=True)

    layer.refresh_from_db()
    assert (layer.name, layer.imported_at) == ("Stadtteile", None)
    assert list(JurisdictionArea.objects.all()) == [old]


@pytest.mark.django_db
def test_new_layer_failing_while_writing_leaves_no_layer_row(tmp_path, monkeypatch):
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("Datenbank weg")

    monkeypatch.setattr(JurisdictionArea.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        layer_import(path=gera_25833(tmp_path), layer_slug="neu")
    assert_nothing_written()


@pytest.mark.django_db
def test_progress_and_layer_file_read_write_nothing(tmp_path):
    calls = []
    features = [feature(polygon([(lon + i * 0.01, lat) for lon, lat in GERA_RING]), name=f"G{i}") for i in range(3)]
    path = geojson_write(tmp_path / "drei.geojson", features)

    layer_file = layer_file_read(path=path, progress=lambda done, total: calls.append((done, total)))

    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert [f.name for f in layer_file.features] == ["G0", "G1", "G2"]
    assert all(f.geom.srid == 4326 and f.geom.geom_type == "MultiPolygon" for f in layer_file.features)
    assert_nothing_written()


@pytest.mark.django_db
def test_layer_list_counts_areas():
    city_boundary = LayerFactory(slug="b-grenze", role=JurisdictionLayer.Role.BOUNDARY)
    AreaFactory(layer=city_boundary, geom=square(12.0, 50.85, 12.1, 50.9))
    LayerFactory(slug="a-leer")

    assert [(x.slug, x.area_count) for x in layer_list()] == [("a-leer", 0), ("b-grenze", 1)]
    assert [x.slug for x in layer_list(role="boundary")] == ["b-grenze"]
