"""Generated datasets (opendata.exports): the reports and one dataset per jurisdiction layer,
as GeoJSON, CSV and GeoPackage streamed from PostGIS.

Transactional: ogr2ogr reads the data over its own database connection, so the rows must be
committed (the fixture `eu_theme_groups` restores the EU theme groups of the data migration)."""
import csv
import hashlib
import io
import json
import re
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pyogrio
import pytest
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.test import Client

from config.celery import beat_schedule
from opendata.exports import services as export_services
from opendata.exports.services import exports_rebuild
from opendata.exports.sources import REPORT_COLUMNS
from opendata.exports.writers import ExportWriteError
from opendata.models import Dataset, Resource
from reporter.public import public_views_sync
from tests.factories import AreaFactory, LayerFactory, ReportFactory, square

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eu_theme_groups")]

CSV_HEADER = ["id", "category", "category_name", "status", "public_description", "created_at", "closed_at",
              "supporter_count", "department", "lon", "lat"]


@pytest.fixture
def reports(city):
    """Three visible reports (one approved with a public text) and one hidden one, with
    personal data that must never appear in an export."""
    approved = ReportFactory(category=city.category, location=Point(12.056789, 50.876543, srid=4326),
                             moderation="approved", public_description="Schlagloch Ecke Markt",
                             description="ORIGINALTEXT mit Telefonnummer", reporter_name="Erika Mustermann",
                             reporter_email="erika@example.org", reporter_phone="0365 123456", supporter_count=3)
    pending = ReportFactory(category=city.category, location=Point(12.01, 50.86, srid=4326), moderation="pending",
                            public_description="NOCH NICHT FREIGEGEBEN", description="ORIGINALTEXT zwei",
                            reporter_email="max@example.org", status="resolved",
                            closed_at=datetime(2024, 5, 2, 8, 30, tzinfo=UTC))
    other = ReportFactory(category=city.category, location=Point(12.09, 50.89, srid=4326), moderation="approved")
    hidden = ReportFactory(category=city.category, location=Point(12.05, 50.87, srid=4326), moderation="hidden",
                           public_description="VERBORGEN", reporter_email="hidden@example.org")
    return [approved, pending, other, hidden]


def resource_file(dataset_name: str, fmt: str) -> tuple[Resource, Path]:
    resource = Resource.objects.get(package__name=dataset_name, format=fmt)
    return resource, Path(resource.upload.path)


def test_rebuild_creates_the_datasets_with_dcat_metadata(reports, city, settings):
    settings.OPENDATA = {"CONTRIBUTOR_ID": "http://dcat-ap.de/def/contributors/stadtGera"}
    results = exports_rebuild()
    assert [(r.name, r.features, r.error) for r in results] == [
        ("meldungen", 3, ""), ("zustaendigkeit-nachbarn", 1, ""), ("zustaendigkeit-stadtgrenze", 1, "")]
    datasets = Dataset.objects.order_by("name")
    assert [d.name for d in datasets] == ["meldungen", "zustaendigkeit-nachbarn", "zustaendigkeit-stadtgrenze"]
    reports_ds = datasets[0]
    assert (reports_ds.owner_org.name, reports_ds.owner_org.title) == ("stadt", "Stadt Gera (Demo)")
    assert (reports_ds.license_id, reports_ds.frequency, reports_ds.private, reports_ds.state) == (
        "dl-by-de/2.0", "DAILY", False, "active")
    assert reports_ds.contributor_id == "http://dcat-ap.de/def/contributors/stadtGera"
    assert sorted(g.name for g in reports_ds.groups.all()) == ["gove", "tran"]
    assert sorted(g.name for g in datasets[2].groups.all()) == ["gove", "regi"]
    today = date.today()
    assert (reports_ds.temporal_start, reports_ds.temporal_end) == (today, today)
    x0, y0, x1, y1 = reports_ds.spatial.extent
    assert (round(x0, 3), round(y0, 3), round(x1, 3), round(y1, 3)) == (12.01, 50.86, 12.09, 50.89)
    assert datasets[2].spatial.extent == (12.0, 50.85, 12.1, 50.9)
    assert [(r.format, r.mimetype, r.url_type, r.position) for r in reports_ds.resources.order_by("position")] == [
        ("GeoJSON", "application/geo+json", "upload", 0), ("CSV", "text/csv", "upload", 1),
        ("GPKG", "application/geopackage+sqlite3", "upload", 2)]
    for resource in reports_ds.resources.all():
        data = Path(resource.upload.path).read_bytes()
        assert (resource.size, resource.hash) == (len(data), hashlib.sha256(data).hexdigest())
        suffix = {"GeoJSON": "geojson", "CSV": "csv", "GPKG": "gpkg"}[resource.format]
        assert resource.filename == f"meldungen.{suffix}"


