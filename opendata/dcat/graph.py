"""DCAT-AP.de graphs of the catalogue and its datasets, built with rdflib.

The mapping follows ckanext-dcat's `euro_dcat_ap_2` profile with ckanext-dcatde's
`dcatap_de` additions (what GovData harvests):

- dcat:Dataset: dct:identifier, dct:title, dct:description, dcat:keyword (tags),
  dcat:theme (EU data themes of the groups), dct:publisher (the organisation, a
  foaf:Agent/foaf:Organization with foaf:name), dcatde:contributorID, dcatde:maintainer
  and dcat:contactPoint (vcard:Organization) from the dataset's *maintainer* fields only
  (never author or any reporter data), dct:spatial (dct:Location with exactly one
  locn:geometry, GeoJSON, as DCAT-AP.de allows no more; dcat:bbox and dcat:centroid as WKT),
  dct:temporal (dct:PeriodOfTime with dcat:startDate/dcat:endDate), dct:accrualPeriodicity (EU frequency), dct:issued,
  dct:modified, dcat:landingPage (our dataset page), foaf:page (the CKAN `url`),
  owl:versionInfo, dct:language, dct:accessRights;
- dcat:Distribution: dct:title, dct:description, dcat:accessURL, dcat:downloadURL
  (uploads), dct:format (EU file type; a format outside that vocabulary is left out, as
  DCAT-AP.de requires an IRI from it), dcat:mediaType (IANA), dcat:byteSize (xsd:decimal,
  as DCAT-AP 2 and ckanext-dcat type it), spdx:checksum (SHA-256, algorithm from the
  DCAT-AP.de hash algorithm list `http://dcat-ap.de/def/hashAlgorithms/`), dct:license
  (DCAT-AP.de licence URI) with dcatde:licenseAttributionByText when the licence requires
  attribution, dct:issued, dct:modified.

Geometries are EPSG:4326 with (lon, lat) axis order: that is also the default CRS of
GeoSPARQL WKT literals (OGC CRS84), so WKT is written without a CRS prefix. Coordinates
are rounded to 7 decimals (about 1 cm).

dcatde:contributorID is the dataset's own, else the catalogue's `OPENDATA["CONTRIBUTOR_ID"]`
(the ID GovData assigned to the delivering portal; the `opendata.W001` check warns while it
is empty). Every IRI of a controlled vocabulary is typed with the class DCAT-AP's range
shapes expect (dct:LinguisticSystem, skos:Concept, dct:Frequency, foaf:Document, ...), as
the vocabularies themselves would state.

The builders make no queries: they expect datasets from `opendata.dcat.selectors`.
"""
import json
import re
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point, Polygon, WKTWriter
from rdflib import BNode, Graph, Literal, URIRef

from ..conf import opendata_setting
from ..dictization import GEOJSON_PRECISION, resource_download_url
from ..licenses import license_get
from ..models import Dataset, Resource
from ..vocabularies import DATA_THEME_URI_BASE, frequency_uri
from . import uris
from .namespaces import (
    BINDINGS,
    DCAT,
    DCATDE,
    DCT,
    FOAF,
    GEOJSON_LITERAL,
    GSP,
    HYDRA,
    LOCN,
    OWL,
    RDF,
    SKOS,
    SPDX,
    VCARD,
    XSD,
)
from .selectors import CatalogPage
from .vocabularies import (
    ACCESS_RIGHTS_PUBLIC,
    ATTRIBUTION_LICENSES,
    DATA_THEME_SCHEME,
    file_type_uri,
    language_uri,
    media_type_uri,
)

__all__ = ["catalog_graph", "dataset_graph", "graph_new"]

# DCAT-AP.de's list of hash algorithms (an extension of SPDX's), not the SPDX URI.
SHA256_ALGORITHM = URIRef("http://dcat-ap.de/def/hashAlgorithms/sha/256")
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# Extras key (dataset or resource) for an explicit attribution text, as ckanext-dcatde names it.
ATTRIBUTION_EXTRA = "licenseAttributionByText"


