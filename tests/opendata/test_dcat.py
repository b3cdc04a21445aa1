"""DCAT-AP.de catalogue: every serialisation parsed back with rdflib, the exact triples
GovData needs, Hydra paging, visibility (private/deleted never appear), errors, query count."""
import hashlib
import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.gis.geos import GEOSGeometry, Point
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from opendata.dcat.namespaces import DCAT, DCATDE, DCT, FOAF, GEOJSON_LITERAL, GSP, HYDRA, LOCN, RDF, SPDX, VCARD, XSD
from opendata.models import Dataset
from tests.opendata.factories import DatasetFactory, GroupFactory, OrganizationFactory, ResourceFactory, bbox_polygon

pytestmark = pytest.mark.django_db

SITE = "https://daten.stadt.example"
START = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
CSV = b"lon,lat,art\n12.08,50.88,Baustelle\n"
PARSERS = {"ttl": "turtle", "rdf": "xml", "xml": "xml", "jsonld": "json-ld"}
MEDIA_TYPES = {"ttl": "text/turtle", "rdf": "application/rdf+xml", "xml": "application/rdf+xml",
               "jsonld": "application/ld+json"}
THEME = "http://publications.europa.eu/resource/authority/data-theme/"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def parse(response, fmt: str) -> Graph:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == f"{MEDIA_TYPES[fmt]}; charset=utf-8"
    return Graph().parse(data=response.content, format=PARSERS[fmt])


@pytest.fixture
def published(org, editor_token, upload, ckan):
    """One fully described public dataset with an upload and a link, plus a private and a
    deleted one that must never show."""
    # The theme groups come from a data migration, which transactional tests flush.
    GroupFactory(name="tran", title="Verkehr", theme="TRAN")
    GroupFactory(name="regi", title="Regionen und Städte", theme="REGI")
    org.email = "tiefbau@stadt.example"
    org.homepage = "https://www.stadt.example/tiefbau"
    org.save()
    with time_machine.travel(START, tick=False):
        dataset = DatasetFactory(
            name="baustellen", title="Baustellen", notes="Aktuelle Baustellen im Stadtgebiet", owner_org=org,
            license_id="dl-by-de/2.0", tags=["baustellen", "verkehr"], groups=["tran", "regi"],
            contributor_id="http://dcat-ap.de/def/contributors/stadtGera",
            maintainer="Tiefbauamt, Sachgebiet Baustellen", maintainer_email="baustellen@stadt.example",
            author="Erika Mustermann", author_email="erika.privat@example.org",
            spatial=bbox_polygon(12.0, 50.85, 12.1, 50.9), temporal_start=date(2024, 1, 1),
            temporal_end=date(2024, 12, 31), frequency="WEEKLY", version="1.2",
            url="https://www.stadt.example/baustellen",
        )
        link = ResourceFactory(package=dataset, name="Karte", description="Als GeoJSON",
                               url="https://geo.stadt.example/baustellen.geojson", format="GeoJSON",
                               mimetype="application/geo+json", size=2048, position=0)
        response = upload("resource_create", {"package_id": dataset.name, "name": "Liste"}, editor_token,
                          content=CSV)
        assert response.status_code == 200, response.content
        DatasetFactory(name="intern", title="Interne Liste", owner_org=org, private=True)
        DatasetFactory(name="geloescht", title="Gelöschte Liste", owner_org=org, state=Dataset.State.DELETED)
    dataset.refresh_from_db()
    return {"dataset": dataset, "link": link, "upload": dataset.resources.get(name="Liste")}


def dataset_ref(dataset) -> URIRef:
    return URIRef(f"{SITE}/dataset/{dataset.pk}")


def one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


# --- formats ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["ttl", "rdf", "xml", "jsonld"])
def test_catalog_parses_in_every_format(client, published, fmt):
    graph = parse(client.get(f"/catalog.{fmt}"), fmt)
    catalog = URIRef(SITE + "/")
    # The catalogue's URI is also its homepage, a foaf:Document (DCAT-AP's range).
    assert set(graph.objects(catalog, RDF.type)) == {DCAT.Catalog, FOAF.Document}
    assert list(graph.objects(catalog, DCAT.dataset)) == [dataset_ref(published["dataset"])]
    assert one(graph, dataset_ref(published["dataset"]), DCT.title) == Literal("Baustellen")
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == 2


