"""`manage.py import_layer`: output, progress, repairs and error exits."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from geodata.models import JurisdictionArea, JurisdictionLayer
from tests.factories import AreaFactory, LayerFactory
from tests.geodata.test_importers import (
    GERA_RING,
    assert_nothing_written,
    feature,
    geojson_write,
    gera_25833,
    max_vertex_error_m,
    polygon,
    shapefile_zip,
)


def import_layer(*args: str) -> str:
    out = StringIO()
    call_command("import_layer", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_prints_progress_and_summary(tmp_path):
    path = shapefile_zip(gera_25833(tmp_path), tmp_path)

    output = import_layer(path, "--layer", "stadtteile", "--name", "Stadtteile", "--role", "district",
                          "--code-field", "ags")

    assert output.splitlines() == [
        "  1/1 Objekte geprüft",
        "Ebene „stadtteile“ (Stadtteile): 1 Gebiete importiert, 0 repariert, Quelle gebiete.zip (EPSG:25833).",
    ]
    area = JurisdictionArea.objects.select_related("layer").get()
    assert (area.layer.name, area.layer.role, area.name, area.code) == ("Stadtteile", "district", "Gera-Mitte",
                                                                         "16052000")
    assert max_vertex_error_m(area.geom, GERA_RING) < 1.0


@pytest.mark.django_db
def test_progress_every_hundred_features(tmp_path):
    features = [
        feature(polygon([(lon + (i % 20) * 0.02, lat + (i // 20) * 0.02) for lon, lat in GERA_RING]), name=f"Z{i}")
        for i in range(250)
    ]
    path = geojson_write(tmp_path / "raster.geojson", features)

    output = import_layer(path, "--layer", "raster")

    assert output.splitlines()[:3] == ["  100/250 Objekte geprüft", "  200/250 Objekte geprüft",
                                       "  250/250 Objekte geprüft"]
    assert JurisdictionArea.objects.count() == 250


@pytest.mark.django_db
def test_repaired_geometries_are_listed(tmp_path):
    bow_tie = [(12.07, 50.87), (12.09, 50.89), (12.09, 50.87), (12.07, 50.89), (12.07, 50.87)]
    path = geojson_write(tmp_path / "s.geojson", [feature(polygon(bow_tie), name="Schleife")])

    output = import_layer(path, "--layer", "s")

    assert "Objekt 1 „Schleife“: ungültige Geometrie repariert (Self-intersection[12.08 50.88" in output
    assert output.rstrip().endswith("1 Gebiete importiert, 1 repariert, Quelle s.geojson (EPSG:4326).")


@pytest.mark.django_db
def test_srid_and_source_layer_options(tmp_path):
    path = shapefile_zip(gera_25833(tmp_path), tmp_path, stem="ohne-prj", keep_prj=False)

    with pytest.raises(CommandError, match="kein Koordinatensystem an. Bitte den EPSG-Code mit --srid"):
        import_layer(path, "--layer", "g")
    output = import_layer(path, "--layer", "g", "--srid", "25833", "--source-layer", "ohne-prj")

    assert "Quelle ohne-prj.zip (EPSG:25833)" in output
    assert max_vertex_error_m(JurisdictionArea.objects.get().geom, GERA_RING) < 1.0


@pytest.mark.django_db
def test_error_exits_non_zero_and_writes_nothing(tmp_path):
    path = geojson_write(tmp_path / "punkte.geojson", [feature({"type": "Point", "coordinates": [12.08, 50.88]},
                                                               name="Haltestelle")])

    with pytest.raises(CommandError) as excinfo:
        import_layer(path, "--layer", "g")

    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == (
        "Import abgebrochen, nichts geschrieben: Objekt 1 „Haltestelle“ hat den Geometrietyp Point; "
        "erlaubt sind nur Polygon und MultiPolygon."
    )
    assert_nothing_written()


@pytest.mark.django_db
def test_missing_field_and_corrupt_file_exit_with_message(tmp_path):
    with pytest.raises(CommandError, match="Das Feld „Bezirk“ \\(--name-field\\) fehlt in der Datei"):
        import_layer(gera_25833(tmp_path), "--layer", "g", "--name-field", "Bezirk")
    broken = tmp_path / "kaputt.zip"
    broken.write_bytes(b"PK\x03\x04 abgeschnitten")
    with pytest.raises(CommandError, match="„kaputt.zip“ ist kein lesbares ZIP-Archiv"):
        import_layer(broken, "--layer", "g")
    assert_nothing_written()


@pytest.mark.django_db
def test_invalid_role_and_srid_are_rejected_by_the_parser(tmp_path):
    with pytest.raises(CommandError, match="argument --role: invalid choice: 'bezirk'"):
        import_layer(gera_25833(tmp_path), "--layer", "g", "--role", "bezirk")
    with pytest.raises(CommandError, match="argument --srid: invalid int value: 'EPSG:25833'"):
        import_layer(gera_25833(tmp_path), "--layer", "g", "--srid", "EPSG:25833")
    assert_nothing_written()


@pytest.mark.django_db
def test_existing_layer_needs_replace(tmp_path):
    layer = LayerFactory(slug="stadtteile", name="Stadtteile", role=JurisdictionLayer.Role.DISTRICT)
    old = AreaFactory(layer=layer, name="Altstadt")

    with pytest.raises(CommandError, match="Die Ebene „stadtteile“ existiert bereits; .* --replace angeben"):
        import_layer(gera_25833(tmp_path), "--layer", "stadtteile")
    assert list(JurisdictionArea.objects.all()) == [old]

    output = import_layer(gera_25833(tmp_path), "--layer", "stadtteile", "--replace")

    assert "1 Gebiete importiert, 1 alte ersetzt, 0 repariert" in output
    assert list(layer.areas.values_list("name", flat=True)) == ["Gera-Mitte"]
    assert JurisdictionLayer.objects.get().pk == layer.pk


@pytest.mark.django_db
def test_replace_with_broken_file_keeps_old_areas(tmp_path):
    layer = LayerFactory(slug="stadtteile")
    old = AreaFactory(layer=layer, name="Altstadt")
    path = geojson_write(tmp_path / "leer.geojson", [])

    with pytest.raises(CommandError, match="Die Ebene „leer“ enthält keine Objekte"):
        import_layer(path, "--layer", "stadtteile", "--replace")

    assert list(JurisdictionArea.objects.all()) == [old]
