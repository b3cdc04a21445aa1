"""OGC API – Tiles: the documents, the vector tiles decoded with mapbox-vector-tile (layers,
features, properties), the low-zoom aggregates, caching and every error's status code."""
import json
import math
import re

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from drf_spectacular.validation import validate_schema

from geodata.models import JurisdictionArea, JurisdictionLayer
from geodata.services import area_save, layer_import
from opendata.models import ReportCell, Resource, TileVersion
from opendata.ogc.tiles import views as tile_views
from opendata.ogc.tiles.aggregates import report_cells_rebuild, report_cells_refresh
from opendata.ogc.tiles.versions import tile_version_bump
from opendata.services import resource_file_store
from reporter.models import Report, StatusChange
from tests.factories import ReportFactory

from .conftest import SECRET

pytestmark = pytest.mark.django_db

BASE = "http://testserver/ogc"
MVT = "application/vnd.mapbox-vector-tile"
# A point in the middle of the test reports (lon/lat, EPSG:4326).
CENTRE = (12.04, 50.87)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """(z, y, x) of the WebMercatorQuad tile holding (lon, lat)."""
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, y, x


def _tile(client, collection: str, z: int, y: int, x: int, **headers):
    return client.get(f"/ogc/collections/{collection}/tiles/WebMercatorQuad/{z}/{y}/{x}", **headers)


def _decoded(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == MVT
    return mapbox_vector_tile.decode(response.content)


@pytest.fixture
def points_from_zoom_8(settings):
    """Points from zoom 8 on, so that one tile (z 10) holds every test report."""
    settings.OPENDATA = {**settings.OPENDATA, "TILES_AGGREGATE_BELOW_ZOOM": 8}


# --- documents -------------------------------------------------------------------------------

def _operation_parameters(doc: dict, operation: dict) -> dict:
    """The parameters of `operation` by (in, name), component references resolved."""
    found = {}
    for param in operation["parameters"]:
        if "$ref" in param:
            param = doc["components"]["parameters"][param["$ref"].rsplit("/", 1)[1]]
        found[(param["in"], param["name"])] = param
    return found


def test_openapi_document_validates_and_describes_the_tiles(client, ogc_data):
    doc = client.get("/ogc/api").json()
    # The OpenAPI 3.0 JSON Schema (the copy drf-spectacular ships); what that schema cannot
    # say, openapi-spec-validator checks and is done here: every reference resolves and every
    # {name} of a path template is declared as a path parameter of its operation.
    validate_schema(doc)
    for template, item in doc["paths"].items():
        parameters = _operation_parameters(doc, item["get"])
        assert {name for where, name in parameters if where == "path"} == set(re.findall(r"{(\w+)}", template))
        for response in item["get"]["responses"].values():
            for media in response.get("content", {}).values():
                ref = media["schema"].get("$ref")
                assert ref is None or ref.rsplit("/", 1)[1] in doc["components"]["schemas"], ref
    tile = doc["paths"]["/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"]["get"]
    assert list(_operation_parameters(doc, tile)) == [
        ("path", "collectionId"), ("path", "tileMatrixSetId"), ("path", "tileMatrix"), ("path", "tileRow"),
        ("path", "tileCol"), ("query", "f")]
    assert tile["responses"]["200"]["content"] == {MVT: {"schema": {"type": "string", "format": "binary"}}}
    assert set(tile["responses"]) == {"200", "204", "304", "400", "404"}
    assert tile["responses"]["404"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}
    tileset = doc["paths"]["/collections/{collectionId}/tiles/{tileMatrixSetId}"]["get"]
    assert _operation_parameters(doc, tileset)[("query", "f")]["schema"]["enum"] == ["json", "tilejson"]
    assert _operation_parameters(doc, tileset)[("path", "tileMatrixSetId")]["schema"]["enum"] == [
        "WebMercatorQuad"]


def test_every_declared_path_answers_200_for_every_collection(client, ogc_data):
    """Each path of the OpenAPI document, its template filled for every collection (a feature
    of it, the tile 0/0/0 that holds all of it): 200 with the media type declared first."""
    report_cells_rebuild()  # the z 0 reports tile is read from the aggregates
    doc = client.get("/ogc/api").json()
    collections = doc["components"]["parameters"]["collectionId"]["schema"]["enum"]
    assert len(collections) == 4
    checked = set()
    for template, item in doc["paths"].items():
        declared = list(item["get"]["responses"]["200"]["content"])[0]
        for collection in collections if "{collectionId}" in template else [None]:
            values = {"collectionId": collection, "tileMatrixSetId": "WebMercatorQuad", "tileMatrix": "0",
                      "tileRow": "0", "tileCol": "0"}
            if "{featureId}" in template:
                items = client.get(f"/ogc/collections/{collection}/items", {"limit": 1}).json()
                values["featureId"] = str(items["features"][0]["id"])
            path = "/ogc" + template.format(**values)
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.content[:200])
            assert response["Content-Type"] == declared, path
            checked.add(path)
    tile_paths = [p for p in checked if re.fullmatch(r"/ogc/collections/[^/]+/tiles/WebMercatorQuad/0/0/0", p)]
    assert len(tile_paths) == 4