def test_all_formats_carry_the_same_graph(client, published):
    graphs = {fmt: parse(client.get(f"/catalog.{fmt}"), fmt) for fmt in PARSERS}
    for fmt, graph in graphs.items():
        # The Hydra node is the page's own URL, which differs by format.
        node = URIRef(f"{SITE}/catalog.{fmt}?page=1")
        assert (node, RDF.type, HYDRA.PagedCollection) in graph
        graph.remove((node, None, None))
    assert len(graphs["ttl"]) > 60
    for fmt in ("rdf", "xml", "jsonld"):
        assert isomorphic(graphs["ttl"], graphs[fmt]), fmt


def test_catalog_node(client, published, settings):
    settings.OPENDATA = {"SITE_TITLE": "Offene Daten Teststadt", "SITE_DESCRIPTION": "Daten der Teststadt",
                         "CATALOG_PUBLISHER_NAME": "Stadt Teststadt"}
    graph = parse(client.get("/catalog.ttl"), "ttl")
    catalog = URIRef(SITE + "/")
    assert one(graph, catalog, DCT.title) == Literal("Offene Daten Teststadt")
    assert one(graph, catalog, DCT.description) == Literal("Daten der Teststadt")
    assert one(graph, catalog, FOAF.homepage) == URIRef(SITE + "/")
    assert one(graph, catalog, DCT.language) == URIRef("http://publications.europa.eu/resource/authority/language/DEU")
    assert one(graph, catalog, DCT.modified) == Literal(
        published["dataset"].metadata_modified.isoformat(), datatype=XSD.dateTime)
    publisher = one(graph, catalog, DCT.publisher)
    assert one(graph, publisher, FOAF.name) == Literal("Stadt Teststadt")
    assert set(graph.objects(publisher, RDF.type)) == {FOAF.Agent, FOAF.Organization}


# --- dataset triples ----------------------------------------------------------------------

