"""The DCAT catalogue from a live server, fetched with `requests` as a harvester does,
following the Hydra next-page links to the end."""
import pytest
import requests
from rdflib import Graph, URIRef

from opendata.dcat.namespaces import DCAT, DCATDE, DCT, FOAF, HYDRA, RDF
from tests.opendata.factories import DatasetFactory, OrganizationFactory, ResourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_live_catalog_ttl_paged(site, settings):
    settings.OPENDATA = {"DCAT_DATASETS_PER_PAGE": 3}
    org = OrganizationFactory(name="vermessungsamt", title="Vermessungsamt")
    for i in range(7):
        dataset = DatasetFactory(name=f"karte-{i}", owner_org=org, groups=["regi"],
                                 contributor_id="http://dcat-ap.de/def/contributors/stadtGera")
        ResourceFactory(package=dataset, url=f"https://geo.example/{i}.geojson", format="GeoJSON")
    DatasetFactory(name="karte-intern", owner_org=org, private=True)

    url, datasets, pages = f"{site}/catalog.ttl", [], 0
    while url:
        response = requests.get(url, timeout=10)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
        graph = Graph().parse(data=response.text, format="turtle")
        pages += 1
        # Pages are in name order; within a page the graph has no order.
        datasets += sorted(str(graph.value(ref, DCAT.landingPage)) for ref in graph.subjects(RDF.type, DCAT.Dataset))
        for ref in graph.subjects(RDF.type, DCAT.Dataset):
            publisher = graph.value(ref, DCT.publisher)
            assert str(graph.value(publisher, FOAF.name)) == "Vermessungsamt"
            assert graph.value(ref, DCATDE.contributorID) == URIRef("http://dcat-ap.de/def/contributors/stadtGera")
        paging = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert graph.value(paging, HYDRA.totalItems).toPython() == 7
        next_page = graph.value(paging, HYDRA.nextPage)
        url = str(next_page) if next_page is not None else None
    assert pages == 3
    assert datasets == [f"{site}/dataset/karte-{i}" for i in range(7)]

    single = requests.get(f"{site}/dataset/karte-1.jsonld", timeout=10)
    assert single.status_code == 200
    graph = Graph().parse(data=single.text, format="json-ld")
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 1
    assert requests.get(f"{site}/dataset/karte-intern.ttl", timeout=10).status_code == 404