def test_tile_matrix_sets(client):
    response = client.get("/ogc/tileMatrixSets")
    assert response.status_code == 200
    assert response.json()["tileMatrixSets"] == [{
        "id": "WebMercatorQuad", "title": "Web-Mercator-Kachelschema (Google Maps kompatibel)",
        "uri": "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad",
        "links": [{"rel": "self", "type": "application/json", "href": f"{BASE}/tileMatrixSets/WebMercatorQuad"}],
    }]
    detail = client.get("/ogc/tileMatrixSets/WebMercatorQuad").json()
    assert (detail["crs"], len(detail["tileMatrices"])) == ("http://www.opengis.net/def/crs/EPSG/0/3857", 23)
    z0, z1 = detail["tileMatrices"][:2]
    assert (z0["matrixWidth"], z1["matrixWidth"], z0["pointOfOrigin"]) == (1, 2, [-20037508.3427892, 20037508.3427892])
    assert round(z0["scaleDenominator"], 4) == 559082264.0287
    assert round(z0["cellSize"], 8) == 156543.03392804


def test_tilesets_and_tileset_metadata(client, ogc_data):
    tilesets = client.get("/ogc/collections/reports/tiles")
    assert tilesets.status_code == 200
    [summary] = tilesets.json()["tilesets"]
    assert (summary["dataType"], summary["tileMatrixSetURI"]) == (
        "vector", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad")
    assert summary["links"][0]["href"] == f"{BASE}/collections/reports/tiles/WebMercatorQuad"

    metadata = client.get("/ogc/collections/reports/tiles/WebMercatorQuad").json()
    assert [(lay["id"], lay["minTileMatrix"], lay["maxTileMatrix"]) for lay in metadata["layers"]] == [
        ("report-counts", "0", "12"), ("reports", "13", "22")]
    links = {link["rel"]: link for link in metadata["links"]}
    assert links["item"] == {"rel": "item", "type": MVT, "templated": True, "title": "Vektorkacheln",
                             "href": f"{BASE}/collections/reports/tiles/WebMercatorQuad/"
                                     "{tileMatrix}/{tileRow}/{tileCol}"}
    assert metadata["boundingBox"]["crs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def test_tilejson(client, ogc_data):
    response = client.get(f"/ogc/collections/resource-{ogc_data.resource.id}/tiles/WebMercatorQuad",
                          {"f": "tilejson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox.tile+json"
    data = response.json()
    assert data["tilejson"] == "3.0.0"
    tiles = f"{BASE}/collections/resource-{ogc_data.resource.id}/tiles/WebMercatorQuad"
    assert data["tiles"] == [tiles + "/{z}/{y}/{x}"]
    assert [layer["id"] for layer in data["vector_layers"]] == [f"resource-{ogc_data.resource.id}"]
    assert data["bounds"] == [12.01, 50.86, 12.05, 50.88]
    reports = client.get("/ogc/collections/reports/tiles/WebMercatorQuad", {"f": "tilejson"}).json()
    assert [(v["id"], v["minzoom"], v["maxzoom"]) for v in reports["vector_layers"]] == [
        ("report-counts", 0, 12), ("reports", 13, 22)]


def test_collection_links_to_its_tiles(client, ogc_data):
    links = {link["rel"]: link["href"] for link in client.get("/ogc/collections/reports").json()["links"]}
    assert links["http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"] == f"{BASE}/collections/reports/tiles"
    assert links["describedby"] == f"{BASE}/collections/reports/tiles/WebMercatorQuad?f=tilejson"


# --- tiles -------------------------------------------------------------------------------------

def test_report_points_public_fields_only(client, ogc_data, points_from_zoom_8):
    layers = _decoded(_tile(client, "reports", *tile_of(*CENTRE, 10)))
    assert list(layers) == ["reports"]
    features = layers["reports"]["features"]
    assert sorted(f["id"] for f in features) == sorted(r.pk for r in ogc_data.visible)
    first = min(features, key=lambda f: f["id"])
    assert first["properties"] == {"category": "schlagloch", "status": "open", "supporter_count": 0,
                                   "created_at": "2024-03-01T08:00:00Z"}
    assert first["geometry"]["type"] == "Point"


def test_report_points_z14_only_that_tile(client, ogc_data):
    z, y, x = tile_of(12.005, 50.855, 14)
    features = _decoded(_tile(client, "reports", z, y, x))["reports"]["features"]
    expected = [r.pk for r in ogc_data.visible if tile_of(r.location.x, r.location.y, 14) == (z, y, x)]
    assert expected and sorted(f["id"] for f in features) == sorted(expected)


def test_hidden_report_absent_and_no_private_field_in_any_tile(client, ogc_data):
    hidden_ids = {r.pk for r in ogc_data.hidden}
    ReportFactory(location=Point(*CENTRE, srid=4326), category=ogc_data.city.category,
                  department=ogc_data.city.department, moderation=Report.Moderation.HIDDEN,
                  description="KANARIE-verborgen", reporter_name="KANARIE-Name",
                  reporter_email="kanarie@example.org", location_text="KANARIE-Ort")
    StatusChange.objects.create(report=ogc_data.visible[0], to_status="open", note_internal="KANARIE-intern")
    report_cells_refresh()
    canaries = [SECRET.name, SECRET.email, SECRET.phone, SECRET.description, "KANARIE", "kanarie"]
    total_counted = {}
    for z in range(0, 23):  # every zoom served
        z, y, x = tile_of(*CENTRE, z)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                if not (0 <= y + dy < 2 ** z and 0 <= x + dx < 2 ** z):
                    continue
                response = _tile(client, "reports", z, y + dy, x + dx)
                if response.status_code == 204:
                    continue
                for canary in canaries:
                    assert canary.encode() not in response.content
                for name, layer in _decoded(response).items():
                    for feature in layer["features"]:
                        assert feature.get("id") not in hidden_ids
                        text = repr(feature["properties"])
                        assert not any(canary in text for canary in canaries)
                        if name == "report-counts":
                            total_counted[z] = total_counted.get(z, 0) + feature["properties"]["count"]
    # Every aggregated zoom counts the 24 visible reports, never the hidden ones.
    assert total_counted == {z: 24 for z in range(0, 13)}


def test_aggregates_count_by_status(client, ogc_data):
    report_cells_rebuild()
    Report.objects.filter(pk__in=[r.pk for r in ogc_data.visible[:3]]).update(status=Report.Status.RESOLVED)
    report_cells_refresh()
    [feature] = _decoded(_tile(client, "reports", *tile_of(*CENTRE, 5)))["report-counts"]["features"]
    properties = {k: v for k, v in feature["properties"].items()}
    assert properties == {"count": 24, "open": 21, "resolved": 3}
    cells = _decoded(_tile(client, "reports", *tile_of(*CENTRE, 12)))["report-counts"]["features"]
    assert sum(f["properties"]["count"] for f in cells) == sum(
        1 for r in ogc_data.visible if tile_of(r.location.x, r.location.y, 12) == tile_of(*CENTRE, 12))


def test_refresh_equals_rebuild_and_hiding_uncounts(ogc_data):
    report_cells_rebuild()
    Report.objects.filter(pk=ogc_data.visible[0].pk).update(moderation=Report.Moderation.HIDDEN)
    Report.objects.filter(pk=ogc_data.visible[1].pk).update(location=Point(12.09, 50.89, srid=4326))
    ogc_data.visible[2].delete()
    assert report_cells_refresh() > 0
    refreshed = sorted(ReportCell.objects.values_list("level", "cx", "cy", "status", "count"))
    report_cells_rebuild()
    rebuilt = sorted(ReportCell.objects.values_list("level", "cx", "cy", "status", "count"))
    assert refreshed == rebuilt
    assert ReportCell.objects.filter(level=3).values_list("count", flat=True).get() == 22
    assert report_cells_refresh() == 0  # nothing dirty any more


def test_report_save_queues_the_refresh(ogc_data, django_capture_on_commit_callbacks):
    report_cells_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        report = ogc_data.visible[0]
        report.status = Report.Status.IN_PROGRESS
        report.save()
    assert ReportCell.objects.get(level=3, status="in_progress").count == 1


def test_cache_outage_still_saves_and_refreshes(ogc_data, settings, django_capture_on_commit_callbacks, caplog):
    report_cells_rebuild()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    with django_capture_on_commit_callbacks(execute=True):
        report = ogc_data.visible[0]
        report.status = Report.Status.RESOLVED
        report.save()
    assert ReportCell.objects.get(level=3, status="resolved").count == 1
    assert "Tile refresh not debounced, cache unavailable" in caplog.text


def test_layer_and_resource_tiles(client, ogc_data):
    layer = _decoded(_tile(client, "jurisdiction-stadtgrenze", *tile_of(*CENTRE, 10)))
    [area] = layer["jurisdiction-stadtgrenze"]["features"]
    assert area["properties"] == {"name": "Teststadt", "code": "", "authority": ""}
    assert area["geometry"]["type"] in ("Polygon", "MultiPolygon")
    resource_id = f"resource-{ogc_data.resource.id}"
    features = _decoded(_tile(client, resource_id, *tile_of(*CENTRE, 10)))[resource_id]["features"]
    assert sorted((f["id"], f["properties"]["name"]) for f in features) == [
        (1, "Baustelle Nord"), (2, "Baustelle Süd"), (3, "Umleitung")]
    assert {f["geometry"]["type"] for f in features} == {"Point", "LineString"}
    # Private and deleted datasets have no tiles.
    hidden = f"resource-{ogc_data.hidden_resources[0].id}"
    assert _tile(client, hidden, 0, 0, 0).status_code == 404


def test_empty_tile_is_204(client, ogc_data):
    response = _tile(client, "reports", 14, 0, 0)
    assert response.status_code == 204
    assert response.content == b""
    assert response["ETag"].startswith('"reports-')


# --- caching -----------------------------------------------------------------------------------

def test_etag_304_and_invalidation(client, ogc_data):
    address = tile_of(12.005, 50.855, 14)
    first = _tile(client, "reports", *address)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60, must-revalidate"
    assert first["Vary"] == "Accept-Encoding"
    etag = first["ETag"]
    again = _tile(client, "reports", *address, HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    Report.objects.filter(pk=ogc_data.visible[0].pk).update(status=Report.Status.RESOLVED)
    changed = _tile(client, "reports", *address, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    statuses = {f["id"]: f["properties"]["status"] for f in _decoded(changed)["reports"]["features"]}
    assert statuses[ogc_data.visible[0].pk] == "resolved"
    ogc_data.visible[0].delete()
    left = [r for r in ogc_data.visible[1:] if tile_of(r.location.x, r.location.y, 14) == address]
    after_delete = _tile(client, "reports", *address, HTTP_IF_NONE_MATCH=changed["ETag"])
    assert after_delete.status_code == (200 if left else 204)
    assert after_delete["ETag"] not in (etag, changed["ETag"])


ORIGIN = "https://andere-app.example"


def test_tiles_vary_on_encoding_only(client, ogc_data):
    """A tile is the same bytes in every language and for every site: no Accept-Language, no
    Origin in Vary, no Content-Language, and the CORS header whether or not an Origin came."""
    address = tile_of(12.005, 50.855, 14)
    ok = _tile(client, "reports", *address, HTTP_ACCEPT_LANGUAGE="en", HTTP_ORIGIN=ORIGIN)
    empty = _tile(client, "reports", 14, 0, 0)
    not_modified = _tile(client, "reports", *address, HTTP_IF_NONE_MATCH=ok["ETag"], HTTP_ACCEPT_LANGUAGE="de")
    for response, status in [(ok, 200), (empty, 204), (not_modified, 304)]:
        assert response.status_code == status
        assert response["Vary"] == "Accept-Encoding"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Content-Language" not in response
    assert _tile(client, "reports", *address).content == ok.content


def test_documents_and_tile_errors_keep_accept_language(client, ogc_data):
    """The tileset metadata and the errors carry translated text: they vary on the language."""
    document, error = "Accept, Accept-Language, origin", "Accept-Language, origin"  # "origin": corsheaders
    for path, status, vary in [("/ogc/collections/reports/tiles/WebMercatorQuad", 200, document),
                               ("/ogc/collections/reports/tiles", 200, document),
                               ("/ogc/tileMatrixSets", 200, document),
                               ("/ogc/collections/reports/tiles/WebMercatorQuad/23/0/0", 404, error),
                               ("/ogc/collections/reports/tiles/WebMercatorQuad/a/0/0", 400, error)]:
        response = client.get(path, HTTP_ORIGIN=ORIGIN, HTTP_ACCEPT_LANGUAGE="en")
        assert (response.status_code, response["Vary"]) == (status, vary), path
        assert response["Content-Language"] == "en", path
    titles = {lang: client.get("/ogc/collections/reports/tiles/WebMercatorQuad", HTTP_ACCEPT_LANGUAGE=lang)
              .json()["links"][0]["title"] for lang in ("de", "en")}
    assert titles == {"de": "Kachelsatz WebMercatorQuad", "en": "Tileset WebMercatorQuad"}


def test_tiles_keep_origin_in_vary_when_cors_depends_on_the_origin(client, ogc_data, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = [ORIGIN]
    address = tile_of(12.005, 50.855, 14)
    allowed = _tile(client, "reports", *address, HTTP_ORIGIN=ORIGIN)
    assert (allowed.status_code, allowed["Vary"], allowed["Access-Control-Allow-Origin"]) == (
        200, "Accept-Encoding, Origin", ORIGIN)
    other = _tile(client, "reports", *address, HTTP_ORIGIN="https://fremd.example")
    assert (other["Vary"], "Access-Control-Allow-Origin" in other) == ("Accept-Encoding, Origin", False)


def test_low_zoom_etag_follows_the_aggregates(client, ogc_data):
    report_cells_rebuild()
    address = tile_of(*CENTRE, 6)
    etag = _tile(client, "reports", *address)["ETag"]
    Report.objects.filter(pk=ogc_data.visible[0].pk).update(status=Report.Status.RESOLVED)
    # Not refreshed yet: the aggregates and their ETag are unchanged, consistently.
    assert _tile(client, "reports", *address, HTTP_IF_NONE_MATCH=etag).status_code == 304
    report_cells_refresh()
    refreshed = _tile(client, "reports", *address, HTTP_IF_NONE_MATCH=etag)
    assert refreshed.status_code == 200
    assert _decoded(refreshed)["report-counts"]["features"][0]["properties"]["resolved"] == 1


def test_layer_and_dataset_tiles_carry_their_collections_version(client, ogc_data, monkeypatch,
                                                                 django_assert_num_queries):
    """Layer and dataset tiles carry the version kept on their collection's own row: a 304 costs
    one query (the collection with its version) and no rendering; a write of a layer's areas
    changes that layer's ETags only, and no shared version row is written."""
    z, y, x = address = tile_of(*CENTRE, 10)
    before = _versions()
    layer = _tile(client, "jurisdiction-stadtgrenze", *address)
    resource = f"resource-{ogc_data.resource.id}"
    dataset = _tile(client, resource, *address)
    assert (layer.status_code, dataset.status_code) == (200, 200)
    boundary = JurisdictionLayer.objects.get(slug="stadtgrenze")
    assert re.fullmatch(rf'"layers-v{boundary.areas_version.hex}-{z}-{x}-{y}-[0-9a-f]{{8}}"', layer["ETag"])
    version = Resource.objects.get(pk=ogc_data.resource.pk).features_version.hex
    assert re.fullmatch(rf'"resources-v{version}-{z}-{x}-{y}-[0-9a-f]{{8}}"', dataset["ETag"])

    def no_rendering(**kwargs):
        raise AssertionError("a 304 of a version ETag renders nothing")

    with monkeypatch.context() as patched:
        patched.setattr(tile_views, "tile_render", no_rendering)
        for collection, first in [("jurisdiction-stadtgrenze", layer), (resource, dataset)]:
            with django_assert_num_queries(1):
                again = _tile(client, collection, *address, HTTP_IF_NONE_MATCH=first["ETag"])
            assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
            assert (again["Cache-Control"], again["Vary"]) == ("public, max-age=60, must-revalidate",
                                                               "Accept-Encoding")

    area = JurisdictionArea.objects.filter(layer=boundary).first()
    area.name = "Neustadt"
    area_save(area=area)

    renamed = _tile(client, "jurisdiction-stadtgrenze", *address, HTTP_IF_NONE_MATCH=layer["ETag"])
    assert renamed.status_code == 200
    assert renamed["ETag"] != layer["ETag"]
    assert "Neustadt" in {f["properties"]["name"] for f in _decoded(renamed)["jurisdiction-stadtgrenze"]["features"]}
    assert _tile(client, resource, *address, HTTP_IF_NONE_MATCH=dataset["ETag"]).status_code == 304
    assert _tile(client, "jurisdiction-stadtgrenze", *address, HTTP_IF_NONE_MATCH=renamed["ETag"]).status_code == 304
    assert _versions() == before
    assert set(before) <= {"report_cells"}


def test_an_empty_tile_revalidates_and_its_etag_names_the_collection(client, ogc_data):
    empty = _tile(client, "jurisdiction-stadtgrenze", 10, 0, 0)
    assert (empty.status_code, empty.content) == (204, b"")
    assert _tile(client, "jurisdiction-stadtgrenze", 10, 0, 0, HTTP_IF_NONE_MATCH=empty["ETag"]).status_code == 304
    # Another collection's empty tile is another tile: its ETag names its source.
    assert _tile(client, f"resource-{ogc_data.resource.id}", 10, 0, 0)["ETag"] != empty["ETag"]


def _versions() -> dict:
    return dict(TileVersion.objects.values_list("source", "version"))


def _store(resource, features: list[tuple[float, float, str]], capture) -> None:
    """Upload `features` (lon, lat, name) as the resource's GeoJSON the way the services do;
    the ingest queued on commit runs."""
    content = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {"name": name}}
        for lon, lat, name in features]}).encode()
    with capture(execute=True), transaction.atomic():
        resource_file_store(resource=resource, upload=SimpleUploadedFile("sperrungen.geojson", content))
        resource.save()
    resource.refresh_from_db()
    assert resource.geo_ingest["status"] == "ok", resource.geo_ingest


def test_reingested_dataset_changes_its_tiles_etag(client, ogc_data, django_capture_on_commit_callbacks):
    resource = Resource(package=ogc_data.dataset, name="Sperrungen", format="GeoJSON")
    _store(resource, [(12.02, 50.87, "alt")], django_capture_on_commit_callbacks)
    collection, address = f"resource-{resource.id}", tile_of(12.02, 50.87, 12)
    first = _tile(client, collection, *address)
    assert [f["properties"]["name"] for f in _decoded(first)[collection]["features"]] == ["alt"]
    layer_etag = _tile(client, "jurisdiction-stadtgrenze", *address)["ETag"]
    # Another dataset's tile, in the same place: the re-ingest does not touch it.
    neighbour = f"resource-{ogc_data.resource.id}"
    neighbour_etag = _tile(client, neighbour, *address)["ETag"]
    before = _versions()

    _store(resource, [(12.021, 50.871, "neu")], django_capture_on_commit_callbacks)

    again = _tile(client, collection, *address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert [f["properties"]["name"] for f in _decoded(again)[collection]["features"]] == ["neu"]
    assert _tile(client, collection, *address, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
    assert _tile(client, "jurisdiction-stadtgrenze", *address, HTTP_IF_NONE_MATCH=layer_etag).status_code == 304
    assert _tile(client, neighbour, *address, HTTP_IF_NONE_MATCH=neighbour_etag).status_code == 304
    assert _versions() == before
    assert set(before) <= {"report_cells"}


def test_features_clipped_away_leave_the_tile_empty(client, ogc_data, tmp_path):
    """A polygon whose bounding box meets a tile but whose shape does not: the tile is 204
    (ST_AsMVT leaves out the rows ST_AsMVTGeom clipped to NULL), a tile it covers has it."""
    path = tmp_path / "dreieck.geojson"
    triangle = [[12.0, 50.85], [12.1, 50.85], [12.0, 50.9], [12.0, 50.85]]  # the lower left half
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [triangle]},
        "properties": {"name": "Dreieck"}}]}))
    layer_import(path=path, layer_slug="dreieck", replace=True)

    assert _tile(client, "jurisdiction-dreieck", *tile_of(12.095, 50.895, 14)).status_code == 204
    [area] = _decoded(_tile(client, "jurisdiction-dreieck", *tile_of(12.01, 50.86, 14)))[
        "jurisdiction-dreieck"]["features"]
    assert area["properties"]["name"] == "Dreieck"


