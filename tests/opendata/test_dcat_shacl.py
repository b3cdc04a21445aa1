"""DCAT-AP.de catalogue against SHACL shapes (pyshacl): our own shapes in
tests/opendata/shapes/ cover the mandatory properties of DCAT-AP and DCAT-AP.de and the
defects GovData's validator found (missing dcatde:contributorID, the SPDX checksum algorithm
URI, two locn:geometry values per location, free-text dct:format)."""
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from opendata.dcat.namespaces import DCAT, DCATDE, DCT, LOCN, RDF, SPDX
from tests.opendata.factories import DatasetFactory, ResourceFactory

# The fully described dataset of test_dcat (fixtures `published` and autouse `_site`).
from tests.opendata.test_dcat import SITE, _site, one, parse, published  # noqa: F401

pytestmark = pytest.mark.django_db

SHAPES = Graph().parse(Path(__file__).parent / "shapes" / "dcat-ap-de.ttl", format="turtle")
CONTRIBUTOR = "http://dcat-ap.de/def/contributors/govData"


def violations(graph: Graph) -> list[tuple[str, str, str]]:
    """(focus node, path, message) of every violation of our shapes."""
    conforms, report, _ = validate(graph, shacl_graph=SHAPES, inference="none")
    results = [(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)),
                str(report.value(r, SH.resultMessage))) for r in report.subjects(RDF.type, SH.ValidationResult)]
    assert conforms == (results == [])
    return results


@pytest.fixture
def catalogue(request, org, settings):
    """The published dataset plus one with a point extent, none of its own contributorID and
    a resource in a format outside the EU vocabulary; the catalogue's contributorID set."""
    described = request.getfixturevalue("published")
    settings.OPENDATA = {"CONTRIBUTOR_ID": CONTRIBUTOR}
    dataset = DatasetFactory(name="denkmal", title="Denkmäler", owner_org=org, contributor_id="",
                             spatial=Point(12.08, 50.88, srid=4326), license_id="dl-zero-de/2.0")
    ResourceFactory(package=dataset, url="https://x.example/denkmal.xyz", format="Esri-Shape-Zip",
                    mimetype="application/x-zipped-shp")
    return {**described, "point": dataset}


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_catalog_conforms_to_our_shapes(client, catalogue, fmt):
    graph = parse(client.get(f"/catalog.{fmt}"), fmt)
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 2
    assert violations(graph) == []


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_dataset_page_conforms_to_our_shapes(client, catalogue, fmt):
    graph = parse(client.get(f"/dataset/denkmal.{fmt}"), fmt)
    assert violations(graph) == []


def test_catalogue_contributor_id_for_datasets_without_one(client, catalogue):
    graph = parse(client.get("/catalog.ttl"), "ttl")
    point = URIRef(f"{SITE}/dataset/{catalogue['point'].pk}")
    published_ref = URIRef(f"{SITE}/dataset/{catalogue['dataset'].pk}")
    assert one(graph, point, DCATDE.contributorID) == URIRef(CONTRIBUTOR)
    # A dataset's own contributorID wins.
    assert one(graph, published_ref, DCATDE.contributorID) == URIRef("http://dcat-ap.de/def/contributors/stadtGera")


def test_missing_contributor_id_violates(client, catalogue, settings):
    settings.OPENDATA = {}
    graph = parse(client.get("/dataset/denkmal.ttl"), "ttl")
    assert list(graph.objects(None, DCATDE.contributorID)) == []
    found = violations(graph)
    assert [(focus, path) for focus, path, _ in found] == [
        (f"{SITE}/dataset/{catalogue['point'].pk}", str(DCATDE.contributorID))]


def test_checksum_algorithm_is_dcat_ap_de(client, catalogue):
    graph = parse(client.get("/dataset/baustellen.ttl"), "ttl")
    checksum = one(graph, None, SPDX.checksum)
    assert one(graph, checksum, SPDX.algorithm) == URIRef("http://dcat-ap.de/def/hashAlgorithms/sha/256")
    graph.set((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    assert [path for _, path, _ in violations(graph)] == [str(SPDX.algorithm)]


@pytest.mark.parametrize("name", ["baustellen", "denkmal"])
def test_location_has_one_geometry(client, catalogue, name):
    graph = parse(client.get(f"/dataset/{name}.ttl"), "ttl")
    location = one(graph, None, DCT.spatial)
    assert len(list(graph.objects(location, LOCN.geometry))) == 1
    graph.add((location, LOCN.geometry, Literal("POINT (12 50)")))
    assert [path for _, path, _ in violations(graph)] == [str(LOCN.geometry)]


def test_free_text_format_violates(client, catalogue):
    graph = parse(client.get("/dataset/denkmal.ttl"), "ttl")
    distribution = one(graph, None, DCAT.distribution)
    assert list(graph.objects(distribution, DCT["format"])) == []
    graph.add((distribution, DCT["format"], Literal("Esri-Shape-Zip")))
    assert {path for _, path, _ in violations(graph)} == {str(DCT["format"])}


@pytest.mark.parametrize("predicate", [DCT.title, DCT.description, DCT.publisher])
def test_mandatory_dataset_properties(client, catalogue, predicate):
    graph = parse(client.get("/dataset/denkmal.ttl"), "ttl")
    graph.remove((None, predicate, None))
    assert str(predicate) in {path for _, path, _ in violations(graph)}


def test_distribution_needs_access_url(client, catalogue):
    graph = parse(client.get("/dataset/denkmal.ttl"), "ttl")
    graph.remove((None, DCAT.accessURL, None))
    assert [path for _, path, _ in violations(graph)] == [str(DCAT.accessURL)]
