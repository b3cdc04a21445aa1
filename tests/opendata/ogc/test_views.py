"""OGC API – Features through Django's test client: every endpoint, its encodings, paging,
the bbox and datetime filters (checked against PostGIS), parameter errors and privacy."""
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from requests.utils import parse_header_links

from opendata.ogc.crs import SUPPORTED_CRS
from opendata.ogc.openapi import CONFORMANCE_CLASSES
from reporter.models import Report
from tests.factories import AreaFactory, ReportFactory, square

from .conftest import SECRET

pytestmark = pytest.mark.django_db

BASE = "http://testserver/ogc"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def _get(client, path, **params):
    return client.get(path, params)


def _links(document) -> dict:
    return {(link["rel"], link["type"]): link["href"] for link in document["links"]}


def _query(href) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(href).query, keep_blank_values=True).items()}


def _ids(client, path, **params) -> list:
    response = client.get(path, {"limit": 10000, **params})
    assert response.status_code == 200, response.content
    return [f["id"] for f in response.json()["features"]]


# --- capabilities -----------------------------------------------------------------------------

def test_landing_page_links(client):
    response = client.get("/ogc/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    links = _links(response.json())
    assert links == {
        ("self", "application/json"): f"{BASE}/?f=json",
        ("alternate", "text/html"): f"{BASE}/?f=html",
        ("service-desc", "application/vnd.oai.openapi+json;version=3.0"): f"{BASE}/api",
        ("service-doc", "text/html"): f"{BASE}/api?f=html",
        ("conformance", "application/json"): f"{BASE}/conformance",
        ("http://www.opengis.net/def/rel/ogc/1.0/conformance", "application/json"): f"{BASE}/conformance",
        ("data", "application/json"): f"{BASE}/collections",
        ("http://www.opengis.net/def/rel/ogc/1.0/data", "application/json"): f"{BASE}/collections",
    }
    assert response.json()["title"] == "Stadtmelder – Offene Daten – OGC API Features"


@pytest.mark.parametrize("kwargs", [{"data": {"f": "html"}},
                                    {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}])
def test_landing_page_html(client, kwargs):
    response = client.get("/ogc/", **kwargs)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "<h1>Stadtmelder – Offene Daten – OGC API Features</h1>" in html
    assert 'href="/ogc/collections?f=html"' in html
    assert '<link rel="alternate" type="application/json" href="http://testserver/ogc/?f=json">' in html


def test_accept_json_wins_over_html_with_lower_quality(client):
    response = client.get("/ogc/", HTTP_ACCEPT="application/json, text/html;q=0.5")
    assert response["Content-Type"] == "application/json"


def test_conformance(client):
    response = client.get("/ogc/conformance")
    assert response.status_code == 200
    assert response.json() == {"conformsTo": [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
        "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
        "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    ]}
    html = client.get("/ogc/conformance", {"f": "html"}).content.decode()
    for uri in CONFORMANCE_CLASSES:
        assert f"<code>{uri}</code>" in html


def test_openapi_document(client, ogc_data):
    response = client.get("/ogc/api")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    doc = response.json()
    assert doc["openapi"].startswith("3.0.")
    assert doc["servers"] == [{"url": BASE}]
    resource = f"resource-{ogc_data.resource.id}"
    assert sorted(doc["paths"]) == sorted([
        "/", "/api", "/collections", "/collections/{collectionId}", "/collections/{collectionId}/items",
        "/collections/{collectionId}/items/{featureId}", "/collections/{collectionId}/queryables", "/conformance",
        "/collections/reports/items", "/collections/jurisdiction-nachbarn/items",
        "/collections/jurisdiction-stadtgrenze/items", f"/collections/{resource}/items",
        "/tileMatrixSets", "/tileMatrixSets/{tileMatrixSetId}", "/collections/{collectionId}/tiles",
        "/collections/{collectionId}/tiles/{tileMatrixSetId}",
        "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
    ])
    params = doc["components"]["parameters"]
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}
    assert params["collectionId"]["schema"]["enum"] == [
        "reports", "jurisdiction-nachbarn", "jurisdiction-stadtgrenze", f"resource-{ogc_data.resource.id}"]
    items = doc["paths"]["/collections/{collectionId}/items"]["get"]
    assert [p["$ref"].rsplit("/", 1)[1] for p in items["parameters"]] == [
        "collectionId", "bbox", "bbox-crs", "datetime", "limit", "offset", "crs", "filter", "filter-lang",
        "filter-crs", "sortby", "properties", "f"]
    assert set(items["responses"]["200"]["content"]) == {"application/geo+json", "text/html"}
    assert set(items["responses"]) == {"200", "400", "404"}
    # Each collection's own items path declares its queryables as simple property filters
    # (Part 1 §7.15.5; GDAL's OAPIF driver pushes `name=value` only for these).
    reports = doc["paths"]["/collections/reports/items"]["get"]
    assert reports["operationId"] == "getFeatures.reports"
    assert [p.get("$ref", "").rsplit("/", 1)[-1] or p["name"] for p in reports["parameters"]] == [
        "bbox", "bbox-crs", "datetime", "limit", "offset", "crs", "filter", "filter-lang", "filter-crs", "sortby",
        "properties", "f", "id", "category", "status", "description", "department", "supporter_count",
        "created_at", "updated_at", "closed_at"]
    status = next(p for p in reports["parameters"] if p.get("name") == "status")
    assert status["schema"] == {"title": "Bearbeitungsstand", "type": "string", "enum": list(Report.Status.values)}
    assert status["in"] == "query"
    bis = doc["paths"][f"/collections/{resource}/items"]["get"]["parameters"][-2:]
    assert [(p["name"], p["schema"]["type"]) for p in bis] == [("bis", "string"), ("name", "string")]


def test_openapi_html_is_the_swagger_ui(client):
    response = client.get("/ogc/api", {"f": "html"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert 'url: "http://testserver/ogc/api?f\\u003Djson"' in html  # escapejs


def test_collections_lists_public_collections_only(client, ogc_data):
    response = client.get("/ogc/collections")
    assert response.status_code == 200
    data = response.json()
    assert [c["id"] for c in data["collections"]] == [
        "reports", "jurisdiction-nachbarn", "jurisdiction-stadtgrenze", f"resource-{ogc_data.resource.id}"]
    by_id = {c["id"]: c for c in data["collections"]}
    assert by_id["jurisdiction-stadtgrenze"]["extent"] == {
        "spatial": {"bbox": [[12.0, 50.85, 12.1, 50.9]], "crs": CRS84}}
    assert by_id["jurisdiction-stadtgrenze"]["title"] == "Stadtgrenze"
    resource = by_id[f"resource-{ogc_data.resource.id}"]
    assert resource["title"] == "Baustellen: Baustellen"
    assert resource["extent"]["spatial"]["bbox"] == [[12.01, 50.86, 12.05, 50.88]]
    for collection in data["collections"]:
        assert collection["itemType"] == "feature"
        assert collection["crs"] == [CRS84, *(f"http://www.opengis.net/def/crs/EPSG/0/{c}"
                                              for c in (4326, 25832, 25833, 3857))]
        assert collection["storageCrs"] == CRS84
        links = _links(collection)
        assert links[("items", "application/geo+json")] == f"{BASE}/collections/{collection['id']}/items?f=json"
        assert links[("items", "text/html")] == f"{BASE}/collections/{collection['id']}/items?f=html"


def test_collections_makes_a_fixed_number_of_queries(client, ogc_data, django_assert_max_num_queries):
    for i in range(3):
        AreaFactory(layer=ogc_data.city.boundary, name=f"Teil {i}")
    with django_assert_max_num_queries(3):  # reports, layers, resources
        assert client.get("/ogc/collections").status_code == 200


def test_reports_collection_extent(client, ogc_data):
    response = client.get("/ogc/collections/reports")
    assert response.status_code == 200
    data = response.json()
    # Visible reports span 12.005–12.080 x 50.855–50.885; the hidden ones (days 24, 25) lie
    # inside that box but move neither the spatial nor the temporal extent.
    assert data["extent"] == {
        "spatial": {"bbox": [[12.005, 50.855, 12.08, 50.885]], "crs": CRS84},
        "temporal": {"interval": [["2024-03-01T08:00:00Z", None]],
                     "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"},
    }
    assert data["temporalProperty"] == "created_at"
    links = _links(data)
    assert links[("self", "application/json")] == f"{BASE}/collections/reports?f=json"
    assert links[("alternate", "text/html")] == f"{BASE}/collections/reports?f=html"


def test_reports_collection_extent_without_visible_reports(client, city):
    data = client.get("/ogc/collections/reports").json()
    assert "extent" not in data


def test_collection_html(client, ogc_data):
    response = client.get("/ogc/collections/jurisdiction-stadtgrenze", {"f": "html"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Stadtgrenze</h1>" in html
    assert "12.0, 50.85, 12.1, 50.9" in html


# --- items: paging ------------------------------------------------------------------------

def test_items_default_page_and_links(client, ogc_data):
    response = client.get("/ogc/collections/reports/items")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["numberMatched"] == 24
    assert data["numberReturned"] == 10
    assert data["timeStamp"].endswith("Z")
    visible_ids = sorted(r.pk for r in ogc_data.visible)
    assert [f["id"] for f in data["features"]] == visible_ids[:10]
    links = _links(data)
    assert _query(links[("self", "application/geo+json")]) == {"f": "json", "limit": "10", "offset": "0"}
    assert _query(links[("next", "application/geo+json")]) == {"f": "json", "limit": "10", "offset": "10"}
    assert links[("collection", "application/json")] == f"{BASE}/collections/reports?f=json"
    assert ("prev", "application/geo+json") not in links


def test_following_next_links_reads_every_visible_report_once(client, ogc_data):
    url, seen, pages = "/ogc/collections/reports/items?limit=7&bbox=11.9,50.8,12.2,50.95", [], 0
    while url:
        data = client.get(url).json()
        assert data["numberMatched"] == 24
        seen += [f["id"] for f in data["features"]]
        pages += 1
        next_link = [link["href"] for link in data["links"] if link["rel"] == "next"]
        assert _query(next_link[0])["bbox"] == "11.9,50.8,12.2,50.95" if next_link else True
        url = next_link[0] if next_link else None
    assert pages == 4
    assert seen == sorted(r.pk for r in ogc_data.visible)


def test_last_page_has_prev_and_no_next(client, ogc_data):
    data = client.get("/ogc/collections/reports/items", {"limit": 10, "offset": 20}).json()
    assert data["numberReturned"] == 4
    links = _links(data)
    assert ("next", "application/geo+json") not in links
    assert _query(links[("prev", "application/geo+json")]) == {"f": "json", "limit": "10", "offset": "10"}


def test_offset_past_the_end(client, ogc_data):
    data = client.get("/ogc/collections/reports/items", {"offset": 100}).json()
    assert (data["numberMatched"], data["numberReturned"], data["features"]) == (24, 0, [])
    assert _query(_links(data)[("prev", "application/geo+json")])["offset"] == "14"


def test_limit_above_maximum_is_clamped(client, ogc_data):
    data = client.get("/ogc/collections/reports/items", {"limit": 50000}).json()
    assert data["numberReturned"] == 24
    assert _query(_links(data)[("self", "application/geo+json")])["limit"] == "10000"


def test_number_matched_equals_a_count_with_the_same_filters(client, ogc_data):
    params = {"bbox": "12.0,50.85,12.05,50.87", "datetime": "2024-03-03T00:00:00Z/2024-03-20T00:00:00Z", "limit": 2}
    data = client.get("/ogc/collections/reports/items", params).json()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM reporter_report WHERE moderation <> 'hidden' "
            "AND ST_Intersects(location, ST_MakeEnvelope(12.0, 50.85, 12.05, 50.87, 4326)) "
            "AND created_at BETWEEN '2024-03-03T00:00:00Z' AND '2024-03-20T00:00:00Z'")
        expected = cursor.fetchone()[0]
    assert expected == 6
    assert (data["numberMatched"], data["numberReturned"]) == (expected, 2)


def test_items_query_count(client, ogc_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get("/ogc/collections/reports/items", {"limit": 100}).status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/ogc/collections/jurisdiction-nachbarn/items").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(f"/ogc/collections/resource-{ogc_data.resource.id}/items").status_code == 200


# --- items: filters ---------------------------------------------------------------------

def _intersecting(table: str, geom: str, where: str, box) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {where} AND ST_Intersects({geom}, "
                       "ST_MakeEnvelope(%s, %s, %s, %s, 4326)) ORDER BY id", box)
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("box", [(12.0, 50.85, 12.036, 50.866), (12.05, 50.87, 12.1, 50.9),
                                 (12.02, 50.855, 12.02, 50.855), (13.0, 51.0, 13.1, 51.1)])
def test_bbox_matches_postgis_intersects(client, ogc_data, box):
    expected = _intersecting("reporter_report", "location", "moderation <> 'hidden'", box)
    assert _ids(client, "/ogc/collections/reports/items", bbox=",".join(map(str, box))) == expected


def test_bbox_edge_is_exact_not_the_float4_index_box(client, ogc_data, public_precision):
    # 0.0000001° east of the box: `&&` alone (float4 boxes) would let this report through
    # (public coordinates with 7 decimals here, so the point is not rounded onto the edge).
    public_precision(7)
    outside = ReportFactory(location=Point(12.0300001, 50.86, srid=4326), category=ogc_data.city.category,
                            moderation=Report.Moderation.APPROVED)
    on_edge = ReportFactory(location=Point(12.03, 50.86, srid=4326), category=ogc_data.city.category,
                            moderation=Report.Moderation.APPROVED)
    box = (12.0, 50.85, 12.03, 50.87)
    expected = _intersecting("reporter_report", "location", "moderation <> 'hidden'", box)
    assert on_edge.pk in expected and outside.pk not in expected
    assert _ids(client, "/ogc/collections/reports/items", bbox="12.0,50.85,12.03,50.87") == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::geometry && ST_MakeEnvelope(12.0, 50.85, 12.03, 50.87, 4326)",
                       [outside.location.ewkt])
        assert cursor.fetchone()[0] is True


def test_bbox_on_polygons_is_an_intersection_not_the_bounding_box(client, ogc_data):
    # The neighbour ring's bounding box covers the city; its polygon does not.
    box = (12.04, 50.86, 12.06, 50.88)
    neighbours = ogc_data.city.neighbours
    assert _ids(client, "/ogc/collections/jurisdiction-nachbarn/items", bbox="12.04,50.86,12.06,50.88") == []
    assert _intersecting("geodata_jurisdictionarea", "geom", f"layer_id = {neighbours.pk}", box) == []
    assert len(_ids(client, "/ogc/collections/jurisdiction-nachbarn/items", bbox="11.95,50.86,12.06,50.88")) == 1


def test_bbox_with_heights_ignores_them(client, ogc_data):
    assert _ids(client, "/ogc/collections/reports/items", bbox="12.0,50.85,-10,12.036,50.866,100") == \
        _ids(client, "/ogc/collections/reports/items", bbox="12.0,50.85,12.036,50.866")


def test_bbox_across_the_antimeridian(client, ogc_data):
    layer = ogc_data.city.boundary
    east = AreaFactory(layer=layer, name="Fidschi Ost", geom=square(178.0, -18.0, 179.0, -17.0))
    west = AreaFactory(layer=layer, name="Fidschi West", geom=square(-179.5, -18.0, -179.0, -17.0))
    ids = _ids(client, "/ogc/collections/jurisdiction-stadtgrenze/items", bbox="177,-19,-178,-16")
    assert ids == [east.pk, west.pk]


def _created_days(client, value) -> list[int]:
    response = client.get("/ogc/collections/reports/items", {"datetime": value, "limit": 100})
    assert response.status_code == 200, response.content
    return sorted(int(f["properties"]["created_at"][8:10]) for f in response.json()["features"])


@pytest.mark.parametrize(("value", "days"), [
    ("2024-03-03T08:00:00Z", [3]),
    ("2024-03-03T09:00:00+01:00", [3]),
    ("2024-03-03T08:00:01Z", []),
    ("2024-03-03", [3]),
    ("2024-03-03T08:00:00Z/2024-03-05T08:00:00Z", [3, 4, 5]),
    ("2024-03-03/2024-03-04", [3, 4]),
    ("../2024-03-02T08:00:00Z", [1, 2]),
    ("/2024-03-02T08:00:00Z", [1, 2]),
    ("2024-03-22T08:00:00Z/..", [22, 23, 24]),
    ("2024-03-22T08:00:00Z/", [22, 23, 24]),
    ("../..", list(range(1, 25))),
])
def test_datetime_filters_created_at(client, ogc_data, value, days):
    assert _created_days(client, value) == days


def test_datetime_is_ignored_by_collections_without_time(client, ogc_data):
    data = client.get("/ogc/collections/jurisdiction-stadtgrenze/items", {"datetime": "1990-01-01T00:00:00Z"}).json()
    assert data["numberMatched"] == 1


# --- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "description"), [
    ({"bbox": "12,50,13"}, "bbox muss vier durch Kommas getrennte Zahlen enthalten: minLon,minLat,maxLon,maxLat "
                           "(WGS 84, CRS84)."),
    ({"bbox": "a,b,c,d"}, "bbox muss vier durch Kommas getrennte Zahlen enthalten: minLon,minLat,maxLon,maxLat "
                          "(WGS 84, CRS84)."),
    ({"bbox": "12,50,nan,51"}, "bbox muss vier durch Kommas getrennte Zahlen enthalten: minLon,minLat,maxLon,"
                               "maxLat (WGS 84, CRS84)."),
    ({"bbox": "12,50,200,51"}, "bbox liegt außerhalb von WGS 84: Längen von -180 bis 180, Breiten von -90 bis 90."),
    ({"bbox": "12,51,13,50"}, "bbox: die südliche Breite muss kleiner oder gleich der nördlichen sein."),
    ({"limit": "0"}, "limit muss mindestens 1 sein."),
    ({"limit": "-5"}, "limit muss eine ganze Zahl sein, nicht „-5“."),
    ({"limit": "zehn"}, "limit muss eine ganze Zahl sein, nicht „zehn“."),
    ({"limit": "2.5"}, "limit muss eine ganze Zahl sein, nicht „2.5“."),
    ({"offset": "-1"}, "offset muss eine ganze Zahl sein, nicht „-1“."),
    ({"datetime": "gestern"}, "datetime: „gestern“ ist kein Zeitpunkt nach RFC 3339 (z. B. 2024-03-01T08:00:00Z) "
                              "oder Intervall (Start/Ende, offen mit ..)."),
    ({"datetime": "2024-03-01T08:00:00"}, "datetime: „2024-03-01T08:00:00“ ist kein Zeitpunkt nach RFC 3339 "
                                          "(z. B. 2024-03-01T08:00:00Z) oder Intervall (Start/Ende, offen mit ..)."),
    ({"datetime": "2024-02-30T08:00:00Z"}, "datetime: „2024-02-30T08:00:00Z“ ist kein gültiger Zeitpunkt."),
    ({"datetime": "2024-02-30"}, "datetime: „2024-02-30“ ist kein gültiges Datum."),
    ({"datetime": "2024-03-05T00:00:00Z/2024-03-01T00:00:00Z"},
     "datetime: der Beginn des Intervalls liegt nach seinem Ende."),
    ({"datetime": "2024-03-01/2024-03-02/2024-03-03"}, "datetime: ein Intervall hat genau einen Schrägstrich."),
    ({"f": "xml"}, "Unbekanntes Format f=xml. Erlaubt sind: json, html."),
    ({"sortby": "name"}, "sortby: „name“ ist keine abfragbare Eigenschaft. Möglich sind: id, category, status, "
                         "description, department, supporter_count, created_at, updated_at, closed_at."),
    ({"bbox-crs": "x", "bbox": "1,2,3,4"}, "bbox-crs: das Koordinatenreferenzsystem „x“ wird nicht unterstützt. "
                                          "Möglich sind: " + ", ".join(SUPPORTED_CRS) + "."),
    ({"q": "loch"}, "Unbekannter Parameter: q. Erlaubt sind: bbox, bbox-crs, category, closed_at, created_at, crs, "
                    "datetime, department, description, f, filter, filter-crs, filter-lang, id, limit, offset, "
                    "properties, sortby, status, supporter_count, updated_at."),
])
def test_bad_items_parameters(client, ogc_data, params, description):
    response = client.get("/ogc/collections/reports/items", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "InvalidParameterValue", "description": description}


def test_repeated_parameter(client, ogc_data):
    response = client.get("/ogc/collections/reports/items?limit=1&limit=2")
    assert response.status_code == 400
    assert response.json()["description"] == "Der Parameter limit darf nur einmal angegeben werden."


@pytest.mark.parametrize(("path", "allowed"), [
    ("/ogc/", "f"), ("/ogc/conformance", "f"), ("/ogc/api", "f"), ("/ogc/collections", "f"),
    ("/ogc/collections/reports", "f"), ("/ogc/collections/reports/queryables", "f"),
    ("/ogc/collections/reports/items/1", "crs, f")])
def test_unknown_parameter_on_other_endpoints(client, ogc_data, path, allowed):
    response = client.get(path, {"limit": "5"})
    assert response.status_code == 400
    assert response.json() == {"code": "InvalidParameterValue",
                               "description": f"Unbekannter Parameter: limit. Erlaubt sind: {allowed}."}


@pytest.mark.parametrize(("path", "description"), [
    ("/ogc/collections/meldungen", "Die Sammlung „meldungen“ gibt es nicht."),
    ("/ogc/collections/meldungen/items", "Die Sammlung „meldungen“ gibt es nicht."),
    ("/ogc/collections/jurisdiction-gibtsnicht/items", "Die Sammlung „jurisdiction-gibtsnicht“ gibt es nicht."),
    ("/ogc/collections/resource-kein-uuid", "Die Sammlung „resource-kein-uuid“ gibt es nicht."),
    ("/ogc/collections/reports/items/999999", "Das Objekt „999999“ gibt es in der Sammlung „reports“ nicht."),
    ("/ogc/collections/reports/items/abc", "Das Objekt „abc“ gibt es in der Sammlung „reports“ nicht."),
    ("/ogc/collections/reports/items/99999999999999999999",
     "Das Objekt „99999999999999999999“ gibt es in der Sammlung „reports“ nicht."),
])
def test_not_found(client, ogc_data, path, description):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"code": "NotFound", "description": description}


def test_unlisted_resources_are_not_found(client, ogc_data):
    for resource in ogc_data.hidden_resources:
        for path in (f"/ogc/collections/resource-{resource.id}", f"/ogc/collections/resource-{resource.id}/items",
                     f"/ogc/collections/resource-{resource.id}/items/1"):
            assert client.get(path).status_code == 404, path


def test_post_is_not_allowed(client):
    assert client.post("/ogc/collections").status_code == 405


# --- features and privacy -------------------------------------------------------------------

def test_single_report_feature(client, ogc_data):
    report = ogc_data.visible[0]
    response = client.get(f"/ogc/collections/reports/items/{report.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == report.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [12.005, 50.855]}
    assert feature["properties"] == {
        "id": report.pk, "category": "schlagloch", "category_name": "Schlagloch", "status": "open",
        "description": "Schlagloch Nummer 0", "department": "Tiefbauamt", "supporter_count": 0,
        "created_at": "2024-03-01T08:00:00Z", "updated_at": "2024-03-01T08:00:00Z", "closed_at": None,
    }
    links = _links(feature)
    assert links[("self", "application/geo+json")] == f"{BASE}/collections/reports/items/{report.pk}?f=json"
    assert links[("alternate", "text/html")] == f"{BASE}/collections/reports/items/{report.pk}?f=html"
    assert links[("collection", "application/json")] == f"{BASE}/collections/reports?f=json"


def test_english_category_names(client, ogc_data):
    data = client.get("/ogc/collections/reports/items", {"limit": 1}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["features"][0]["properties"]["category_name"] == "Pothole"


def test_hidden_reports_and_personal_data_never_appear(client, ogc_data):
    hidden_ids = {r.pk for r in ogc_data.hidden}
    bodies = []
    for f in ("json", "html"):
        response = client.get("/ogc/collections/reports/items", {"limit": 1000, "f": f})
        bodies.append(response.content.decode())
    data = json.loads(bodies[0])
    assert hidden_ids.isdisjoint(f["id"] for f in data["features"])
    for report in ogc_data.hidden:
        assert client.get(f"/ogc/collections/reports/items/{report.pk}").status_code == 404
    for report in ogc_data.visible:
        bodies.append(client.get(f"/ogc/collections/reports/items/{report.pk}").content.decode())
    bodies.append(client.get(f"/ogc/collections/reports/items/{ogc_data.visible[0].pk}",
                             {"f": "html"}).content.decode())
    for body in bodies:
        for secret in (SECRET.name, SECRET.email, SECRET.phone, SECRET.description, "tracking_token",
                       ogc_data.visible[0].tracking_token, "Schlagloch Nummer 24", "Schlagloch Nummer 25"):
            assert secret not in body


def test_unmoderated_text_stays_private(client, ogc_data):
    pending = next(r for r in ogc_data.visible if r.moderation == Report.Moderation.PENDING)
    feature = client.get(f"/ogc/collections/reports/items/{pending.pk}").json()
    assert feature["properties"]["description"] == ""


def test_layer_features(client, ogc_data):
    area = ogc_data.city.neighbours.areas.get()
    area.attributes = {"kreis": "GRZ", "name": "wird überschrieben"}
    area.code = "16076"
    area.save()
    data = client.get("/ogc/collections/jurisdiction-nachbarn/items").json()
    assert data["numberMatched"] == 1
    feature = data["features"][0]
    assert feature["id"] == area.pk
    assert feature["properties"] == {"kreis": "GRZ", "name": "Landkreis Greiz", "code": "16076",
                                     "authority": "Landratsamt Greiz"}
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert feature["geometry"]["coordinates"][0][0][0] == [11.9, 50.8]


def test_resource_features(client, ogc_data):
    path = f"/ogc/collections/resource-{ogc_data.resource.id}/items"
    data = client.get(path).json()
    assert data["numberMatched"] == 3
    assert [(f["id"], f["geometry"]["type"], f["properties"]) for f in data["features"]] == [
        (1, "Point", {"name": "Baustelle Nord", "bis": "2024-06-30"}),
        (2, "Point", {"name": "Baustelle Süd", "bis": None}),
        (3, "LineString", {"name": "Umleitung"}),
    ]
    assert _ids(client, path, bbox="12.015,50.865,12.025,50.875") == [3]
    one = client.get(f"{path}/2").json()
    assert one["properties"]["name"] == "Baustelle Süd"


def test_coordinates_are_rounded_to_six_decimals(client, ogc_data):
    ogc_data.features[0].geometry = "SRID=4326;POINT(12.123456789 50.987654321)"
    ogc_data.features[0].save()
    feature = client.get(f"/ogc/collections/resource-{ogc_data.resource.id}/items/1").json()
    assert feature["geometry"]["coordinates"] == [12.123457, 50.987654]


def test_items_html(client, ogc_data):
    response = client.get("/ogc/collections/reports/items", {"f": "html", "limit": 5, "offset": 5})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert "Objekte 6 bis 10 von 24." in html
    ids = sorted(r.pk for r in ogc_data.visible)[5:10]
    for pk in ids:
        assert f'href="/ogc/collections/reports/items/{pk}?f=html">{pk}</a>' in html
    assert 'rel="next"' in html and 'rel="prev"' in html
    assert "offset=10" in html and "f=html" in html


def test_item_html(client, ogc_data):
    report = ogc_data.visible[1]
    response = client.get(f"/ogc/collections/reports/items/{report.pk}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>Objekt {report.pk}</h1>" in html
    assert "Schlagloch Nummer 1" in html


def test_items_link_header(client, ogc_data):
    """Part 3 /req/queryables/get-queryables-uris: a HEAD of the filterable resource finds
    its queryables in the Link header (RFC 8288, parsed here by requests' parser)."""
    response = client.head("/ogc/collections/reports/items", {"bbox": "12,50.85,12.036,50.866", "limit": "4"},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    links = parse_header_links(response["Link"])
    assert {(link["rel"], link["type"]) for link in links} == {
        ("self", "application/geo+json"), ("alternate", "text/html"), ("collection", "application/json"),
        ("http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json"),
        ("next", "application/geo+json")}
    assert f'<{BASE}/collections/reports/queryables>; rel="http://www.opengis.net/def/rel/ogc/1.0/queryables"' \
        in response["Link"]
    # The bbox's commas are percent-encoded: they would split the header's list.
    self_link = next(link for link in links if link["rel"] == "self")
    assert "bbox=12%2C50.85%2C12.036%2C50.866" in self_link["url"]
