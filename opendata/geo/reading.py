"""Opening and validating an uploaded vector file, then reading it feature by feature in
WGS 84 (EPSG:4326, x = lon, y = lat).

Formats (`geo_kind_detect`): GeoJSON (`.geojson`, or `.json` whose resource format is
GeoJSON), CSV (`.csv` with `lon`/`lat`, `lng`/`lat`, `longitude`/`latitude` or `x`/`y`
columns, or a WKT column `wkt`/`geometry`/`geom`/`the_geom`), zipped Shapefile (`.zip`
containing a `.shp`) and GeoPackage (`.gpkg`). GeoJSON, Shapefile and GeoPackage are read
with Django's GDAL bindings through `geodata.readers`, shared with the jurisdiction-layer
importer (ZIP handling, SRS identification, the GeoJSON `crs` check, field values); CSV is parsed here, streaming.

What is checked, before or while features are read (the caller writes nothing unless the
whole file passes):
- the file is readable, not empty, of the format its name says, and has features;
- the CRS is known as an EPSG code: declared by the file (GeoJSON without `crs` is OGC:CRS84,
  RFC 7946; a Shapefile needs its `.prj`), or given as `srid` (an integer EPSG code, from the
  resource field `srid`); CSV is WGS 84 unless `srid` is given;
- all geometries are of one kind (points, lines or polygons; single and multi parts may mix,
  e.g. Polygon and MultiPolygon), none is missing or empty; Z and M values are dropped;
- every coordinate is finite and within ±180° / ±90° after the transformation;
- text is UTF-8 (GeoJSON, CSV; GeoPackage is UTF-8 by definition). Shapefile attributes are
  decoded as their `.cpg` declares (GDAL recodes to UTF-8), else as the DBF's code page, else
  as UTF-8 if the DBF is valid UTF-8 and otherwise as ISO-8859-1 (Latin-1, the usual legacy
  encoding); stored properties are always UTF-8 JSON.

Invalid polygons are kept as they are (the publisher's data is not altered).
Limitation: the GeoJSON `crs` check parses the file once in Python (as the layer importer
does), so very large GeoJSON files need memory of several times their size.
"""
import codecs
import csv
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.contrib.gis.gdal import (
    CoordTransform,
    DataSource,
    GDALException,
    OGRGeometry,
    SpatialReference,
    SRSException,
)
from django.contrib.gis.gdal.prototypes import ds as capi
from django.contrib.gis.gdal.srs import AxisOrder
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.encoding import DjangoUnicodeDecodeError
from django.utils.translation import gettext as _

from geodata.errors import InvalidOption, LayerImportError, UnknownCRS, UnknownSourceLayer, UnsupportedFormat
from geodata.readers import (
    TARGET_SRID,
    declared_crs_check,
    gdal_path_resolve,
    geojson_crs_read,
    ogr_field_is_boolean,
    ogr_field_value,
    srs_epsg_identify,
    srs_from_epsg,
)

from .errors import GeoIngestError

__all__ = ["GEO_KINDS", "GeoFeature", "GeoFile", "geo_file_open", "geo_kind_detect"]

