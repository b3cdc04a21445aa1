"""RDF namespaces of DCAT-AP.de and the prefixes the serialisations use.

The URIs are those of ckanext-dcat and ckanext-dcatde (GovData), so harvesters that
parse with these extensions find every property where they look for it.
"""
from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

__all__ = [
    "ADMS", "BINDINGS", "DCAT", "DCATDE", "DCT", "FOAF", "GEOJSON_LITERAL", "GSP", "HYDRA", "LOCN", "OWL", "RDF",
    "RDFS", "SKOS", "SPDX", "VCARD", "XSD",
]

DCT = DCTERMS
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

# Datatype of GeoJSON geometry literals in DCAT-AP.de and ckanext-dcat (the IANA media type).
GEOJSON_LITERAL = URIRef("https://www.iana.org/assignments/media-types/application/vnd.geo+json")

BINDINGS = {
    "dcat": DCAT, "dct": DCT, "dcatde": DCATDE, "adms": ADMS, "foaf": FOAF, "vcard": VCARD, "locn": LOCN,
    "gsp": GSP, "spdx": SPDX, "hydra": HYDRA, "owl": OWL, "skos": SKOS, "xsd": XSD, "rdf": RDF, "rdfs": RDFS,
}