def graph_new() -> Graph:
    """An empty graph with the DCAT-AP.de prefixes bound."""
    # Only our prefixes: every URI is matched against the bound namespaces when serialising.
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    for prefix, namespace in BINDINGS.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def _uri_or_literal(value: str):
    return URIRef(value) if re.match(r"^https?://\S+$", value) else Literal(value)


def _datetime(value: datetime) -> Literal:
    return Literal(value.astimezone(UTC).isoformat(), datatype=XSD.dateTime)


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _mailto(email: str) -> URIRef:
    return URIRef("mailto:" + email)


def _typed(graph: Graph, uri: str, *classes) -> URIRef:
    """The IRI of a vocabulary term or document, typed with the classes DCAT-AP expects."""
    ref = URIRef(uri)
    for cls in classes:
        graph.add((ref, RDF.type, cls))
    return ref


def _document(graph: Graph, value: str):
    """A web page as a foaf:Document (DCAT-AP's range of landingPage, page, homepage)."""
    ref = _uri_or_literal(value)
    if isinstance(ref, URIRef):
        graph.add((ref, RDF.type, FOAF.Document))
    return ref


def _text(graph: Graph, subject, predicate, value: str) -> None:
    if value:
        graph.add((subject, predicate, Literal(value)))


# --- spatial -----------------------------------------------------------------------------

_WKT = WKTWriter(precision=GEOJSON_PRECISION, trim=True)


def _rounded_geojson(geometry: GEOSGeometry) -> str:
    """GeoJSON of a Point, Polygon or MultiPolygon (the spatial types datasets accept),
    straight from the GEOS coordinates."""
    def walk(value):
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        return round(value, GEOJSON_PRECISION)
    if geometry.geom_type not in ("Point", "Polygon", "MultiPolygon"):
        data = json.loads(geometry.json)
    else:
        data = {"type": geometry.geom_type, "coordinates": walk(geometry.coords)}
    return json.dumps(data, separators=(",", ":"))


def _wkt(geometry: GEOSGeometry) -> Literal:
    return Literal(_WKT.write(geometry).decode(), datatype=GSP.wktLiteral)


def _spatial_add(graph: Graph, dataset_ref, geometry: GEOSGeometry) -> None:
    """dct:spatial as a dct:Location: the geometry (one locn:geometry, GeoJSON), its bounding
    box and centroid (DCAT 2 dcat:bbox, dcat:centroid, WKT). All EPSG:4326 lon/lat."""
    location = BNode()
    graph.add((dataset_ref, DCT.spatial, location))
    graph.add((location, RDF.type, DCT.Location))
    graph.add((location, LOCN.geometry, Literal(_rounded_geojson(geometry), datatype=GEOJSON_LITERAL)))
    if not isinstance(geometry, Point):
        envelope = Polygon.from_bbox(geometry.extent)
        graph.add((location, DCAT.bbox, _wkt(envelope)))
    graph.add((location, DCAT.centroid, _wkt(geometry.centroid)))


# --- agents ------------------------------------------------------------------------------

def _publisher_add(graph: Graph, dataset_ref, org) -> None:
    publisher = URIRef(uris.organization_uri(org))
    graph.add((dataset_ref, DCT.publisher, publisher))
    if (publisher, RDF.type, FOAF.Agent) in graph:
        return  # described once per graph
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(org.title or org.name)))
    if org.email:
        graph.add((publisher, FOAF.mbox, _mailto(org.email)))
    if org.homepage:
        graph.add((publisher, FOAF.homepage, _document(graph, org.homepage)))


def _maintainer_add(graph: Graph, dataset_ref, dataset: Dataset) -> None:
    """dcatde:maintainer and dcat:contactPoint from the dataset's maintainer fields: the
    published contact for the data. Nothing else (author, creator user, reporters)."""
    if not (dataset.maintainer or dataset.maintainer_email):
        return
    name = dataset.maintainer or dataset.owner_org.title
    maintainer = BNode()
    graph.add((dataset_ref, DCATDE.maintainer, maintainer))
    graph.add((maintainer, RDF.type, FOAF.Agent))
    graph.add((maintainer, RDF.type, FOAF.Organization))
    graph.add((maintainer, FOAF.name, Literal(name)))
    contact = BNode()
    graph.add((dataset_ref, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(name)))
    if dataset.maintainer_email:
        graph.add((maintainer, FOAF.mbox, _mailto(dataset.maintainer_email)))
        graph.add((contact, VCARD.hasEmail, _mailto(dataset.maintainer_email)))


