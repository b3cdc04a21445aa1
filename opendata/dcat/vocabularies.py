"""Controlled vocabularies DCAT-AP.de expects as URIs, and how our values map onto them.

- EU file types (dct:format), http://publications.europa.eu/resource/authority/file-type/;
- IANA media types (dcat:mediaType), http://www.iana.org/assignments/media-types/;
- EU languages (dct:language), http://publications.europa.eu/resource/authority/language/;
- EU access rights (dct:accessRights): everything in the catalogue is PUBLIC;
- licences of the DCAT-AP.de vocabulary whose terms require attribution, for which the
  distribution carries dcatde:licenseAttributionByText.
"""
import re

__all__ = [
    "ACCESS_RIGHTS_PUBLIC", "ATTRIBUTION_LICENSES", "DATA_THEME_SCHEME", "FILE_TYPE_URI_BASE", "LANGUAGES",
    "LANGUAGE_URI_BASE", "MEDIA_TYPE_URI_BASE", "file_type_uri", "language_uri", "media_type_uri",
]

FILE_TYPE_URI_BASE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE_URI_BASE = "http://www.iana.org/assignments/media-types/"
LANGUAGE_URI_BASE = "http://publications.europa.eu/resource/authority/language/"
ACCESS_RIGHTS_PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
DATA_THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"

# Our resource formats (CKAN spelling, compared upper-case) → EU file-type code.
_FILE_TYPES = {
    "CSV": "CSV", "GEOJSON": "GEOJSON", "JSON": "JSON", "GEOPACKAGE": "GPKG", "GPKG": "GPKG", "SHP": "SHP",
    "SHAPEFILE": "SHP", "ZIP": "ZIP", "KML": "KML", "KMZ": "KMZ", "GML": "GML", "XML": "XML", "XLSX": "XLSX",
    "XLS": "XLS", "ODS": "ODS", "PDF": "PDF", "TXT": "TXT", "HTML": "HTML", "RDF": "RDF_XML", "RDF/XML": "RDF_XML",
    "TTL": "RDF_TURTLE", "TURTLE": "RDF_TURTLE", "JSON-LD": "JSON_LD", "JSONLD": "JSON_LD", "PARQUET": "PARQUET",
    "WMS": "WMS_SRVC", "WFS": "WFS_SRVC",
}

# ISO 639-1 (Django's LANGUAGE_CODE) → EU language code (ISO 639-2/B upper case).
LANGUAGES = {"de": "DEU", "en": "ENG", "fr": "FRA", "pl": "POL", "cs": "CES", "da": "DAN", "nl": "NLD"}

# Licences (DCAT-AP.de ids, opendata.licenses) whose terms require naming the source.
ATTRIBUTION_LICENSES = frozenset({
    "dl-by-de/1.0", "dl-by-de/2.0", "dl-by-nc-de/1.0", "cc-by", "cc-by/4.0", "cc-by-de/3.0", "cc-by-sa",
    "cc-by-sa/4.0", "cc-by-sa-de/3.0", "cc-by-nc", "cc-by-nc-de/3.0", "cc-by-nc/4.0", "cc-by-nd", "cc-by-nd/3.0",
    "cc-by-nd/4.0", "odby", "odbl",
})

# type/subtype of RFC 6838; "x-" subtypes are not registered with IANA, so they get no URI.
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def file_type_uri(resource_format: str) -> str | None:
    """The EU file-type URI of a resource format (`GeoJSON` → …/file-type/GEOJSON), None if unknown."""
    code = _FILE_TYPES.get((resource_format or "").strip().upper())
    return FILE_TYPE_URI_BASE + code if code else None


def media_type_uri(mimetype: str) -> str | None:
    """The IANA URI of a registered media type (`text/csv` → …/media-types/text/csv), else None."""
    value = (mimetype or "").split(";", 1)[0].strip().lower()
    if not _MEDIA_TYPE.match(value) or value.split("/", 1)[1].startswith("x-"):
        return None
    return MEDIA_TYPE_URI_BASE + value


def language_uri(language_code: str) -> str | None:
    """The EU language URI of a Django language code (`de` / `de-de` → …/language/DEU)."""
    code = LANGUAGES.get((language_code or "").split("-", 1)[0].lower())
    return LANGUAGE_URI_BASE + code if code else None
