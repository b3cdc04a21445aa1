"""Field validators of CKAN's package schema (ckan/logic/validators.py), same messages.

Each takes the raw value and returns the clean one or raises `Invalid(message)`.
Messages are CKAN's English texts: clients show or compare them.
"""
import json
import mimetypes
import re
from datetime import UTC, date, datetime

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

__all__ = [
    "MISSING", "Invalid", "boolean", "date_value", "datetime_value", "email", "format_guess", "integer",
    "length", "mimetype_guess", "name", "spatial", "string", "tag_name",
]

MISSING = "Missing value"
NAME_MIN, NAME_MAX = 2, 100
TAG_MIN, TAG_MAX = 2, 100
_NAME = re.compile(r"^[a-z0-9_\-]*$")
_TAG = re.compile(r"^[\w \-.]*$", re.UNICODE)
SPATIAL_TYPES = ("Point", "Polygon", "MultiPolygon")


class Invalid(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def string(value, *, max_length: int | None = None, label: str = "Value") -> str:
    """Strings (numbers are converted, as CKAN's unicode_safe does); None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise Invalid("Must be a string")
    text = str(value).strip() if not isinstance(value, str) else value.strip()
    if max_length is not None:
        length(text, max_length=max_length, label=label)
    return text


def length(text: str, *, max_length: int, label: str = "Value") -> str:
    if len(text) > max_length:
        raise Invalid(f"{label} must be a maximum of {max_length} characters long")
    return text


def name(value) -> str:
    """CKAN's name_validator (packages, organisations, groups)."""
    if not isinstance(value, str):
        raise Invalid("Names must be strings")
    if value in ("new", "edit", "search"):
        raise Invalid("That name cannot be used")
    if len(value) < NAME_MIN:
        raise Invalid(f"Must be at least {NAME_MIN} characters long")
    if len(value) > NAME_MAX:
        raise Invalid(f"Name must be a maximum of {NAME_MAX} characters long")
    if not _NAME.match(value):
        raise Invalid("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_")
    return value


def tag_name(value) -> str:
    """CKAN's tag_length_validator and tag_name_validator."""
    text = string(value)
    if len(text) < TAG_MIN:
        raise Invalid(f'Tag "{text}" length is less than minimum {TAG_MIN}')
    if len(text) > TAG_MAX:
        raise Invalid(f'Tag "{text}" length is more than maximum {TAG_MAX}')
    if not _TAG.match(text):
        raise Invalid(f'Tag "{text}" must be alphanumeric characters or symbols: -_.')
    return text


def email(value) -> str:
    text = string(value, max_length=254, label="Email")
    if text:
        try:
            validate_email(text)
        except DjangoValidationError:
            raise Invalid(f"Email {text} is not a valid format") from None
    return text


def boolean(value) -> bool:
    """CKAN's boolean_validator: true/yes/t/y/1 (any case) are True."""
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "yes", "t", "y", "1")


def integer(value, *, minimum: int | None = None) -> int | None:
    """CKAN's int_validator (+ natural_number_validator with minimum=0)."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise Invalid("Invalid integer")
    try:
        number = int(value) if not isinstance(value, float) or value.is_integer() else None
    except (TypeError, ValueError):
        number = None
    if number is None:
        raise Invalid("Invalid integer")
    if minimum is not None and number < minimum:
        raise Invalid("Must be a natural number")
    return number


def datetime_value(value) -> datetime | None:
    """ISO 8601 date or datetime → aware datetime (naive values are UTC, as in CKAN)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        parsed = parse_datetime(text[:-1] + "+00:00" if text.endswith("Z") else text)
        if parsed is None:
            day = parse_date(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
            if day is None:
                raise Invalid("Date format incorrect")
            parsed = datetime(day.year, day.month, day.day)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def date_value(value) -> date | None:
    """A date from "YYYY-MM-DD" or an ISO datetime (its calendar date as written)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    day = parse_date(text[:10]) if re.match(r"\d{4}-\d{2}-\d{2}($|T| )", text) else None
    if day is None:
        raise Invalid("Date format incorrect")
    if len(text) > 10:
        datetime_value(text)  # the time part must parse too
    return day


def spatial(value) -> GEOSGeometry | None:
    """A GeoJSON geometry (string or object) in EPSG:4326, lon/lat (RFC 7946)."""
    if value in (None, ""):
        return None
    text = value if isinstance(value, str) else json.dumps(value)
    try:
        geojson = json.loads(text)
    except ValueError as exc:
        raise Invalid(f"Error decoding JSON object: {exc}") from None
    if not isinstance(geojson, dict) or "type" not in geojson:
        raise Invalid("Error creating geometry: not a GeoJSON geometry")
    if geojson["type"] not in SPATIAL_TYPES:
        raise Invalid(f"Geometry type {geojson['type']} is not supported; use {', '.join(SPATIAL_TYPES)}")
    try:
        geometry = GEOSGeometry(json.dumps(geojson), srid=4326)
    except (GEOSException, ValueError, TypeError) as exc:
        raise Invalid(f"Error creating geometry: {exc}") from None
    if geometry.empty:
        raise Invalid("Error creating geometry: empty geometry")
    minx, miny, maxx, maxy = geometry.extent
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise Invalid("Coordinates out of range: GeoJSON is longitude, latitude in EPSG:4326")
    if not geometry.valid:
        raise Invalid(f"Invalid geometry: {geometry.valid_reason}")
    geometry.srid = 4326
    return geometry


# File extension → (CKAN format, media type). Formats as CKAN's resource_formats.json spells them.
_FORMATS = {
    "csv": ("CSV", "text/csv"),
    "geojson": ("GeoJSON", "application/geo+json"),
    "json": ("JSON", "application/json"),
    "gpkg": ("GeoPackage", "application/geopackage+sqlite3"),
    "zip": ("ZIP", "application/zip"),
    "shp": ("SHP", "application/x-shapefile"),
    "kml": ("KML", "application/vnd.google-earth.kml+xml"),
    "gml": ("GML", "application/gml+xml"),
    "xml": ("XML", "application/xml"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "xls": ("XLS", "application/vnd.ms-excel"),
    "ods": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "pdf": ("PDF", "application/pdf"),
    "txt": ("TXT", "text/plain"),
    "html": ("HTML", "text/html"),
    "rdf": ("RDF", "application/rdf+xml"),
    "ttl": ("TTL", "text/turtle"),
    "parquet": ("Parquet", "application/vnd.apache.parquet"),
}


def _extension(url_or_name: str) -> str:
    path = (url_or_name or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def format_guess(url_or_name: str) -> str:
    """CKAN's if_empty_guess_format: the format from the file extension, or ""."""
    ext = _extension(url_or_name)
    if ext in _FORMATS:
        return _FORMATS[ext][0]
    guessed, _encoding = mimetypes.guess_type("x." + ext) if ext else (None, None)
    return ext.upper() if guessed else ""


def mimetype_guess(url_or_name: str) -> str:
    ext = _extension(url_or_name)
    if ext in _FORMATS:
        return _FORMATS[ext][1]
    guessed, _encoding = mimetypes.guess_type("x." + ext) if ext else (None, None)
    return guessed or ""
