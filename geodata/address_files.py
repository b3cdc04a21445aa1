"""Reading an address list into validated address rows, before anything is written.

Two sources are supported:

**Amtliche Hauskoordinaten Deutschland (HK-DE)**, the text file the Zentrale Stelle
Hauskoordinaten und Hausumringe (ZSHH) delivers (Datenformatbeschreibung HK-DE, version 4.x):
`.csv` or `.txt`, semicolon-separated, one house per line, UTF-8 (older deliveries in
ISO 8859-1 are recognised), lines starting with `#` are comments. The 18 columns, in order:

    1 NBA  record flag (N new, A changed, L to delete; often empty)
    2 OI   unique record id            3 QUA  quality (A, B, C)
    4 LAN  state key  5 RBZ  district-government key  6 KRS  county key  7 GMD  municipality key
    8 OTT  locality key                9 SSS  street key
   10 HNR  house number (digits)      11 ADZ  addition ("a", "1")
   12 East  ETRS89/UTM easting, decimal comma, with the zone in front (8 digits: "32716543,210")
   13 North ETRS89/UTM northing, decimal comma ("5639876,540")
   14 STN  street name   15 PLZ  postcode   16 ONM  postal town   17 ZON  town addition
   18 POT  postal district

We use HNR, ADZ, East, North, STN, PLZ, ONM (→ city) and POT (→ district); NBA "L" removes
the address. A first line whose first column is `NBA` is a header (some state portals add
one); then columns are found by these names (East: a name starting with "EEEE", "EAST" or
"OST"; North: "NNNN", "NORTH" or "NORD"). An easting of six digits has no zone: give
`utm_zone` (32 → EPSG:25832, 33 → EPSG:25833).

**OpenStreetMap**: points and building polygons tagged `addr:street` (or `addr:place`) and
`addr:housenumber`, optionally `addr:postcode`, `addr:city`, `addr:suburb`, from GeoJSON
(`.geojson`/`.json`, e.g. an Overpass export), a GeoPackage (`.gpkg`) or an OSM extract
(`.osm.pbf`/`.osm`; GDAL's OSM driver keeps the tags in `other_tags`). Read through pyogrio;
polygons become a point inside them (`representative_point`); any CRS is transformed to
WGS 84. Objects without house number and street are not addresses and are skipped. A
house number list ("5;7") gives one address per number, a range ("5-7") its two ends.

Every problem is collected with its line (HK-DE) or object number (OSM); the file is refused
as a whole. Coordinates of the result are WGS 84 lon/lat.
"""
import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import AddressImportError
from .models import Address

__all__ = ["AddressRow", "AddressFile", "address_file_read", "house_number_parse"]

Progress = Callable[[int, int], None]  # (rows read, rows in the file)

_MAX_PROBLEMS = 20
_HK_COLUMNS = ["NBA", "OI", "QUA", "LAN", "RBZ", "KRS", "GMD", "OTT", "SSS", "HNR", "ADZ", "EAST", "NORTH",
               "STN", "PLZ", "ONM", "ZON", "POT"]
_HK_SUFFIXES = (".csv", ".txt")
_OSM_SUFFIXES = (".geojson", ".json", ".gpkg", ".pbf", ".osm")
_UTM_EPSG = {32: 25832, 33: 25833}  # ETRS89 / UTM zone 32N, 33N
# Plausible ETRS89/UTM northings for Germany (47.2°–55.1° N), metres.
_NORTHING_MIN, _NORTHING_MAX = 5_200_000, 6_150_000
_NUMBER_RE = re.compile(r"^(\d{1,5})\s*(?:([a-z]{1,3})|/\s*(\d{1,3}))?$", re.IGNORECASE)
_OTHER_TAGS_RE = re.compile(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"')
_STREET_MAX = Address._meta.get_field("street").max_length
_TEXT_MAX = Address._meta.get_field("city").max_length


@dataclass(frozen=True)
class AddressRow:
    """One validated address; `lon`/`lat` are WGS 84 degrees. `where` names its line or object."""

    street: str
    number: int
    suffix: str
    postcode: str
    city: str
    district: str
    lon: float
    lat: float
    where: str
    delete: bool = False  # HK-DE NBA "L": the address no longer exists

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.street, self.number, self.suffix, self.postcode)


@dataclass(frozen=True)
class AddressFile:
    rows: list[AddressRow]
    source: str  # Address.Source value
    skipped: int = 0  # OSM objects that are not addresses


def house_number_parse(value: str) -> tuple[int, str] | None:
    """("5a" → (5, "a"), "5 A" → (5, "a"), "5/1" → (5, "1")); None if it is not one house number."""
    match = _NUMBER_RE.match((value or "").strip())
    if not match:
        return None
    return int(match.group(1)), (match.group(2) or match.group(3) or "").lower()