def test_reports_csv_columns_rows_rounding_and_privacy(reports):
    approved, pending, other, _hidden = reports
    exports_rebuild(dataset_name="meldungen")
    _resource, path = resource_file("meldungen", "CSV")
    text = path.read_bytes().decode("utf-8")
    records = list(csv.reader(io.StringIO(text)))
    assert records[0] == CSV_HEADER
    assert [r[0] for r in records[1:]] == [str(approved.pk), str(pending.pk), str(other.pk)]
    row = dict(zip(CSV_HEADER, records[1], strict=True))
    assert (row["lon"], row["lat"]) == ("12.0568", "50.8765")
    assert (row["category"], row["category_name"], row["department"]) == ("schlagloch", "Schlagloch", "Tiefbauamt")
    assert (row["public_description"], row["supporter_count"], row["closed_at"]) == ("Schlagloch Ecke Markt", "3", "")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["created_at"])
    second = dict(zip(CSV_HEADER, records[2], strict=True))
    assert (second["public_description"], second["status"], second["closed_at"]) == (
        "", "resolved", "2024-05-02T08:30:00Z")
    for secret in ("Erika", "example.org", "0365", "ORIGINALTEXT", "NOCH NICHT", "VERBORGEN"):
        assert secret not in text


def test_reports_geojson_is_a_feature_collection_with_rounded_points(reports):
    approved, *_rest = reports
    exports_rebuild(dataset_name="meldungen")
    _resource, path = resource_file("meldungen", "GeoJSON")
    text = path.read_text("utf-8")
    data = json.loads(text)
    assert (data["type"], data["name"], len(data["features"])) == ("FeatureCollection", "meldungen", 3)
    first = data["features"][0]
    assert first["id"] == approved.pk
    assert first["geometry"] == {"type": "Point", "coordinates": [12.0568, 50.8765]}
    assert list(first["properties"]) == list(REPORT_COLUMNS)
    assert first["properties"]["public_description"] == "Schlagloch Ecke Markt"
    assert data["features"][1]["properties"]["public_description"] == ""
    for secret in ("Erika", "example.org", "0365", "ORIGINALTEXT", "NOCH NICHT", "VERBORGEN"):
        assert secret not in text


def test_reports_geopackage_is_readable_with_crs_and_count(reports):
    exports_rebuild(dataset_name="meldungen")
    _resource, path = resource_file("meldungen", "GPKG")
    info = pyogrio.read_info(path)
    assert (info["crs"], info["features"], info["geometry_type"]) == ("EPSG:4326", 3, "Point")
    assert list(info["fields"]) == list(REPORT_COLUMNS)
    assert pyogrio.list_layers(path).tolist() == [["meldungen", "Point"]]
    _meta, _fids, geometry, fields = pyogrio.raw.read(path, return_fids=True)
    assert fields[4].tolist() == ["Schlagloch Ecke Markt", "", ""]
    raw = path.read_bytes()
    for secret in (b"Erika", b"example.org", b"ORIGINALTEXT", b"VERBORGEN"):
        assert secret not in raw