def test_reimported_jurisdiction_layer_changes_its_tiles_etag(client, ogc_data, tmp_path):
    address = tile_of(*CENTRE, 10)
    first = _tile(client, "jurisdiction-stadtgrenze", *address)
    resource = f"resource-{ogc_data.resource.id}"
    resource_etag = _tile(client, resource, *address)["ETag"]
    before = _versions()
    path = tmp_path / "stadtgrenze.geojson"
    ring = [[12.0, 50.85], [12.1, 50.85], [12.1, 50.9], [12.0, 50.9], [12.0, 50.85]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"name": "Neustadt"}}]}))

    layer_import(path=path, layer_slug="stadtgrenze", replace=True)

    again = _tile(client, "jurisdiction-stadtgrenze", *address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    [area] = _decoded(again)["jurisdiction-stadtgrenze"]["features"]
    assert area["properties"]["name"] == "Neustadt"
    assert _tile(client, resource, *address, HTTP_IF_NONE_MATCH=resource_etag).status_code == 304
    assert _versions() == before
    assert set(before) <= {"report_cells"}


def test_only_the_aggregates_have_a_version_and_one_function_increments_it(ogc_data):
    """`report_cells` is the one counter; the aggregates and Python share
    `opendata_tiles_version_next` (migration 0007), and no trigger of the layer or dataset
    tables writes a counter (migration 0008)."""
    before = _versions()
    assert tile_version_bump(source="report_cells") == before["report_cells"] + 1
    report_cells_refresh()  # counts the fixture's reports
    counted = _versions()["report_cells"]
    report_cells_rebuild()
    assert _versions() == {"report_cells": counted + 1}
    for source in ("layers", "resources", "reports"):
        with pytest.raises(ValueError, match=f"Tiles of '{source}' have no version"):
            tile_version_bump(source=source)
    with connection.cursor() as cursor:
        cursor.execute("SELECT p.proname FROM pg_proc p WHERE p.prosrc LIKE '%%opendata_tileversion%%' "
                       "ORDER BY 1")
        assert [row[0] for row in cursor.fetchall()] == ["opendata_tiles_version_next"]
        cursor.execute("SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t "
                       "WHERE t.tgname LIKE 'opendata_tiles%%' AND NOT t.tgisinternal ORDER BY 1, 2")
        assert cursor.fetchall() == [("reporter_report", "opendata_tiles_cells_delete"),
                                     ("reporter_report", "opendata_tiles_cells_insert"),
                                     ("reporter_report", "opendata_tiles_cells_truncate"),
                                     ("reporter_report", "opendata_tiles_cells_update")]


# --- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "status", "code", "message"), [
    ("/ogc/collections/reports/tiles/WebMercatorQuad/a/0/0", 400, "InvalidParameterValue",
     "Zoomstufe, Zeile und Spalte einer Kachel müssen ganze Zahlen sein."),
    ("/ogc/collections/reports/tiles/WebMercatorQuad/23/0/0", 404, "NotFound",
     "Die Kachel 23/0/0 liegt außerhalb des Kachelschemas WebMercatorQuad."),
    ("/ogc/collections/reports/tiles/WebMercatorQuad/2/0/4", 404, "NotFound",
     "Die Kachel 2/0/4 liegt außerhalb des Kachelschemas WebMercatorQuad."),
    ("/ogc/collections/reports/tiles/WebMercatorQuad/2/-1/0", 404, "NotFound",
     "Die Kachel 2/-1/0 liegt außerhalb des Kachelschemas WebMercatorQuad."),
    ("/ogc/collections/reports/tiles/WorldCRS84Quad/0/0/0", 404, "NotFound",
     "Das Kachelschema „WorldCRS84Quad“ gibt es nicht. Angeboten wird: WebMercatorQuad."),
    ("/ogc/collections/reports/tiles/WorldCRS84Quad", 404, "NotFound",
     "Das Kachelschema „WorldCRS84Quad“ gibt es nicht. Angeboten wird: WebMercatorQuad."),
    ("/ogc/tileMatrixSets/WorldCRS84Quad", 404, "NotFound",
     "Das Kachelschema „WorldCRS84Quad“ gibt es nicht. Angeboten wird: WebMercatorQuad."),
    ("/ogc/collections/gibtsnicht/tiles/WebMercatorQuad/0/0/0", 404, "NotFound",
     "Die Sammlung „gibtsnicht“ gibt es nicht."),
    ("/ogc/collections/gibtsnicht/tiles", 404, "NotFound", "Die Sammlung „gibtsnicht“ gibt es nicht."),
    ("/ogc/collections/reports/tiles/WebMercatorQuad/0/0/0?f=png", 400, "InvalidParameterValue",
     "Unbekanntes Format f=png. Erlaubt sind: mvt."),
    ("/ogc/collections/reports/tiles/WebMercatorQuad?f=xml", 400, "InvalidParameterValue",
     "Unbekanntes Format f=xml. Erlaubt sind: json, tilejson."),
    ("/ogc/collections/reports/tiles/WebMercatorQuad/0/0/0?limit=5", 400, "InvalidParameterValue",
     "Unbekannter Parameter: limit. Erlaubt sind: f."),
])
def test_errors(client, ogc_data, path, status, code, message):
    response = client.get(path)
    assert response.status_code == status
    assert response.json() == {"code": code, "description": message}


def test_errors_in_english(client, ogc_data):
    response = client.get("/ogc/collections/reports/tiles/WebMercatorQuad/23/0/0", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "NotFound",
                               "description": "Tile 23/0/0 lies outside the tile matrix set WebMercatorQuad."}


def test_post_not_allowed(client, ogc_data):
    assert client.post("/ogc/collections/reports/tiles/WebMercatorQuad/0/0/0").status_code == 405


def test_beat_refreshes_every_minute_and_rebuilds_nightly():
    from datetime import timedelta

    from config.celery import beat_schedule

    schedule = beat_schedule()
    assert schedule["opendata-tiles-cells-refresh"] == {
        "task": "opendata.ogc.tiles.tasks.report_cells_refresh_task", "schedule": timedelta(minutes=1)}
    nightly = schedule["opendata-tiles-cells-rebuild"]
    assert (nightly["task"], nightly["schedule"].hour, nightly["schedule"].minute) == (
        "opendata.ogc.tiles.tasks.report_cells_rebuild_task", {3}, {40})