def address_file_read(*, path: str | Path, utm_zone: int | None = None,
                      progress: Progress | None = None) -> AddressFile:
    """All addresses of an HK-DE (.csv/.txt) or OSM (.geojson/.gpkg/.osm.pbf) file, or
    AddressImportError listing every problem (nothing is written by this module)."""
    path = Path(path)
    if not path.is_file():
        raise AddressImportError(_("Die Datei „%(p)s“ gibt es nicht oder sie ist keine Datei.") % {"p": path})
    suffix = path.suffix.lower()
    if utm_zone is not None and utm_zone not in _UTM_EPSG:
        raise AddressImportError(_("UTM-Zone %(z)s wird nicht unterstützt: erlaubt sind 32 und 33.") % {"z": utm_zone})
    if suffix in _HK_SUFFIXES:
        rows, problems = _hk_read(path, utm_zone=utm_zone, progress=progress)
        result = AddressFile(rows=rows, source=Address.Source.HK_DE)
    elif suffix in _OSM_SUFFIXES:
        rows, problems, skipped = _osm_read(path, progress=progress)
        result = AddressFile(rows=rows, source=Address.Source.OSM, skipped=skipped)
    else:
        raise AddressImportError(
            _("Dateiformat „%(s)s“ wird nicht unterstützt: erwartet .csv/.txt (Hauskoordinaten HK-DE) oder "
              ".geojson, .gpkg, .osm.pbf (OpenStreetMap).") % {"s": suffix or path.name})
    seen: dict[tuple, str] = {}
    for row in rows:
        if row.key in seen and not row.delete:
            problems.append(_("%(w)s: %(a)s kommt schon in %(o)s vor.")
                            % {"w": row.where, "a": _row_label(row), "o": seen[row.key]})
        seen.setdefault(row.key, row.where)
    if problems:
        _raise(problems, file_name=path.name)
    if not rows:
        raise AddressImportError(_("Die Datei %(f)s enthält keine Adressen.") % {"f": path.name})
    return result


def _row_label(row: AddressRow) -> str:
    number = f"{row.number}/{row.suffix}" if row.suffix[:1].isdigit() else f"{row.number}{row.suffix}"
    return " ".join(p for p in (row.street, number, row.postcode) if p)


def _raise(problems: list[str], *, file_name: str):
    shown = problems[:_MAX_PROBLEMS]
    message = (ngettext("%(n)d Fehler in %(f)s:", "%(n)d Fehler in %(f)s:", len(problems))
               % {"n": len(problems), "f": file_name} + "\n  " + "\n  ".join(shown))
    if len(problems) > len(shown):
        message += "\n  " + _("… und %(n)d weitere.") % {"n": len(problems) - len(shown)}
    raise AddressImportError(message, problems)


def _text(path: Path) -> str:
    data = path.read_bytes() if path.stat().st_size else b""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")  # HK-DE before version 4 was delivered in ISO Latin-1


# --- HK-DE ----------------------------------------------------------------------------------

def _hk_columns(header: list[str]) -> dict[str, int]:
    """Column positions by name from a header line (see the module docstring)."""
    names = [h.strip().upper() for h in header]
    columns = {}
    for index, name in enumerate(names):
        if name.startswith("EEEE") or name in ("EAST", "OST", "OSTWERT", "RECHTSWERT"):
            columns.setdefault("EAST", index)
        elif name.startswith("NNNN") or name in ("NORTH", "NORD", "NORDWERT", "HOCHWERT"):
            columns.setdefault("NORTH", index)
        elif name in _HK_COLUMNS:
            columns.setdefault(name, index)
    missing = [c for c in ("HNR", "EAST", "NORTH", "STN") if c not in columns]
    if missing:
        raise AddressImportError(_("Der Kopfzeile fehlen die Spalten: %(c)s (Hauskoordinaten HK-DE: HNR, ADZ, "
                                   "Ostwert, Nordwert, STN, PLZ, ONM, POT).") % {"c": ", ".join(missing)})
    return columns


