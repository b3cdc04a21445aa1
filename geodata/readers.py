"""Building blocks for reading vector files with Django's GDAL bindings (GDAL >= 3.6): the public
API shared by the jurisdiction-layer importer (`geodata.importers`) and the open-data ingest of
uploaded resources (`opendata.geo.reading`).

- `gdal_path_resolve`: the path GDAL opens, a zipped Shapefile read in place through `/vsizip/`;
- `srs_from_epsg`, `srs_epsg_identify`: integer EPSG codes to and from GDAL spatial references,
  always in traditional GIS axis order (x = easting/longitude, y = northing/latitude);
- `geojson_crs_read`, `declared_crs_check`: a GeoJSON file's `crs` member, checked against what
  GDAL understood (GDAL silently falls back to WGS 84 when it does not know a declared CRS);
- `ogr_field_value`, `ogr_field_is_boolean`: JSON-safe attribute values and the boolean subtype
  Django does not wrap.

Errors are `geodata.errors.LayerImportError` subclasses with German messages; some name the
`manage.py import_layer` options (`--srid`, `--source-layer`), as the importer shows them.
Only integer EPSG codes given by the user reach GDAL; SRS text from the user is never parsed.
"""
import json
import math
import re
import zipfile
from ctypes import c_int, c_void_p
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from django.contrib.gis.gdal import GDALException, SpatialReference, SRSException
from django.contrib.gis.gdal import field as ogr_field
from django.contrib.gis.gdal.libgdal import lgdal
from django.contrib.gis.gdal.srs import AxisOrder
from django.utils.translation import gettext as _

from .errors import CorruptFile, InvalidOption, UnknownCRS, UnknownSourceLayer, UnsupportedFormat

__all__ = [
    "TARGET_SRID", "declared_crs_check", "gdal_path_resolve", "geojson_crs_read", "ogr_field_is_boolean",
    "ogr_field_value", "srs_epsg_identify", "srs_from_epsg",
]

TARGET_SRID = 4326  # WGS 84; read with AxisOrder.TRADITIONAL, so x = lon, y = lat as PostGIS expects
_OFST_BOOLEAN = 1  # OGRFieldSubType OFSTBoolean (ogr_core.h)
_EPSG_NAME = re.compile(r"(?:EPSG:(?:[\d.]*:)?|/EPSG/\d+/)(\d+)$", re.IGNORECASE)


# --- file and layer ---------------------------------------------------------------------------