def test_location_decimals_setting(reports, settings):
    original = settings.STADTMELDER
    settings.STADTMELDER = {**original, "PUBLIC_COORDINATE_DECIMALS": 2}
    try:
        assert "reporter_public_report" in public_views_sync()
        exports_rebuild(dataset_name="meldungen")
        _resource, path = resource_file("meldungen", "GeoJSON")
        assert json.loads(path.read_text())["features"][0]["geometry"]["coordinates"] == [12.06, 50.88]
    finally:
        # The views are DDL: a transactional test's flush keeps them, so put them back.
        settings.STADTMELDER = original
        public_views_sync()


def test_empty_reports_give_valid_empty_files(city):
    results = exports_rebuild(dataset_name="meldungen")
    assert results[0].features == 0
    _r, geojson = resource_file("meldungen", "GeoJSON")
    assert json.loads(geojson.read_text()) == {"type": "FeatureCollection", "name": "meldungen", "features": []}
    _r, csv_path = resource_file("meldungen", "CSV")
    assert csv_path.read_text().splitlines() == [",".join(CSV_HEADER)]
    # no reports: the extent is the city boundary's
    assert Dataset.objects.get(name="meldungen").spatial.extent == (12.0, 50.85, 12.1, 50.9)


def test_layer_dataset_files(city):
    layer = LayerFactory(slug="Bezirke", name="Bezirke")
    AreaFactory(layer=layer, name="Nord", code="N", attributes={"abschnitt": "Nord"},
                geom=square(12.0, 50.875, 12.1, 50.9))
    exports_rebuild(dataset_name="zustaendigkeit-bezirke")
    dataset = Dataset.objects.get(name="zustaendigkeit-bezirke")
    assert dataset.title == "Zuständigkeitsgebiete: Bezirke"
    _r, csv_path = resource_file(dataset.name, "CSV")
    header, row = list(csv.reader(io.StringIO(csv_path.read_text())))
    assert header == ["id", "name", "code", "authority", "attributes", "lon", "lat", "wkt"]
    assert row[1:5] == ["Nord", "N", "", '{"abschnitt": "Nord"}']
    assert row[7] == "MULTIPOLYGON(((12 50.875,12.1 50.875,12.1 50.9,12 50.9,12 50.875)))"
    _r, geojson = resource_file(dataset.name, "GeoJSON")
    feature = json.loads(geojson.read_text())["features"][0]
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["properties"]["attributes"] == {"abschnitt": "Nord"}
    _r, gpkg = resource_file(dataset.name, "GPKG")
    info = pyogrio.read_info(gpkg)
    assert (info["crs"], info["features"], info["geometry_type"]) == ("EPSG:4326", 1, "MultiPolygon")


def test_deleted_layer_retires_its_dataset(city):
    exports_rebuild()
    city.neighbours.delete()
    exports_rebuild()
    assert Dataset.objects.get(name="zustaendigkeit-nachbarn").state == "deleted"
    assert Dataset.objects.get(name="zustaendigkeit-stadtgrenze").state == "active"


def test_failed_rebuild_keeps_the_previous_files(reports, city, monkeypatch):
    exports_rebuild(dataset_name="meldungen")
    before = {r.format: (r.hash, r.last_modified, Path(r.upload.path).read_bytes())
              for r in Resource.objects.filter(package__name="meldungen")}
    modified = Dataset.objects.get(name="meldungen").metadata_modified
    ReportFactory(category=city.category, location=Point(12.02, 50.88, srid=4326))

    def broken(**kwargs):
        raise ExportWriteError("ogr2ogr ist fehlgeschlagen (Exit-Code 1): kaputt")

    monkeypatch.setattr(export_services, "gpkg_write", broken)
    [result] = exports_rebuild(dataset_name="meldungen")
    assert (result.ok, str(result)) == (False, "meldungen: FEHLER – ogr2ogr ist fehlgeschlagen (Exit-Code 1): kaputt")
    after = {r.format: (r.hash, r.last_modified, Path(r.upload.path).read_bytes())
             for r in Resource.objects.filter(package__name="meldungen")}
    assert after == before
    assert Dataset.objects.get(name="meldungen").metadata_modified == modified
    leftovers = [p.name for p in Path(Resource.objects.first().upload.path).parents[2].iterdir()]
    assert not [name for name in leftovers if name.startswith(".export-")]