def _hk_read(path: Path, *, utm_zone: int | None, progress: Progress | None):
    try:
        text = _text(path)
    except OSError as exc:
        raise AddressImportError(_("Die Datei kann nicht gelesen werden: %(e)s") % {"e": exc.strerror}) from exc
    lines = text.splitlines()
    total = len(lines)
    columns = {name: i for i, name in enumerate(_HK_COLUMNS)}
    parsed, problems = [], []  # parsed: (where, zone, easting, northing, fields)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header_seen = False
    try:
        for record in reader:
            line = reader.line_num
            if progress and line % 1000 == 0:
                progress(line, total)
            if not record or not any(v.strip() for v in record) or record[0].lstrip().startswith("#"):
                continue
            if not header_seen and not parsed and record[0].strip().upper().lstrip("\ufeff") == "NBA":
                columns, header_seen = _hk_columns(record), True
                continue
            where = _("Zeile %(n)d") % {"n": line}
            if len(record) <= max(columns[c] for c in ("HNR", "EAST", "NORTH", "STN")):
                problems.append(_("%(w)s: %(n)d Spalten statt 18 – ist das eine HK-DE-Datei (Semikolon als "
                                  "Trennzeichen)?") % {"w": where, "n": len(record)})
                continue

            def field(name, record=record, columns=columns):
                index = columns.get(name)
                return record[index].strip() if index is not None and index < len(record) else ""

            row = _hk_row(where=where, field=field, utm_zone=utm_zone, problems=problems)
            if row:
                parsed.append(row)
    except csv.Error as exc:
        problems.append(_("Zeile %(n)d: kein gültiges CSV (%(e)s).") % {"n": reader.line_num, "e": exc})
    if progress:
        progress(total, total)
    return _hk_transform(parsed), problems


def _hk_row(*, where: str, field, utm_zone: int | None, problems: list):
    before = len(problems)
    street = field("STN")
    if not street:
        problems.append(_("%(w)s: Straßenname (STN) fehlt.") % {"w": where})
    elif len(street) > _STREET_MAX:
        problems.append(_("%(w)s: Straßenname ist länger als %(n)d Zeichen.") % {"w": where, "n": _STREET_MAX})
    number_text = field("HNR")
    if not number_text.isdigit() or len(number_text) > 5:
        problems.append(_("%(w)s: Hausnummer (HNR) „%(v)s“ ist keine Zahl.") % {"w": where, "v": number_text})
    suffix = field("ADZ").lower().replace(" ", "")
    if len(suffix) > 3 or (suffix and not suffix.isalnum()):
        problems.append(_("%(w)s: Adressierungszusatz (ADZ) „%(v)s“ ist ungültig.") % {"w": where, "v": field("ADZ")})
    postcode = field("PLZ")
    if postcode and not (postcode.isdigit() and len(postcode) == 5):
        problems.append(_("%(w)s: Postleitzahl (PLZ) „%(v)s“ hat nicht fünf Ziffern.") % {"w": where, "v": postcode})
    zone, easting = _hk_easting(field("EAST"), utm_zone=utm_zone)
    if easting is None:
        problems.append(_("%(w)s: Ostwert „%(v)s“ ist keine ETRS89/UTM-Koordinate (8 Stellen mit Zone 32 oder 33 "
                          "vorn, z. B. 32716543,210; ohne Zone --utm-zone angeben).")
                        % {"w": where, "v": field("EAST")})
    northing = _decimal(field("NORTH"))
    if northing is None or not _NORTHING_MIN <= northing <= _NORTHING_MAX:
        problems.append(_("%(w)s: Nordwert „%(v)s“ liegt nicht in Deutschland (ETRS89/UTM, Meter).")
                        % {"w": where, "v": field("NORTH")})
    if len(problems) > before:
        return None
    return where, zone, easting, northing, {
        "street": street, "number": int(number_text), "suffix": suffix, "postcode": postcode,
        "city": field("ONM")[:_TEXT_MAX], "district": field("POT")[:_TEXT_MAX],
        "delete": field("NBA").upper() == "L"}