def gdal_path_resolve(
    *, file_path: Path, suffix: str, source_layer: str | None,
) -> tuple[str, str | None, str | None]:
    """The path GDAL opens, the layer name still to choose inside it (None: the only one) and,
    for a ZIP, the source label ("archive.zip" or "archive.zip:member" when it has several).

    A `.zip` must hold a Shapefile (`UnsupportedFormat` otherwise); with several, `source_layer`
    names one by its stem (`UnknownSourceLayer` if missing or unknown). Other suffixes pass
    through unchanged."""
    if suffix != ".zip":
        return str(file_path), source_layer, None
    try:
        with zipfile.ZipFile(file_path) as archive:
            members = [n for n in archive.namelist()
                       if n.lower().endswith(".shp") and not n.startswith("__MACOSX/")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorruptFile(_("Die Datei „%(file)s“ ist kein lesbares ZIP-Archiv.") % {"file": file_path.name}) from exc
    if not members:
        raise UnsupportedFormat(
            _("Das ZIP-Archiv „%(file)s“ enthält kein Shapefile (.shp).") % {"file": file_path.name}
        )
    names = {Path(m).stem: m for m in members}
    if source_layer is None and len(members) > 1:
        raise UnknownSourceLayer(
            _("Das ZIP-Archiv enthält mehrere Shapefiles (%(layers)s); bitte eines mit --source-layer "
              "wählen.") % {"layers": ", ".join(sorted(names))},
            layers=sorted(names),
        )
    member = members[0] if source_layer is None else names.get(source_layer)
    if member is None:
        raise UnknownSourceLayer(
            _("Ebene „%(layer)s“ nicht gefunden; vorhanden: %(layers)s.")
            % {"layer": source_layer, "layers": ", ".join(sorted(names))}
        )
    label = file_path.name if len(members) == 1 else f"{file_path.name}:{Path(member).stem}"
    # /vsizip/ + absolute path + member: GDAL reads the archive without unpacking it.
    return f"/vsizip/{file_path}/{member}", None, label


# --- coordinate reference systems -------------------------------------------------------------

def srs_from_epsg(srid) -> SpatialReference:
    """The spatial reference of the integer EPSG code `srid`, in traditional axis order.

    Raises `InvalidOption` unless `srid` is a positive int (no SRS text reaches GDAL) and
    `UnknownCRS` if GDAL does not know the code."""
    if isinstance(srid, bool) or not isinstance(srid, int) or srid <= 0:
        raise InvalidOption(_("--srid erwartet einen ganzzahligen EPSG-Code, z. B. 25833."))
    try:
        return SpatialReference(srid, axis_order=AxisOrder.TRADITIONAL)
    except (GDALException, SRSException) as exc:
        raise UnknownCRS(_("EPSG:%(srid)d ist GDAL nicht bekannt.") % {"srid": srid}) from exc


def srs_epsg_identify(srs: SpatialReference) -> int | None:
    """The EPSG code of `srs` (OGC:CRS84 counts as 4326, same axis order as we use), or None."""
    if (srs.auth_name(None) or "").upper() == "OGC" and srs.auth_code(None) == "CRS84":
        return TARGET_SRID
    if (srs.auth_name(None) or "").upper() == "EPSG" and srs.srid:
        return srs.srid
    candidate = srs.clone()
    try:
        candidate.identify_epsg()
    except (GDALException, SRSException):
        return None
    return candidate.srid if (candidate.auth_name(None) or "").upper() == "EPSG" else None


def geojson_crs_read(*, file_path: Path) -> dict | None:
    """The top-level `crs` member of a GeoJSON file (None if absent); also catches broken JSON
    (`CorruptFile`).

    This parses the whole file once more in Python: fine for jurisdiction layers (a few MB),
    but it needs memory of several times the file's size.

    GDAL silently falls back to WGS 84 when it does not know a declared CRS, so the
    declaration is compared with what GDAL understood (`declared_crs_check`).
    """
    try:
        with file_path.open("rb") as fh:
            data = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptFile(
            _("Die Datei „%(file)s“ ist kein gültiges JSON: %(error)s") % {"file": file_path.name, "error": exc}
        ) from exc
    if not isinstance(data, dict):
        raise CorruptFile(_("Die Datei „%(file)s“ ist kein GeoJSON-Objekt.") % {"file": file_path.name})
    crs = data.get("crs")
    return crs if isinstance(crs, dict) else None


def declared_crs_check(*, declared: dict | None, source_srid: int | None, file_path: Path) -> None:
    """Raise `UnknownCRS` unless the GeoJSON `crs` member `declared` (`geojson_crs_read`) names
    the CRS GDAL read (`source_srid`, from `srs_epsg_identify`); None passes."""
    if declared is None:
        return
    name = str((declared.get("properties") or {}).get("name") or "")
    if name.upper().endswith("CRS84"):
        expected = TARGET_SRID
    else:
        match = _EPSG_NAME.search(name)
        expected = int(match.group(1)) if match else None
    if expected is not None and expected == source_srid:
        return
    if expected is None and source_srid != TARGET_SRID:
        return  # a non-EPSG name GDAL resolved to something other than its WGS 84 fallback
    raise UnknownCRS(
        _("Das Koordinatensystem „%(crs)s“ in „%(file)s“ ist unbekannt. Bitte den EPSG-Code mit "
          "--srid angeben.") % {"crs": name or json.dumps(declared), "file": file_path.name}
    )


# --- attribute fields -------------------------------------------------------------------------

def ogr_field_value(fld):
    """A JSON-safe Python value for an OGR field of a feature (None for NULL/unset): booleans
    for the boolean subtype, None for NaN/infinite reals, ISO 8601 text for dates and times
    (date-times with their UTC offset when the file gives one)."""
    value = fld.value
    if value is None:
        return None
    if isinstance(fld, ogr_field.OFTInteger) and ogr_field_is_boolean(fld):
        return bool(value)
    if isinstance(fld, ogr_field.OFTReal):
        return value if math.isfinite(value) else None
    if isinstance(fld, ogr_field.OFTDateTime):
        return _datetime_aware(fld, value).isoformat()
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return value


def ogr_field_is_boolean(fld) -> bool:
    """Whether a field has OGR's boolean subtype (OFSTBoolean); GeoJSON true/false arrive as
    OFTInteger with it. `fld` is anything whose `ptr` is an OGRFieldDefnH: a feature's
    `django.contrib.gis.gdal.Field`, or a wrapper around a layer's field definition."""
    # Django does not wrap OGR_Fld_GetSubType.
    func = lgdal.OGR_Fld_GetSubType
    func.argtypes, func.restype = [c_void_p], c_int
    return func(fld.ptr) == _OFST_BOOLEAN


def _datetime_aware(fld, value: datetime) -> datetime:
    # OGR time zone flag: 0 unknown, 1 local time, 100 UTC, 100 ± n = UTC ± n * 15 minutes.
    tz_flag = fld.as_datetime()[-1].value
    if tz_flag > 1:
        return value.replace(tzinfo=timezone(timedelta(minutes=15 * (tz_flag - 100))))
    return value