# --- distributions -----------------------------------------------------------------------

def _attribution_text(dataset: Dataset, resource: Resource) -> str:
    """The text users must name (GovData: "Namensnennungstext"): an explicit extra of the
    resource or dataset, else the publishing organisation."""
    for extras in (resource.extras or {}, dataset.extras or {}):
        value = extras.get(ATTRIBUTION_EXTRA)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return dataset.owner_org.title or dataset.owner_org.name


def _distribution_add(graph: Graph, dataset_ref, dataset: Dataset, resource: Resource) -> None:
    distribution = URIRef(uris.distribution_uri(resource))
    graph.add((dataset_ref, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    _text(graph, distribution, DCT.title, resource.name)
    _text(graph, distribution, DCT.description, resource.description)
    is_upload = resource.url_type == Resource.UrlType.UPLOAD
    if is_upload:
        download = URIRef(resource_download_url(resource))
        graph.add((distribution, DCAT.accessURL, download))
        graph.add((distribution, DCAT.downloadURL, download))
    elif resource.url:
        graph.add((distribution, DCAT.accessURL, URIRef(resource.url)))
    # No dct:format for a format outside the EU file-type vocabulary: DCAT-AP.de (K32) takes
    # only its IRIs; the CKAN API still gives the text.

    file_type = file_type_uri(resource.format)
    if file_type:
        graph.add((distribution, DCT["format"], URIRef(file_type)))
        graph.add((URIRef(file_type), RDF.type, DCT.MediaTypeOrExtent))
    media_type = media_type_uri(resource.mimetype)
    if media_type:
        graph.add((distribution, DCAT.mediaType, URIRef(media_type)))
        graph.add((URIRef(media_type), RDF.type, DCT.MediaType))

    if resource.size is not None:
        # Canonical xsd:decimal lexical form ("2048.0"), which every serialisation keeps.
        graph.add((distribution, DCAT.byteSize, Literal(f"{resource.size}.0", datatype=XSD.decimal)))
    digest = (resource.hash or "").strip().lower()
    # Uploads carry our SHA-256; a link's free-text hash counts only if it looks like one.
    if _SHA256_HEX.match(digest):
        checksum = BNode()
        graph.add((distribution, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SHA256_ALGORITHM))
        graph.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))

    license = license_get(dataset.license_id)
    if license is not None:
        graph.add((distribution, DCT.license, URIRef(license.uri)))
        graph.add((URIRef(license.uri), RDF.type, DCT.LicenseDocument))
        if license.id in ATTRIBUTION_LICENSES:
            graph.add((distribution, DCATDE.licenseAttributionByText, Literal(_attribution_text(dataset, resource))))

    graph.add((distribution, DCT.issued, _datetime(resource.created)))
    graph.add((distribution, DCT.modified, _datetime(resource.last_modified or resource.metadata_modified)))


# --- datasets ----------------------------------------------------------------------------

