"""Reading a gazetteer file (CSV or GeoJSON) into validated place rows, before anything is written.

CSV: a header row with the columns `name`, `kind`, `lon`, `lat` and optionally `alt_names`
(several names separated by `;` or `|`). Comma- or semicolon-separated, UTF-8 (a BOM is
fine); in semicolon-separated files a decimal comma is accepted ("12,0812"), as spreadsheet
programs in German locales write it.

GeoJSON: a FeatureCollection of Point features with the properties `name`, `kind` and
optionally `alt_names` (a list or a `;`-separated string). Coordinates are WGS 84 lon/lat
(RFC 7946); a `crs` member naming anything other than CRS84/EPSG:4326 is refused.

`kind` is one of street, square, landmark, district (German: Straße, Platz, Ort, Stadtteil).
Every problem is collected with its line or feature number; the file is refused as a whole.
"""
import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import PlaceImportError
from .models import Place

__all__ = ["PlaceRow", "place_file_read"]

_MAX_PROBLEMS = 20
_KIND_ALIASES = {
    "street": Place.Kind.STREET, "strasse": Place.Kind.STREET, "straße": Place.Kind.STREET,
    "square": Place.Kind.SQUARE, "platz": Place.Kind.SQUARE,
    "landmark": Place.Kind.LANDMARK, "ort": Place.Kind.LANDMARK, "poi": Place.Kind.LANDMARK,
    "sehenswürdigkeit": Place.Kind.LANDMARK, "einrichtung": Place.Kind.LANDMARK,
    "district": Place.Kind.DISTRICT, "stadtteil": Place.Kind.DISTRICT, "ortsteil": Place.Kind.DISTRICT,
}
_CRS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "urn:ogc:def:crs:EPSG::4326",
          "EPSG:4326", "OGC:CRS84"}
_NAME_MAX = Place._meta.get_field("name").max_length


@dataclass(frozen=True)
class PlaceRow:
    """One validated place; `lon`/`lat` are WGS 84 degrees. `where` names its line or feature."""

    name: str
    kind: str
    lon: float
    lat: float
    alt_names: tuple[str, ...]
    where: str