def _decimal(value: str) -> float | None:
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _hk_easting(value: str, *, utm_zone: int | None) -> tuple[int | None, float | None]:
    """(zone, easting in metres without zone); (None, None) when it is not a UTM easting."""
    number = _decimal(value)
    if number is None or number < 0:
        return None, None
    digits = len(str(int(number)))
    if digits == 8:
        zone, easting = int(number // 1_000_000), number % 1_000_000
        return (zone, easting) if zone in _UTM_EPSG and 100_000 <= easting <= 900_000 else (None, None)
    if digits == 6 and utm_zone is not None:
        return utm_zone, number
    return None, None


def _hk_transform(parsed: list) -> list[AddressRow]:
    """UTM to WGS 84 lon/lat, one pyproj call per zone."""
    from pyproj import Transformer

    rows: list[AddressRow | None] = [None] * len(parsed)
    for zone, epsg in _UTM_EPSG.items():
        indexes = [i for i, item in enumerate(parsed) if item[1] == zone]
        if not indexes:
            continue
        transformer = Transformer.from_crs(epsg, 4326, always_xy=True)  # x = easting → lon, y = northing → lat
        lons, lats = transformer.transform([parsed[i][2] for i in indexes], [parsed[i][3] for i in indexes])
        for i, lon, lat in zip(indexes, lons, lats, strict=True):
            where, _zone, _e, _n, values = parsed[i]
            rows[i] = AddressRow(lon=round(float(lon), 7), lat=round(float(lat), 7), where=where, **values)
    return [r for r in rows if r is not None]


# --- OpenStreetMap ----------------------------------------------------------------------------

def _osm_read(path: Path, *, progress: Progress | None):
    import pyogrio
    from pyproj import CRS, Transformer
    from shapely import from_wkb

    try:
        layers = [str(name) for name, _geometry_type in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError and friends; the message is shown
        raise AddressImportError(_("Die Datei kann nicht gelesen werden: %(e)s") % {"e": exc}) from exc
    if path.suffix.lower() in (".pbf", ".osm"):
        layers = [name for name in layers if name in ("points", "multipolygons")]
    rows, problems, skipped, index = [], [], 0, 0
    for layer in layers:
        try:
            meta, _fids, geometries, values = pyogrio.raw.read(path, layer=layer)
        except Exception as exc:
            raise AddressImportError(_("Ebene „%(l)s“ kann nicht gelesen werden: %(e)s")
                                     % {"l": layer, "e": exc}) from exc
        transformer = None
        crs = meta.get("crs")
        if crs and CRS.from_user_input(crs).to_epsg() != 4326:
            transformer = Transformer.from_crs(CRS.from_user_input(crs), 4326, always_xy=True)
        fields = [str(f) for f in meta["fields"]]
        total = len(geometries)
        for position in range(total):
            index += 1
            if progress and position % 1000 == 0:
                progress(position, total)
            tags = _osm_tags({name: values[k][position] for k, name in enumerate(fields)})
            street = tags.get("addr:street") or tags.get("addr:place") or ""
            number_text = tags.get("addr:housenumber") or ""
            if not street or not number_text:
                skipped += 1
                continue
            where = _("Objekt %(n)d") % {"n": index}
            geometry = from_wkb(geometries[position]) if geometries[position] is not None else None
            if geometry is None or geometry.is_empty:
                problems.append(_("%(w)s: Objekt ohne Geometrie.") % {"w": where})
                continue
            point = geometry if geometry.geom_type == "Point" else geometry.representative_point()
            lon, lat = (transformer.transform(point.x, point.y) if transformer else (point.x, point.y))
            if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
                problems.append(_("%(w)s: Koordinaten außerhalb von WGS 84.") % {"w": where})
                continue
            if len(street) > _STREET_MAX:
                problems.append(_("%(w)s: Straßenname ist länger als %(n)d Zeichen.") % {"w": where, "n": _STREET_MAX})
                continue
            numbers = _osm_numbers(number_text)
            if numbers is None:
                problems.append(_("%(w)s: Hausnummer „%(v)s“ ist keine Hausnummer (z. B. 5, 5a, 5/1, 5-7).")
                                % {"w": where, "v": number_text})
                continue
            postcode = (tags.get("addr:postcode") or "").strip()
            if postcode and not (postcode.isdigit() and len(postcode) == 5):
                problems.append(_("%(w)s: Postleitzahl „%(v)s“ hat nicht fünf Ziffern.") % {"w": where, "v": postcode})
                continue
            for number, suffix in numbers:
                rows.append(AddressRow(street=street.strip(), number=number, suffix=suffix, postcode=postcode,
                                       city=(tags.get("addr:city") or "").strip()[:_TEXT_MAX],
                                       district=(tags.get("addr:suburb") or "").strip()[:_TEXT_MAX],
                                       lon=round(float(lon), 7), lat=round(float(lat), 7), where=where))
        if progress:
            progress(total, total)
    return rows, problems, skipped


def _osm_tags(values: dict) -> dict[str, str]:
    """addr:* tags from columns ("addr:street", or "addr_street" as some exports write it) and
    from GDAL's `other_tags` ("key"=>"value",…)."""
    tags = {}
    for name, value in values.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if name == "other_tags":
            for key, tag_value in _OTHER_TAGS_RE.findall(str(value)):
                tags.setdefault(key.replace('\\"', '"'), tag_value.replace('\\"', '"'))
        elif name.startswith(("addr:", "addr_")):
            tags["addr:" + name[5:]] = str(value)
    return tags


def _osm_numbers(value: str) -> list[tuple[int, str]] | None:
    """House numbers of one OSM object: "5", "5a", "5;7" (list), "5-7" (range: both ends)."""
    parts = [p.strip() for p in re.split(r"[;,]", value) if p.strip()]
    out = []
    for part in parts:
        ends = [e.strip() for e in part.split("-")] if re.fullmatch(r"\d+\s*-\s*\d+", part) else [part]
        for end in ends:
            parsed = house_number_parse(end)
            if parsed is None:
                return None
            out.append(parsed)
    return list(dict.fromkeys(out)) or None