def _dataset_add(graph: Graph, dataset: Dataset) -> URIRef:
    ref = URIRef(uris.dataset_uri(dataset))
    graph.add((ref, RDF.type, DCAT.Dataset))
    graph.add((ref, DCT.identifier, Literal(str(dataset.pk))))
    graph.add((ref, DCT.title, Literal(dataset.title or dataset.name)))
    # dct:description is mandatory in DCAT-AP; CKAN datasets may have no notes.
    graph.add((ref, DCT.description, Literal(dataset.notes or dataset.title or dataset.name)))
    graph.add((ref, DCAT.landingPage, _document(graph, uris.dataset_landing_page_url(dataset))))
    if dataset.url:
        graph.add((ref, FOAF.page, _document(graph, dataset.url)))
    _text(graph, ref, OWL.versionInfo, dataset.version)
    graph.add((ref, DCT.issued, _datetime(dataset.metadata_created)))
    graph.add((ref, DCT.modified, _datetime(dataset.metadata_modified)))
    graph.add((ref, DCT.accessRights, _typed(graph, ACCESS_RIGHTS_PUBLIC, DCT.RightsStatement)))
    language = language_uri(settings.LANGUAGE_CODE)
    if language:
        graph.add((ref, DCT.language, _typed(graph, language, DCT.LinguisticSystem)))

    for tag in dataset.tags.all():
        graph.add((ref, DCAT.keyword, Literal(tag.name)))
    for group in dataset.groups.all():
        if group.theme:
            graph.add((ref, DCAT.theme, _typed(graph, DATA_THEME_URI_BASE + group.theme, SKOS.Concept)))

    _publisher_add(graph, ref, dataset.owner_org)
    contributor_id = dataset.contributor_id or opendata_setting("CONTRIBUTOR_ID")
    if contributor_id:
        graph.add((ref, DCATDE.contributorID, _uri_or_literal(contributor_id)))
    _maintainer_add(graph, ref, dataset)

    if dataset.spatial is not None:
        _spatial_add(graph, ref, dataset.spatial)
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((ref, DCT.temporal, period))
        graph.add((period, RDF.type, DCT.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, _date(dataset.temporal_start)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, _date(dataset.temporal_end)))
    if dataset.frequency:
        graph.add((ref, DCT.accrualPeriodicity, _typed(graph, frequency_uri(dataset.frequency), DCT.Frequency)))

    for resource in dataset.resources.all():
        _distribution_add(graph, ref, dataset, resource)
    return ref


def dataset_graph(*, dataset: Dataset) -> Graph:
    """The graph of one dataset and its distributions (`/dataset/<name>.ttl`)."""
    graph = graph_new()
    _dataset_add(graph, dataset)
    return graph


# --- catalogue ---------------------------------------------------------------------------

def _catalog_publisher_name() -> str:
    configured = opendata_setting("CATALOG_PUBLISHER_NAME")
    return configured or getattr(settings, "FRONTEND", {}).get("CITY_NAME") or opendata_setting("SITE_TITLE")


def catalog_graph(*, page: CatalogPage, page_url) -> Graph:
    """The catalogue page as a graph: dcat:Catalog with the page's datasets, and a
    hydra:PagedCollection node as ckanext-dcat writes it (page links as literals).

    `page_url(n)` returns the absolute URL of page n with the request's other filters.
    """
    graph = graph_new()
    catalog = URIRef(uris.catalog_uri())
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCT.title, Literal(opendata_setting("SITE_TITLE"))))
    graph.add((catalog, DCT.description, Literal(opendata_setting("SITE_DESCRIPTION"))))
    graph.add((catalog, FOAF.homepage, _document(graph, uris.catalog_uri())))
    language = language_uri(settings.LANGUAGE_CODE)
    if language:
        graph.add((catalog, DCT.language, _typed(graph, language, DCT.LinguisticSystem)))
    graph.add((catalog, DCAT.themeTaxonomy, _typed(graph, DATA_THEME_SCHEME, SKOS.ConceptScheme)))
    if page.modified is not None:
        graph.add((catalog, DCT.modified, _datetime(page.modified)))
    publisher = BNode()
    graph.add((catalog, DCT.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(_catalog_publisher_name())))

    for dataset in page.datasets:
        graph.add((catalog, DCAT.dataset, _dataset_add(graph, dataset)))

    paging = URIRef(page_url(page.page))
    graph.add((paging, RDF.type, HYDRA.PagedCollection))
    graph.add((paging, HYDRA.totalItems, Literal(page.total, datatype=XSD.integer)))
    graph.add((paging, HYDRA.itemsPerPage, Literal(page.per_page, datatype=XSD.integer)))
    graph.add((paging, HYDRA.firstPage, Literal(page_url(1))))
    graph.add((paging, HYDRA.lastPage, Literal(page_url(page.last_page))))
    if page.page < page.last_page:
        graph.add((paging, HYDRA.nextPage, Literal(page_url(page.page + 1))))
    if page.page > 1:
        graph.add((paging, HYDRA.previousPage, Literal(page_url(page.page - 1))))
    return graph