def test_unchanged_rebuild_keeps_last_modified(reports):
    exports_rebuild(dataset_name="meldungen")
    first = {r.format: r.last_modified for r in Resource.objects.filter(package__name="meldungen")}
    [result] = exports_rebuild(dataset_name="meldungen")
    # GeoJSON and CSV are byte-identical; a GeoPackage records its own write time.
    assert (result.files["GeoJSON"][1], result.files["CSV"][1]) == (False, False)
    after = {r.format: r.last_modified for r in Resource.objects.filter(package__name="meldungen")}
    assert after["GeoJSON"] == first["GeoJSON"] and after["CSV"] == first["CSV"]


def test_files_are_served_by_the_download_view_and_the_ckan_api(reports):
    exports_rebuild(dataset_name="meldungen")
    resource, path = resource_file("meldungen", "CSV")
    client = Client()
    response = client.get(f"/dataset/{resource.package_id}/resource/{resource.pk}/download/meldungen.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == path.read_bytes()
    shown = client.get("/api/3/action/package_show", {"id": "meldungen"}).json()["result"]
    assert [r["format"] for r in shown["resources"]] == ["GeoJSON", "CSV", "GPKG"]
    assert shown["resources"][1]["hash"] == resource.hash
    assert shown["resources"][1]["size"] == path.stat().st_size


def test_command_output_and_unknown_dataset(reports):
    out = StringIO()
    call_command("opendata_rebuild", "--dataset", "meldungen", stdout=out)
    assert re.fullmatch(r"meldungen: 3 Objekte; GeoJSON \d+ B, CSV \d+ B, GPKG \d+ B\n", out.getvalue())
    with pytest.raises(CommandError) as error:
        call_command("opendata_rebuild", "--dataset", "gibtsnicht", stdout=StringIO())
    assert str(error.value) == ("„gibtsnicht“ ist kein erzeugter Datensatz; erzeugt werden: meldungen, "
                                "zustaendigkeit-nachbarn, zustaendigkeit-stadtgrenze.")


def test_beat_runs_the_rebuild_daily():
    entry = beat_schedule()["opendata-exports-rebuild"]
    assert entry["task"] == "opendata.tasks.opendata_exports_rebuild_task"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {15})


def test_task_rebuilds(reports):
    from opendata.tasks import opendata_exports_rebuild_task

    lines = opendata_exports_rebuild_task.delay("meldungen").get()
    assert len(lines) == 1 and lines[0].startswith("meldungen: 3 Objekte; GeoJSON ")


def test_reports_geopackage_stores_timestamps_as_datetime_in_utc(reports):
    """created_at/closed_at are DateTime columns in the GeoPackage (not text), in UTC."""
    _approved, pending, _other, _hidden = reports
    exports_rebuild(dataset_name="meldungen")
    _resource, path = resource_file("meldungen", "GPKG")
    info = pyogrio.read_info(path)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["created_at"].startswith("datetime64")
    assert types["closed_at"].startswith("datetime64")
    assert types["public_description"] == "object"
    meta, _fids, _geometry, fields = pyogrio.raw.read(path, columns=["closed_at"], datetime_as_string=True)
    assert list(meta["ogr_types"]) == ["OFTDateTime"]
    assert list(fields[0]) == [None, "2024-05-02T08:30:00Z", None]