def place_file_read(*, path: str | Path) -> list[PlaceRow]:
    """All places of a .csv or .geojson/.json file, or PlaceImportError listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise PlaceImportError(_("Die Datei „%(p)s“ gibt es nicht oder sie ist keine Datei.") % {"p": path})
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".geojson", ".json"):
        raise PlaceImportError(
            _("Dateiformat „%(s)s“ wird nicht unterstützt: erwartet .csv oder .geojson.") % {"s": suffix or path.name})
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlaceImportError(_("Die Datei ist nicht UTF-8-kodiert (Byte %(n)d).") % {"n": exc.start}) from exc
    except OSError as exc:
        raise PlaceImportError(_("Die Datei kann nicht gelesen werden: %(e)s") % {"e": exc.strerror}) from exc
    rows, problems = (_csv_read(text) if suffix == ".csv" else _geojson_read(text))
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row.name.casefold(), row.kind)
        if key in seen:
            problems.append(_("%(w)s: „%(n)s“ (%(k)s) kommt schon in %(o)s vor.")
                            % {"w": row.where, "n": row.name, "k": row.kind, "o": seen[key]})
        seen.setdefault(key, row.where)
    if problems:
        shown = problems[:_MAX_PROBLEMS]
        more = len(problems) - len(shown)
        message = (ngettext("%(n)d Fehler in %(f)s:", "%(n)d Fehler in %(f)s:", len(problems))
                   % {"n": len(problems), "f": path.name} + "\n  " + "\n  ".join(shown))
        if more:
            message += "\n  " + _("… und %(n)d weitere.") % {"n": more}
        raise PlaceImportError(message, problems)
    if not rows:
        raise PlaceImportError(_("Die Datei %(f)s enthält keine Orte.") % {"f": path.name})
    return rows


def _row_check(*, where: str, name, kind, lon, lat, alt_names, decimal_comma: bool, problems: list) -> PlaceRow | None:
    before = len(problems)
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        problems.append(_("%(w)s: Name fehlt.") % {"w": where})
    elif len(name) > _NAME_MAX:
        problems.append(_("%(w)s: Name ist länger als %(n)d Zeichen.") % {"w": where, "n": _NAME_MAX})
    kind_value = _KIND_ALIASES.get(str(kind or "").strip().casefold())
    if kind_value is None:
        problems.append(_("%(w)s: unbekannte Art „%(k)s“; erlaubt: %(a)s.")
                        % {"w": where, "k": kind or "", "a": ", ".join(Place.Kind.values)})
    lon_value = _number(lon, decimal_comma=decimal_comma)
    lat_value = _number(lat, decimal_comma=decimal_comma)
    if lon_value is None or not -180 <= lon_value <= 180:
        problems.append(_("%(w)s: lon „%(v)s“ ist keine Länge in Grad (−180 bis 180, WGS 84).")
                        % {"w": where, "v": lon})
    if lat_value is None or not -90 <= lat_value <= 90:
        problems.append(_("%(w)s: lat „%(v)s“ ist keine Breite in Grad (−90 bis 90, WGS 84).")
                        % {"w": where, "v": lat})
    if len(problems) > before:
        return None
    return PlaceRow(name=name, kind=kind_value, lon=lon_value, lat=lat_value, alt_names=_names(alt_names), where=where)


def _number(value, *, decimal_comma: bool) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if decimal_comma:
            value = value.replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _names(value) -> tuple[str, ...]:
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = value.replace("|", ";").split(";")
    else:
        items = []
    return tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))


def _csv_read(text: str) -> tuple[list[PlaceRow], list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("name", "kind", "lon", "lat") if c not in header]
    if missing:
        raise PlaceImportError(_("Der CSV-Kopfzeile fehlen die Spalten: %(c)s (erwartet: name, kind, lon, lat, "
                                 "optional alt_names).") % {"c": ", ".join(missing)})
    reader.fieldnames = header
    rows, problems = [], []
    try:
        for record in reader:
            where = _("Zeile %(n)d") % {"n": reader.line_num}
            if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
                continue  # blank line
            row = _row_check(where=where, name=record.get("name"), kind=record.get("kind"), lon=record.get("lon"),
                             lat=record.get("lat"), alt_names=record.get("alt_names"),
                             decimal_comma=delimiter == ";", problems=problems)
            if row:
                rows.append(row)
    except csv.Error as exc:
        problems.append(_("Zeile %(n)d: kein gültiges CSV (%(e)s).") % {"n": reader.line_num, "e": exc})
    return rows, problems


def _geojson_read(text: str) -> tuple[list[PlaceRow], list[str]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise PlaceImportError(_("Die Datei ist kein gültiges JSON: %(e)s") % {"e": exc}) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise PlaceImportError(_("Erwartet wird eine GeoJSON-FeatureCollection."))
    crs = data.get("crs")
    crs_name = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
    if crs is not None and crs_name not in _CRS84:
        raise PlaceImportError(_("Koordinatensystem „%(c)s“ wird nicht unterstützt: Orte müssen in WGS 84 "
                                 "(lon/lat, EPSG:4326) vorliegen.") % {"c": crs_name or crs})
    rows, problems = [], []
    for index, feature in enumerate(data["features"], start=1):
        where = _("Objekt %(n)d") % {"n": index}
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            problems.append(_("%(w)s: Geometrie muss ein Point sein, ist %(t)s.")
                            % {"w": where, "t": (geometry or {}).get("type") if isinstance(geometry, dict) else None})
            continue
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            problems.append(_("%(w)s: Point ohne Koordinaten.") % {"w": where})
            continue
        row = _row_check(where=where, name=properties.get("name"), kind=properties.get("kind"), lon=coordinates[0],
                         lat=coordinates[1], alt_names=properties.get("alt_names"), decimal_comma=False,
                         problems=problems)
        if row:
            rows.append(row)
    return rows, problems
