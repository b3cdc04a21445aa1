"""CSV with coordinates, parsed here and streamed in two passes (column types and row count,
then features): `lon`/`lat`, `lng`/`lat`, `longitude`/`latitude` or `x`/`y` columns, or a
WKT column; delimiter `,`, `;` (then with decimal commas) or tab; WGS 84 unless `srid` is
given."""
import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path

from django.contrib.gis.gdal import GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.gdal.srs import AxisOrder
from django.utils.translation import gettext as _

from geodata.readers import TARGET_SRID

from ..errors import GeoIngestError
from .encoding import _utf8_check
from .files import GeoFeature, GeoFile
from .geometry import _GeometryCheck, _transform_for

__all__ = ["CSV_XY_COLUMNS", "CSV_WKT_COLUMNS"]

# CSV coordinate columns, matched case-insensitively, in this order of preference.
CSV_XY_COLUMNS = [("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("x", "y")]
CSV_WKT_COLUMNS = ["wkt", "geometry", "geom", "the_geom"]

_INTEGER = re.compile(r"^[+-]?\d+$")
_REAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _csv_columns(header: list[str]) -> tuple[tuple[int, int] | None, int | None]:
    lowered = [h.strip().lower() for h in header]
    for x_name, y_name in CSV_XY_COLUMNS:
        if x_name in lowered and y_name in lowered:
            return (lowered.index(x_name), lowered.index(y_name)), None
    for name in CSV_WKT_COLUMNS:
        if name in lowered:
            return None, lowered.index(name)
    return None, None


def _csv_open(path: Path, *, srid, override) -> GeoFile | None:
    with path.open("rb") as fh:
        first = fh.readline().removeprefix(codecs.BOM_UTF8).decode("latin-1")
    delimiter = max((",", ";", "\t"), key=first.count)
    header = next(csv.reader([first], delimiter=delimiter), [])
    xy, wkt = _csv_columns(header)
    if xy is None and wkt is None:
        return None
    _utf8_check(path)
    decimal_comma = delimiter == ";"
    skip = set(xy or ()) | ({wkt} if wkt is not None else set())
    columns = [(i, (h.strip() or f"spalte_{i + 1}")) for i, h in enumerate(header) if i not in skip]
    types, rows = _csv_types(path, delimiter=delimiter, width=len(header), columns=columns,
                             decimal_comma=decimal_comma)
    if rows == 0:
        raise GeoIngestError(_("Die Datei enthält keine Geoobjekte."))
    source_srid = srid if srid is not None else TARGET_SRID
    source_srs = override if override is not None else SpatialReference(TARGET_SRID, axis_order=AxisOrder.TRADITIONAL)
    geometry = _GeometryCheck(_transform_for(source_srs, source_srid))
    fields = [{"name": name, "type": types[i]} for i, name in columns]

    def iterate() -> Iterator[GeoFeature]:
        fid = 0
        for line, record in _csv_records(path, delimiter=delimiter, width=len(header)):
            fid += 1
            where = _("Zeile %(n)d") % {"n": line}
            properties = {name: _csv_value(record[i], types[i], decimal_comma) for i, name in columns}
            yield GeoFeature(fid=fid, geometry=geometry(_csv_geometry(record, xy, wkt, header, where,
                                                                      decimal_comma, source_srs), where),
                             properties=properties)

    return GeoFile(kind="csv", source_srid=source_srid, encoding="UTF-8", fields=fields, _iterate=iterate,
                   _geometry=geometry)


def _csv_records(path: Path, *, delimiter: str, width: int) -> Iterator[tuple[int, list[str]]]:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            next(reader, None)
            for record in reader:
                if not any(v.strip() for v in record):
                    continue  # blank line
                if len(record) != width:
                    raise GeoIngestError(
                        _("Zeile %(n)d hat %(found)d Werte, die Kopfzeile hat %(width)d Spalten.")
                        % {"n": reader.line_num, "found": len(record), "width": width})
                yield reader.line_num, record
        except csv.Error as exc:
            raise GeoIngestError(_("Zeile %(n)d ist kein gültiges CSV (%(error)s).")
                                 % {"n": reader.line_num, "error": exc}) from exc


def _csv_types(path: Path, *, delimiter: str, width: int, columns, decimal_comma: bool) -> tuple[dict, int]:
    """First pass: the type of each attribute column (integer, real or string) and the row count."""
    candidates = {i: {"integer", "real"} for i, _name in columns}
    rows = 0
    for _line, record in _csv_records(path, delimiter=delimiter, width=width):
        rows += 1
        for i, kinds in candidates.items():
            value = record[i].strip()
            if not value or not kinds:
                continue
            number = value.replace(",", ".") if decimal_comma else value
            if "integer" in kinds and not (_INTEGER.match(number) and not _leading_zero(number)):
                kinds.discard("integer")
            if "real" in kinds and not (_REAL.match(number) and not _leading_zero(number)):
                kinds.discard("real")
    return {i: ("integer" if "integer" in k else "real" if "real" in k else "string")
            for i, k in candidates.items()}, rows


def _leading_zero(number: str) -> bool:
    """"0815" is an identifier (postal code, number plate), not the number 815."""
    digits = number.lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1] != "."


def _csv_value(raw: str, kind: str, decimal_comma: bool):
    value = raw.strip()
    if kind == "string":
        return raw
    if not value:
        return None
    number = value.replace(",", ".") if decimal_comma else value
    return int(number) if kind == "integer" else float(number)


def _csv_number(raw: str, column: str, where: str, decimal_comma: bool) -> float:
    value = raw.strip()
    number = value.replace(",", ".") if decimal_comma else value
    if not _REAL.match(number):
        raise GeoIngestError(_("%(where)s: „%(column)s“ = „%(value)s“ ist keine Zahl.")
                             % {"where": where, "column": column, "value": value})
    return float(number)


def _csv_geometry(record, xy, wkt, header, where: str, decimal_comma: bool, srs) -> OGRGeometry | None:
    if xy is not None:
        (xi, yi) = xy
        if not record[xi].strip() and not record[yi].strip():
            return None
        x = _csv_number(record[xi], header[xi].strip(), where, decimal_comma)
        y = _csv_number(record[yi], header[yi].strip(), where, decimal_comma)
        return OGRGeometry(f"POINT ({x!r} {y!r})", srs=srs)
    text = record[wkt].strip()
    if not text:
        return None
    try:
        return OGRGeometry(text, srs=srs)
    except (GDALException, ValueError, TypeError) as exc:
        raise GeoIngestError(_("%(where)s: „%(column)s“ enthält keine gültige WKT-Geometrie.")
                             % {"where": where, "column": header[wkt].strip()}) from exc