# kind -> label used in messages
GEO_KINDS = {"geojson": "GeoJSON", "csv": "CSV", "shapefile": "Shapefile", "gpkg": "GeoPackage"}
_DRIVERS = {"geojson": "GeoJSON", "shapefile": "ESRI Shapefile", "gpkg": "GPKG"}
_FAMILIES = {
    "POINT": "Point", "MULTIPOINT": "Point", "LINESTRING": "LineString", "MULTILINESTRING": "LineString",
    "POLYGON": "Polygon", "MULTIPOLYGON": "Polygon",
}
_NAMES = {
    "POINT": "Point", "MULTIPOINT": "MultiPoint", "LINESTRING": "LineString", "MULTILINESTRING": "MultiLineString",
    "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon", "GEOMETRYCOLLECTION": "GeometryCollection",
}
_OGR_TYPES = {
    "OFTInteger": "integer", "OFTInteger64": "integer", "OFTReal": "real", "OFTString": "string",
    "OFTWideString": "string", "OFTDate": "date", "OFTDateTime": "datetime", "OFTTime": "time",
    "OFTBinary": "binary", "OFTIntegerList": "list", "OFTInteger64List": "list", "OFTRealList": "list",
    "OFTStringList": "list",
}
_WKB_NONE = 100  # OGRwkbGeometryType wkbNone: a table without geometry
# CSV coordinate columns, matched case-insensitively, in this order of preference.
CSV_XY_COLUMNS = [("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("x", "y")]
CSV_WKT_COLUMNS = ["wkt", "geometry", "geom", "the_geom"]
_CHUNK = 1024 * 1024


def geo_kind_detect(*, filename: str, format: str = "") -> str | None:
    """The vector format of an upload by its file name ("geojson", "csv", "shapefile",
    "gpkg"), or None for files that are not read as geodata."""
    suffix = Path(filename or "").suffix.lower()
    fmt = (format or "").strip().lower()
    if suffix == ".geojson" or (suffix == ".json" and fmt == "geojson"):
        return "geojson"
    return {".csv": "csv", ".zip": "shapefile", ".gpkg": "gpkg"}.get(suffix)


@dataclass(frozen=True)
class GeoFeature:
    fid: int  # 1-based position in the file
    geometry: GEOSGeometry  # EPSG:4326, x = lon, y = lat
    properties: dict  # JSON-safe


@dataclass
class GeoFile:
    """An opened file whose header passed the checks; `features()` reads and checks the rest.
    `geometry_type` is known once all features have been read."""

    kind: str
    source_srid: int
    encoding: str
    fields: list[dict]  # [{"name": str, "type": "integer"|"real"|"string"|"boolean"|"date"|...}]
    layer: str = ""
    _iterate: object = None
    _geometry: "_GeometryCheck" = field(default=None, repr=False)

    def features(self) -> Iterator[GeoFeature]:
        return self._iterate()

    @property
    def geometry_type(self) -> str:
        return self._geometry.type_name


def geo_file_open(*, path: str | Path, kind: str, srid: int | None = None, layer: str | None = None) -> GeoFile | None:
    """Open `path` as `kind` and check what can be checked before reading features.

    `srid` (integer EPSG code) overrides the file's CRS; `layer` chooses a GeoPackage layer.
    Returns None for a CSV without coordinate columns or a ZIP without a Shapefile (not
    geodata). Raises GeoIngestError for a bad file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise GeoIngestError(_("Die Datei kann nicht gelesen werden: %(error)s") % {"error": exc.strerror}) from exc
    if size == 0:
        raise GeoIngestError(_("Die Datei ist leer."))
    override = _srs_for(srid) if srid is not None else None
    if kind == "csv":
        return _csv_open(path, srid=srid, override=override)
    return _ogr_open(path, kind=kind, srid=srid, override=override, layer=layer)


# --- coordinate reference systems and geometries ------------------------------------------

def _srs_for(srid) -> SpatialReference:
    """geodata's `srs_from_epsg`, with messages naming the resource field `srid`."""
    try:
        return srs_from_epsg(srid)
    except InvalidOption as exc:
        raise GeoIngestError(_("„srid“ muss ein ganzzahliger EPSG-Code sein, z. B. 25833.")) from exc
    except UnknownCRS as exc:
        raise GeoIngestError(_("EPSG:%(srid)d ist kein bekanntes Koordinatensystem.") % {"srid": srid}) from exc


def _transform_for(source_srs: SpatialReference, source_srid: int) -> CoordTransform | None:
    if source_srid == TARGET_SRID:
        return None  # both lon/lat in traditional GIS order: nothing to do
    try:
        return CoordTransform(source_srs, SpatialReference(TARGET_SRID, axis_order=AxisOrder.TRADITIONAL))
    except (GDALException, SRSException) as exc:
        raise GeoIngestError(
            _("Das Koordinatensystem EPSG:%(srid)d lässt sich nicht nach WGS 84 umrechnen.") % {"srid": source_srid}
        ) from exc


class _GeometryCheck:
    """Checks one geometry after another: present, one kind, transformable, in range."""

    def __init__(self, transform: CoordTransform | None):
        self.transform = transform
        self.family: str | None = None
        self.types: set[str] = set()

    @property
    def type_name(self) -> str:
        if len(self.types) == 1:
            return _NAMES[next(iter(self.types))]
        return "Multi" + self.family if self.family else ""

    def __call__(self, geom: OGRGeometry | None, where: str) -> GEOSGeometry:
        if geom is None:
            raise GeoIngestError(_("%(where)s hat keine Geometrie.") % {"where": where})
        name = geom.geom_name.upper()
        family = _FAMILIES.get(name)
        if family is None:
            raise GeoIngestError(
                _("%(where)s hat den Geometrietyp %(type)s; unterstützt werden Punkte, Linien und Flächen "
                  "(Point, LineString, Polygon und ihre Multi-Formen).")
                % {"where": where, "type": _NAMES.get(name, name)})
        if self.family is None:
            self.family = family
        elif family != self.family:
            raise GeoIngestError(
                _("%(where)s hat den Geometrietyp %(type)s, die Objekte davor sind %(first)s; gemischte "
                  "Geometrietypen werden nicht unterstützt.")
                % {"where": where, "type": _NAMES[name], "first": " / ".join(sorted(_NAMES[t] for t in self.types))})
        self.types.add(name)
        if geom.is_3d:
            geom.set_3d(False)
        if geom.is_measured:
            geom.set_measured(False)
        if self.transform is not None:
            try:
                geom.transform(self.transform)
            except GDALException as exc:
                raise GeoIngestError(
                    _("%(where)s lässt sich nicht nach WGS 84 umrechnen; passt das Koordinatensystem?")
                    % {"where": where}) from exc
        try:
            geos = GEOSGeometry(geom.wkb, srid=TARGET_SRID)
        except (GEOSException, ValueError) as exc:
            raise GeoIngestError(_("%(where)s hat eine ungültige Geometrie.") % {"where": where}) from exc
        if geos.empty:
            raise GeoIngestError(_("%(where)s hat eine leere Geometrie.") % {"where": where})
        x0, y0, x1, y1 = geos.extent
        if not all(math.isfinite(c) for c in (x0, y0, x1, y1)) or x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
            raise GeoIngestError(
                _("%(where)s liegt nach der Umrechnung außerhalb von Länge ±180° / Breite ±90°; das "
                  "Koordinatensystem passt nicht zu den Koordinaten. Bitte den richtigen EPSG-Code im "
                  "Ressourcenfeld „srid“ angeben.") % {"where": where})
        return geos


# --- GDAL formats: GeoJSON, Shapefile, GeoPackage -------------------------------------------

def _utf8_check(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as fh:
        try:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise GeoIngestError(
                _("Die Datei ist nicht UTF-8-kodiert (ungültiges Zeichen bei Byte %(n)d). Bitte als UTF-8 "
                  "speichern.") % {"n": offset + exc.start}) from exc


def _shapefile_encoding(zip_path: Path, member: str) -> tuple[str, str]:
    """(codec of the strings GDAL returns, encoding of the file) for one Shapefile in a ZIP.

    GDAL recodes to UTF-8 when a `.cpg` or the DBF's language driver id (LDID) names the
    code page; otherwise it returns the bytes unchanged and we detect UTF-8 or Latin-1."""
    stem = member[:-4].lower()
    with zipfile.ZipFile(zip_path) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        cpg = names.get(stem + ".cpg")
        if cpg:
            declared = archive.read(cpg).decode("ascii", "replace").strip()
            return "utf-8", declared or "UTF-8"
        dbf = names.get(stem + ".dbf")
        if dbf is None:
            return "utf-8", "UTF-8"
        with archive.open(dbf) as fh:
            header = fh.read(32)
            if len(header) < 32:
                return "utf-8", "UTF-8"
            if header[29]:
                return "utf-8", f"LDID/{header[29]}"
            fh.read(max(int.from_bytes(header[8:10], "little") - 32, 0))  # field descriptors
            decoder = codecs.getincrementaldecoder("utf-8")()
            try:
                for chunk in iter(lambda: fh.read(_CHUNK), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return "latin-1", "ISO-8859-1"
    return "utf-8", "UTF-8"


def _ogr_open(path: Path, *, kind: str, srid, override, layer) -> GeoFile | None:
    label = GEO_KINDS[kind]
    declared = None
    codec, encoding = "utf-8", "UTF-8"
    if kind == "geojson":
        _utf8_check(path)
        declared = _reuse(geojson_crs_read, file_path=path)
        gdal_path = str(path)
    elif kind == "shapefile":
        if not zipfile.is_zipfile(path):
            raise GeoIngestError(_("Die Datei ist kein lesbares ZIP-Archiv."))
        try:
            gdal_path, _rest, _source = gdal_path_resolve(file_path=path, suffix=".zip", source_layer=layer)
        except UnsupportedFormat:
            return None  # a ZIP without a Shapefile: not geodata
        except UnknownSourceLayer as exc:
            if not exc.layers:
                raise GeoIngestError(str(exc)) from exc
            raise GeoIngestError(
                _("Das ZIP-Archiv enthält mehrere Shapefiles (%(layers)s); bitte eines im Ressourcenfeld „layer“ "
                  "angeben.") % {"layers": ", ".join(exc.layers)}
            ) from exc
        except LayerImportError as exc:
            raise GeoIngestError(str(exc)) from exc
        codec, encoding = _shapefile_encoding(path, gdal_path.split(f"{path}/", 1)[1])
    else:
        gdal_path = str(path)
    try:
        ds = DataSource(gdal_path, encoding=codec)
    except GDALException as exc:
        raise GeoIngestError(_("Die Datei ist beschädigt oder kein gültiges %(format)s.") % {"format": label}) from exc
    if ds.driver.name != _DRIVERS[kind]:
        raise GeoIngestError(_("Die Datei wurde als %(found)s erkannt, erwartet war %(format)s.")
                             % {"found": ds.driver.name, "format": label})
    source_layer = _layer_pick(ds, layer)
    if override is not None:
        source_srs, source_srid = override, srid
    else:
        source_srs = source_layer.srs
        if source_srs is None:
            raise GeoIngestError(
                _("Die Datei gibt kein Koordinatensystem an (einem Shapefile fehlt die .prj-Datei). Bitte den "
                  "EPSG-Code im Ressourcenfeld „srid“ angeben, z. B. 25833."))
        source_srid = srs_epsg_identify(source_srs)
        if declared is not None:
            try:
                declared_crs_check(declared=declared, source_srid=source_srid, file_path=path)
            except UnknownCRS as exc:
                name = str((declared.get("properties") or {}).get("name") or declared)
                raise GeoIngestError(
                    _("Das Koordinatensystem „%(crs)s“ ist unbekannt. Bitte den EPSG-Code im Ressourcenfeld "
                      "„srid“ angeben, z. B. 25833.") % {"crs": name}) from exc
        if source_srid is None:
            raise GeoIngestError(
                _("Das Koordinatensystem „%(crs)s“ hat keinen bekannten EPSG-Code. Bitte den EPSG-Code im "
                  "Ressourcenfeld „srid“ angeben, z. B. 25833.") % {"crs": source_srs.name or "?"})
    geometry = _GeometryCheck(_transform_for(source_srs, source_srid))
    if len(source_layer) == 0:
        raise GeoIngestError(_("Die Datei enthält keine Geoobjekte."))
    names = list(source_layer.fields)
    fields = [{"name": n, "type": t} for n, t in zip(names, _ogr_field_types(source_layer), strict=True)]

    def iterate() -> Iterator[GeoFeature]:
        for fid, feature in enumerate(source_layer, start=1):
            where = _("Objekt %(n)d") % {"n": fid}
            try:
                properties = {n: _json_safe(ogr_field_value(feature[n])) for n in names}
            except DjangoUnicodeDecodeError as exc:
                raise GeoIngestError(
                    _("%(where)s: ein Text ist nicht in der Kodierung %(encoding)s gespeichert (passt die "
                      ".cpg-Datei?).") % {"where": where, "encoding": encoding}) from exc
            try:
                geom = feature.geom
            except GDALException:
                geom = None
            yield GeoFeature(fid=fid, geometry=geometry(geom, where), properties=properties)

    return GeoFile(kind=kind, source_srid=source_srid, encoding="UTF-8" if kind != "shapefile" else encoding,
                   fields=fields, layer=source_layer.name, _iterate=iterate, _geometry=geometry)


def _reuse(function, **kwargs):
    """Call a geodata.readers function; its error becomes ours (its message is German already)."""
    try:
        return function(**kwargs)
    except LayerImportError as exc:
        raise GeoIngestError(str(exc)) from exc


def _layer_pick(ds: DataSource, wanted: str | None):
    layers = [lyr for lyr in ds if lyr.geom_type.num != _WKB_NONE]
    names = [lyr.name for lyr in layers]
    if not layers:
        raise GeoIngestError(_("Die Datei enthält keine Ebene mit Geometrien."))
    if wanted:
        if wanted not in names:
            raise GeoIngestError(_("Ebene „%(layer)s“ nicht gefunden; vorhanden: %(layers)s.")
                                 % {"layer": wanted, "layers": ", ".join(names)})
        return layers[names.index(wanted)]
    if len(layers) > 1:
        raise GeoIngestError(_("Die Datei enthält mehrere Ebenen (%(layers)s); bitte eine im Ressourcenfeld "
                               "„layer“ angeben.") % {"layers": ", ".join(names)})
    return layers[0]


def _ogr_field_types(layer) -> list[str]:
    types = []
    for index, ftype in enumerate(layer.field_types):
        name = _OGR_TYPES.get(ftype.__name__, "string")
        defn = SimpleNamespace(ptr=capi.get_field_defn(layer._ldefn, index))
        if name == "integer" and ogr_field_is_boolean(defn):
            name = "boolean"
        types.append(name)
    return types


def _json_safe(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- CSV -------------------------------------------------------------------------------------

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