def test_dataset_triples(client, published):
    dataset = published["dataset"]
    graph = parse(client.get("/dataset/baustellen.ttl"), "ttl")
    ref = dataset_ref(dataset)
    assert one(graph, ref, RDF.type) == DCAT.Dataset
    assert one(graph, ref, DCT.identifier) == Literal(str(dataset.pk))
    assert one(graph, ref, DCT.description) == Literal("Aktuelle Baustellen im Stadtgebiet")
    assert set(graph.objects(ref, DCAT.keyword)) == {Literal("baustellen"), Literal("verkehr")}
    assert set(graph.objects(ref, DCAT.theme)) == {URIRef(THEME + "TRAN"), URIRef(THEME + "REGI")}
    assert one(graph, ref, DCATDE.contributorID) == URIRef("http://dcat-ap.de/def/contributors/stadtGera")
    assert one(graph, ref, DCAT.landingPage) == URIRef(f"{SITE}/dataset/baustellen")
    assert one(graph, ref, FOAF.page) == URIRef("https://www.stadt.example/baustellen")
    assert one(graph, ref, DCT.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/WEEKLY")
    assert one(graph, ref, DCT.issued) == Literal("2024-03-01T08:00:00+00:00", datatype=XSD.dateTime)
    assert one(graph, ref, DCT.modified) == Literal("2024-03-01T08:00:00+00:00", datatype=XSD.dateTime)
    assert one(graph, ref, DCT.accessRights) == URIRef(
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC")

    publisher = one(graph, ref, DCT.publisher)
    assert publisher == URIRef(f"{SITE}/organization/{dataset.owner_org_id}")
    assert set(graph.objects(publisher, RDF.type)) == {FOAF.Agent, FOAF.Organization}
    assert one(graph, publisher, FOAF.name) == Literal("Tiefbauamt")
    assert one(graph, publisher, FOAF.mbox) == URIRef("mailto:tiefbau@stadt.example")
    assert one(graph, publisher, FOAF.homepage) == URIRef("https://www.stadt.example/tiefbau")

    contact = one(graph, ref, DCAT.contactPoint)
    assert set(graph.objects(contact, RDF.type)) == {VCARD.Kind, VCARD.Organization}
    assert one(graph, contact, VCARD.fn) == Literal("Tiefbauamt, Sachgebiet Baustellen")
    assert one(graph, contact, VCARD.hasEmail) == URIRef("mailto:baustellen@stadt.example")
    maintainer = one(graph, ref, DCATDE.maintainer)
    assert one(graph, maintainer, FOAF.name) == Literal("Tiefbauamt, Sachgebiet Baustellen")
    assert one(graph, maintainer, FOAF.mbox) == URIRef("mailto:baustellen@stadt.example")

    period = one(graph, ref, DCT.temporal)
    assert one(graph, period, RDF.type) == DCT.PeriodOfTime
    assert one(graph, period, DCAT.startDate) == Literal("2024-01-01", datatype=XSD.date)
    assert one(graph, period, DCAT.endDate) == Literal("2024-12-31", datatype=XSD.date)


def test_spatial_extent(client, published):
    graph = parse(client.get("/dataset/baustellen.ttl"), "ttl")
    location = one(graph, dataset_ref(published["dataset"]), DCT.spatial)
    assert one(graph, location, RDF.type) == DCT.Location
    # Exactly one locn:geometry (DCAT-AP.de): the GeoJSON.
    geometry = one(graph, location, LOCN.geometry)
    assert geometry.datatype == GEOJSON_LITERAL
    geojson = json.loads(str(geometry))
    assert geojson["type"] == "Polygon"
    assert geojson["coordinates"] == [[[12.0, 50.85], [12.0, 50.9], [12.1, 50.9], [12.1, 50.85], [12.0, 50.85]]]
    expected = bbox_polygon(12.0, 50.85, 12.1, 50.9)
    assert GEOSGeometry(geometry, srid=4326).equals(expected)
    bbox = one(graph, location, DCAT.bbox)
    assert bbox.datatype == GSP.wktLiteral
    assert str(bbox) == "POLYGON ((12 50.85, 12 50.9, 12.1 50.9, 12.1 50.85, 12 50.85))"
    centroid = one(graph, location, DCAT.centroid)
    assert GEOSGeometry(str(centroid)).equals_exact(Point(12.05, 50.875), tolerance=1e-9)


def test_point_extent_has_no_bbox(client, org):
    DatasetFactory(name="denkmal", owner_org=org, spatial=Point(12.0812345678, 50.8798765432, srid=4326))
    graph = parse(client.get("/dataset/denkmal.ttl"), "ttl")
    location = next(graph.objects(None, DCT.spatial))
    assert list(graph.objects(location, DCAT.bbox)) == []
    geometry = one(graph, location, LOCN.geometry)
    assert json.loads(str(geometry)) == {"type": "Point", "coordinates": [12.0812346, 50.8798765]}
    assert str(one(graph, location, DCAT.centroid)) == "POINT (12.0812346 50.8798765)"


def test_distributions(client, published):
    dataset, link, uploaded = published["dataset"], published["link"], published["upload"]
    graph = parse(client.get("/dataset/baustellen.rdf"), "rdf")
    ref = dataset_ref(dataset)
    upload_ref = URIRef(f"{SITE}/dataset/{dataset.pk}/resource/{uploaded.pk}")
    link_ref = URIRef(f"{SITE}/dataset/{dataset.pk}/resource/{link.pk}")
    assert set(graph.objects(ref, DCAT.distribution)) == {upload_ref, link_ref}

    download = URIRef(f"{SITE}/dataset/{dataset.pk}/resource/{uploaded.pk}/download/baustellen.csv")
    assert one(graph, upload_ref, DCT.title) == Literal("Liste")
    assert one(graph, upload_ref, DCAT.accessURL) == download
    assert one(graph, upload_ref, DCAT.downloadURL) == download
    assert one(graph, upload_ref, DCT["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV")
    assert one(graph, upload_ref, DCAT.mediaType) == URIRef("http://www.iana.org/assignments/media-types/text/csv")
    assert one(graph, upload_ref, DCAT.byteSize) == Literal(f"{len(CSV)}.0", datatype=XSD.decimal)
    checksum = one(graph, upload_ref, SPDX.checksum)
    assert one(graph, checksum, RDF.type) == SPDX.Checksum
    assert one(graph, checksum, SPDX.algorithm) == URIRef("http://dcat-ap.de/def/hashAlgorithms/sha/256")
    assert one(graph, checksum, SPDX.checksumValue) == Literal(hashlib.sha256(CSV).hexdigest(),
                                                               datatype=XSD.hexBinary)
    licence = URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    assert one(graph, upload_ref, DCT.license) == licence
    assert one(graph, upload_ref, DCATDE.licenseAttributionByText) == Literal("Tiefbauamt")
    assert one(graph, upload_ref, DCT.modified) == Literal("2024-03-01T08:00:00+00:00", datatype=XSD.dateTime)

    assert one(graph, link_ref, DCT.title) == Literal("Karte")
    assert one(graph, link_ref, DCT.description) == Literal("Als GeoJSON")
    assert one(graph, link_ref, DCAT.accessURL) == URIRef("https://geo.stadt.example/baustellen.geojson")
    assert list(graph.objects(link_ref, DCAT.downloadURL)) == []
    assert one(graph, link_ref, DCT["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/GEOJSON")
    assert one(graph, link_ref, DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/application/geo+json")
    assert one(graph, link_ref, DCAT.byteSize) == Literal("2048.0", datatype=XSD.decimal)
    assert list(graph.objects(link_ref, SPDX.checksum)) == []
    assert one(graph, link_ref, DCT.license) == licence


def test_formats_outside_the_vocabularies(client, org):
    dataset = DatasetFactory(name="sonstiges", owner_org=org, license_id="dl-zero-de/2.0", maintainer="",
                             maintainer_email="")
    resource = ResourceFactory(package=dataset, url="https://x.example/a.shp.zip", format="Esri-Shape-Zip",
                               mimetype="application/x-zipped-shp", hash="abc123")
    graph = parse(client.get("/dataset/sonstiges.jsonld"), "jsonld")
    ref = URIRef(f"{SITE}/dataset/{dataset.pk}/resource/{resource.pk}")
    # DCAT-AP.de takes only EU file-type IRIs: no free-text dct:format.
    assert list(graph.objects(ref, DCT["format"])) == []
    assert list(graph.objects(ref, DCAT.mediaType)) == []
    assert list(graph.objects(ref, SPDX.checksum)) == []
    # A licence without attribution duty gets no attribution text.
    assert one(graph, ref, DCT.license) == URIRef("http://dcat-ap.de/def/licenses/dl-zero-de/2.0")
    assert list(graph.objects(ref, DCATDE.licenseAttributionByText)) == []
    # No maintainer: no contact point (the author is never used).
    assert list(graph.objects(None, DCAT.contactPoint)) == []


def test_attribution_text_from_extras(client, org):
    dataset = DatasetFactory(name="mit-text", owner_org=org, license_id="cc-by/4.0",
                             extras={"licenseAttributionByText": "Stadt Teststadt, Tiefbauamt (2024)"})
    ResourceFactory(package=dataset)
    graph = parse(client.get("/dataset/mit-text.ttl"), "ttl")
    assert one(graph, None, DCATDE.licenseAttributionByText) == Literal("Stadt Teststadt, Tiefbauamt (2024)")


# --- privacy and visibility ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_private_deleted_and_personal_data_never_appear(client, published, fmt):
    response = client.get(f"/catalog.{fmt}")
    body = response.content.decode()
    for hidden in ("intern", "Interne Liste", "geloescht", "Gelöschte Liste", "Erika", "erika.privat",
                   "redakteurin"):
        assert hidden not in body
    graph = parse(response, fmt)
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 1


@pytest.mark.parametrize("name", ["intern", "geloescht", "gibt-es-nicht"])
def test_dataset_404(client, published, name):
    for fmt in ("ttl", "rdf", "jsonld"):
        response = client.get(f"/dataset/{name}.{fmt}")
        assert response.status_code == 404
        assert response.content.decode() == "Datensatz nicht gefunden.\n"


def test_dataset_in_each_format(client, published):
    graphs = [parse(client.get(f"/dataset/baustellen.{fmt}"), fmt) for fmt in ("ttl", "rdf", "xml", "jsonld")]
    assert all(isomorphic(graphs[0], other) for other in graphs[1:])
    assert len(list(graphs[0].subjects(RDF.type, DCAT.Catalog))) == 0


# --- paging -------------------------------------------------------------------------------

@pytest.fixture
def five(settings, db):
    settings.OPENDATA = {"DCAT_DATASETS_PER_PAGE": 2}
    org = OrganizationFactory(name="umweltamt", title="Umweltamt")
    for i in range(5):
        with time_machine.travel(START + timedelta(days=i), tick=False):
            DatasetFactory(name=f"daten-{i}", owner_org=org)
    DatasetFactory(name="daten-privat", owner_org=org, private=True)


def paging(graph: Graph):
    nodes = list(graph.subjects(RDF.type, HYDRA.PagedCollection))
    assert len(nodes) == 1
    node = nodes[0]
    return node, {p.split("#")[1]: o for p, o in graph.predicate_objects(node) if p != RDF.type}


def names(graph: Graph) -> list[str]:
    return sorted(str(o) for s in graph.subjects(RDF.type, DCAT.Dataset) for o in graph.objects(s, DCAT.landingPage))


def test_paging_first_middle_last(client, five):
    graph = parse(client.get("/catalog.ttl"), "ttl")
    node, info = paging(graph)
    assert node == URIRef(f"{SITE}/catalog.ttl?page=1")
    assert info == {
        "totalItems": Literal(5, datatype=XSD.integer), "itemsPerPage": Literal(2, datatype=XSD.integer),
        "firstPage": Literal(f"{SITE}/catalog.ttl?page=1"), "lastPage": Literal(f"{SITE}/catalog.ttl?page=3"),
        "nextPage": Literal(f"{SITE}/catalog.ttl?page=2"),
    }
    assert names(graph) == [f"{SITE}/dataset/daten-0", f"{SITE}/dataset/daten-1"]

    _node, info = paging(parse(client.get("/catalog.ttl?page=2"), "ttl"))
    assert info["nextPage"] == Literal(f"{SITE}/catalog.ttl?page=3")
    assert info["previousPage"] == Literal(f"{SITE}/catalog.ttl?page=1")

    graph = parse(client.get("/catalog.rdf?page=3"), "rdf")
    _node, info = paging(graph)
    assert "nextPage" not in info
    assert info["previousPage"] == Literal(f"{SITE}/catalog.rdf?page=2")
    assert names(graph) == [f"{SITE}/dataset/daten-4"]


def test_walking_next_pages_collects_every_public_dataset(client, five):
    url, seen = "/catalog.jsonld", []
    while url:
        graph = parse(client.get(url), "jsonld")
        seen += names(graph)
        _node, info = paging(graph)
        url = str(info["nextPage"]).removeprefix(SITE) if "nextPage" in info else None
    assert seen == [f"{SITE}/dataset/daten-{i}" for i in range(5)]


def test_modified_since(client, five):
    graph = parse(client.get("/catalog.ttl?modified_since=2024-03-04"), "ttl")
    _node, info = paging(graph)
    assert info["totalItems"] == Literal(2, datatype=XSD.integer)
    assert info["firstPage"] == Literal(f"{SITE}/catalog.ttl?modified_since=2024-03-04&page=1")
    assert "nextPage" not in info
    assert names(graph) == [f"{SITE}/dataset/daten-3", f"{SITE}/dataset/daten-4"]
    # The catalogue's dct:modified stays the last change of the whole catalogue.
    assert one(graph, URIRef(SITE + "/"), DCT.modified) == Literal("2024-03-05T08:00:00+00:00",
                                                                  datatype=XSD.dateTime)
    later = parse(client.get("/catalog.ttl?modified_since=2024-03-05T08:00:01%2B00:00"), "ttl")
    assert paging(later)[1]["totalItems"] == Literal(0, datatype=XSD.integer)
    assert names(later) == []
    exact = parse(client.get("/catalog.ttl?modified_since=2024-03-05T08:00:00"), "ttl")
    assert names(exact) == [f"{SITE}/dataset/daten-4"]


@pytest.mark.parametrize("query, message", [
    ("page=0", "Der Parameter „page“ muss eine positive ganze Zahl sein."),
    ("page=-1", "Der Parameter „page“ muss eine positive ganze Zahl sein."),
    ("page=zwei", "Der Parameter „page“ muss eine positive ganze Zahl sein."),
    ("page=", "Der Parameter „page“ muss eine positive ganze Zahl sein."),
    ("modified_since=gestern", "Der Parameter „modified_since“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein, "
                               "z. B. 2024-05-01 oder 2024-05-01T12:00:00Z."),
    ("modified_since=2024-13-45", "Der Parameter „modified_since“ muss ein Datum oder Zeitpunkt nach ISO 8601 "
                                  "sein, z. B. 2024-05-01 oder 2024-05-01T12:00:00Z."),
])
def test_invalid_parameters_400(client, five, query, message):
    response = client.get(f"/catalog.ttl?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == message + "\n"


def test_page_past_the_end_404(client, five):
    assert client.get("/catalog.ttl?page=4").status_code == 404
    assert client.get("/catalog.ttl?page=3").status_code == 200


def test_empty_catalogue(client, db):
    graph = parse(client.get("/catalog.ttl"), "ttl")
    _node, info = paging(graph)
    assert info["totalItems"] == Literal(0, datatype=XSD.integer)
    assert info["lastPage"] == Literal(f"{SITE}/catalog.ttl?page=1")
    assert list(graph.objects(URIRef(SITE + "/"), DCT.modified)) == []


def test_default_page_size_is_ckanext_dcat_s(client, db):
    org = OrganizationFactory(name="amt")
    Dataset.objects.bulk_create([Dataset(name=f"d-{i:03d}", title=f"D {i}", owner_org=org) for i in range(101)])
    graph = parse(client.get("/catalog.ttl"), "ttl")
    _node, info = paging(graph)
    assert info["itemsPerPage"] == Literal(100, datatype=XSD.integer)
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 100
    assert len(list(parse(client.get("/catalog.ttl?page=2"), "ttl").subjects(RDF.type, DCAT.Dataset))) == 1


# --- negotiation, queries -----------------------------------------------------------------

@pytest.mark.parametrize("accept, fmt", [
    ("", "ttl"), ("*/*", "ttl"), ("text/turtle", "ttl"), ("application/rdf+xml", "rdf"),
    ("application/ld+json", "jsonld"), ("text/html,application/xhtml+xml,*/*;q=0.8", "ttl"),
    ("application/rdf+xml;q=0.5, application/ld+json", "jsonld"),
])
def test_catalog_content_negotiation(client, published, accept, fmt):
    response = client.get("/catalog", HTTP_ACCEPT=accept)
    parse(response, fmt)
    assert "Accept" in [value.strip() for value in response["Vary"].split(",")]


def test_catalog_negotiation_406(client, published):
    response = client.get("/catalog", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response.content.decode() == "Verfügbare Formate: text/turtle, application/rdf+xml, application/ld+json.\n"


def test_catalog_query_count_is_constant(client, db, django_assert_num_queries):
    org = OrganizationFactory(name="amt")
    for i in range(3):
        dataset = DatasetFactory(name=f"klein-{i}", owner_org=org, tags=["a", "b"], groups=["tran"])
        ResourceFactory(package=dataset)
    with django_assert_num_queries(5):
        assert client.get("/catalog.ttl").status_code == 200
    for i in range(30):
        dataset = DatasetFactory(name=f"gross-{i}", owner_org=OrganizationFactory(name=f"amt-{i}"),
                                 tags=[f"t{i}"], groups=["envi"])
        ResourceFactory(package=dataset)
        ResourceFactory(package=dataset)
    with django_assert_num_queries(5):
        graph = parse(client.get("/catalog.ttl"), "ttl")
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) == 63


def test_methods(client, published):
    assert client.post("/catalog.ttl").status_code == 405
    assert client.head("/catalog.ttl").status_code == 200
