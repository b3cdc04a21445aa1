"""Reading a vector file into validated polygon features in EPSG:4326 (x = lon, y = lat).

Supported inputs (read with Django's GDAL bindings, GDAL >= 3.6):

* GeoJSON (`.geojson`, `.json`); without a `crs` member it is OGC:CRS84 (RFC 7946),
* a zipped ESRI Shapefile (`.zip`, read through GDAL's `/vsizip/`; the `.prj` gives the CRS),
* GeoPackage (`.gpkg`; `source_layer` picks one layer when it has several).

`layer_file_read` reads and checks everything before anything is written: the file opens,
the layer has features, every geometry is a Polygon or MultiPolygon, the CRS is known and
transformable, the mapped attribute fields exist. Invalid polygons (self-intersections,
bow-ties) are repaired with GEOS `MakeValid`, keeping only the polygonal parts, and every
repair is reported. Z and M values are dropped.

Axis order: GDAL 3 honours the EPSG axis order (EPSG:4326 is lat/lon). The three formats
store x = easting/longitude, and both ends of the transformation use
`AxisOrder.TRADITIONAL`, so the result is x = lon, y = lat as PostGIS expects.

Accuracy: ETRS89 (EPSG:25832/25833) to WGS 84 is PROJ's null transformation, below 1 m for
our purposes; DHDN (EPSG:31468) uses the best transformation PROJ has installed (a Helmert
transformation without the BeTA2007 grid, about 1–3 m).

Only integer EPSG codes given by the user reach GDAL (`srid`); SRS text from the user is
never parsed. The CRS declared inside a file is read by GDAL as part of reading the file.

The GDAL building blocks (ZIP paths, EPSG codes, the GeoJSON `crs` check, field values) are
`geodata.readers`, shared with the open-data ingest (`opendata.geo.reading`).
"""
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import (
    CoordTransform,
    DataSource,
    GDALException,
    OGRGeometry,
    SpatialReference,
    SRSException,
)
from django.contrib.gis.gdal.srs import AxisOrder
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.utils.translation import gettext as _

from .errors import (
    CorruptFile,
    EmptyLayer,
    FileUnreadable,
    ImplausibleCoordinates,
    InvalidGeometry,
    InvalidValue,
    MissingField,
    UnknownCRS,
    UnknownSourceLayer,
    UnsupportedFormat,
    WrongGeometryType,
)
from .models import JurisdictionArea
from .readers import (
    TARGET_SRID,
    declared_crs_check,
    gdal_path_resolve,
    geojson_crs_read,
    ogr_field_value,
    srs_epsg_identify,
    srs_from_epsg,
)

__all__ = ["SUPPORTED_SUFFIXES", "FeatureRecord", "LayerFile", "layer_file_read"]

# File suffix -> the GDAL driver that must have recognised the file. Checking the driver
# keeps GDAL from reading e.g. a VRT (which can point at other files) disguised as .json.
SUPPORTED_SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".zip": "ESRI Shapefile", ".gpkg": "GPKG"}
_POLYGONAL = {"POLYGON", "MULTIPOLYGON"}
_GEOMETRY_NAMES = {
    "POINT": "Point", "MULTIPOINT": "MultiPoint", "LINESTRING": "LineString",
    "MULTILINESTRING": "MultiLineString", "GEOMETRYCOLLECTION": "GeometryCollection",
    "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon",
}
_NAME_FIELD_DEFAULT = "name"  # used (case-insensitively) when no name field is given

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FeatureRecord:
    """One validated feature, ready to become a JurisdictionArea."""

    index: int  # 1-based position in the source layer, as shown in messages
    name: str
    code: str
    authority: str
    attributes: dict  # JSON-safe: dates/times as ISO 8601 strings
    geom: MultiPolygon  # EPSG:4326, x = lon, y = lat, valid


@dataclass(frozen=True)
class LayerFile:
    """The validated content of one source layer."""

    source: str  # file name and, for multi-layer files, the layer name
    source_srid: int | None  # EPSG code of the source CRS, None if it has none
    features: list[FeatureRecord]
    repaired: list[str] = field(default_factory=list)  # one German message per repaired feature


def layer_file_read(
    *,
    path: str | Path,
    srid: int | None = None,
    name_field: str | None = None,
    code_field: str | None = None,
    authority_field: str | None = None,
    source_layer: str | None = None,
    progress: Progress | None = None,
) -> LayerFile:
    """Read and validate all polygons of `path`, transformed to EPSG:4326 (lon/lat).

    `srid` (an integer EPSG code) overrides the CRS the file declares. Without `name_field`
    a field called "name" (any case) is used if present, else "Gebiet <n>". All fields not
    mapped to name/code/authority go into `attributes`. `progress(done, total)` is called
    after each feature. Raises a `LayerImportError` subclass on the first problem.
    """
    file_path = _file_check(path)
    suffix = file_path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(
            _("Dateiformat „%(suffix)s“ wird nicht unterstützt; erlaubt sind %(allowed)s "
              "(Shapefile als .zip).") % {"suffix": suffix or file_path.name, "allowed": ", ".join(SUPPORTED_SUFFIXES)}
        )
    target_srs = SpatialReference(TARGET_SRID, axis_order=AxisOrder.TRADITIONAL)
    override_srs = srs_from_epsg(srid) if srid is not None else None

    declared_crs = geojson_crs_read(file_path=file_path) if SUPPORTED_SUFFIXES[suffix] == "GeoJSON" else None
    gdal_path, source_layer, source = gdal_path_resolve(file_path=file_path, suffix=suffix, source_layer=source_layer)
    try:
        ds = DataSource(gdal_path)
    except GDALException as exc:
        raise CorruptFile(
            _("Die Datei „%(file)s“ ist beschädigt oder kein gültiges %(format)s.")
            % {"file": file_path.name, "format": SUPPORTED_SUFFIXES[suffix]}
        ) from exc
    if ds.driver.name != SUPPORTED_SUFFIXES[suffix]:
        raise UnsupportedFormat(
            _("„%(file)s“ wurde als %(found)s erkannt, erwartet war %(expected)s.")
            % {"file": file_path.name, "found": ds.driver.name, "expected": SUPPORTED_SUFFIXES[suffix]}
        )
    layer = _layer_pick(ds, file_path, source_layer)
    fields = list(layer.fields)
    mapping = _field_mapping(fields, name_field=name_field, code_field=code_field, authority_field=authority_field)

    if override_srs is not None:
        source_srs, source_srid = override_srs, srid
    else:
        source_srs = layer.srs
        if source_srs is None:
            raise UnknownCRS(
                _("Die Datei „%(file)s“ gibt kein Koordinatensystem an. Bitte den EPSG-Code mit "
                  "--srid angeben (z. B. --srid 25833).") % {"file": file_path.name}
            )
        source_srid = srs_epsg_identify(source_srs)
        declared_crs_check(declared=declared_crs, source_srid=source_srid, file_path=file_path)
    try:
        transform = CoordTransform(source_srs, target_srs)
    except (GDALException, SRSException) as exc:
        raise UnknownCRS(
            _("Das Koordinatensystem „%(crs)s“ lässt sich nicht nach WGS 84 umrechnen. Bitte den "
              "EPSG-Code mit --srid angeben.") % {"crs": source_srs.name or "?"}
        ) from exc

    total = len(layer)
    if total == 0:
        raise EmptyLayer(_("Die Ebene „%(layer)s“ enthält keine Objekte.") % {"layer": layer.name})
    features, repaired = [], []
    for index, feature in enumerate(layer, start=1):
        name, code, authority, attributes = _feature_values(feature, fields, mapping, index)
        geom, reason = _feature_geometry(feature, transform, index, name)
        if reason:
            repaired.append(
                _("Objekt %(index)d „%(name)s“: ungültige Geometrie repariert (%(reason)s).")
                % {"index": index, "name": name, "reason": reason}
            )
        features.append(FeatureRecord(index=index, name=name, code=code, authority=authority,
                                      attributes=attributes, geom=geom))
        if progress is not None:
            progress(index, total)
    if source is None:
        source = file_path.name if len(ds) == 1 else f"{file_path.name}:{layer.name}"
    return LayerFile(source=source, source_srid=source_srid, features=features, repaired=repaired)


# --- file and layer ---------------------------------------------------------------------------

def _file_check(path: str | Path) -> Path:
    file_path = Path(path).expanduser().resolve()
    if not file_path.exists():
        raise FileUnreadable(_("Die Datei „%(path)s“ existiert nicht.") % {"path": path})
    if not file_path.is_file():
        raise FileUnreadable(_("„%(path)s“ ist keine Datei.") % {"path": path})
    try:
        with file_path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        raise FileUnreadable(
            _("Die Datei „%(path)s“ kann nicht gelesen werden: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    return file_path


def _layer_pick(ds: DataSource, file_path: Path, source_layer: str | None):
    names = [layer.name for layer in ds]
    if not names:
        raise EmptyLayer(_("Die Datei „%(file)s“ enthält keine Ebene.") % {"file": file_path.name})
    if source_layer is None:
        if len(names) > 1:
            raise UnknownSourceLayer(
                _("Die Datei enthält mehrere Ebenen (%(layers)s); bitte eine mit --source-layer wählen.")
                % {"layers": ", ".join(names)}
            )
        return ds[0]
    if source_layer not in names:
        raise UnknownSourceLayer(
            _("Ebene „%(layer)s“ nicht gefunden; vorhanden: %(layers)s.")
            % {"layer": source_layer, "layers": ", ".join(names)}
        )
    return ds[source_layer]


def _field_mapping(fields: list[str], **mapped: str | None) -> dict[str, str | None]:
    """{"name_field": field or None, ...}; every explicitly mapped field must exist."""
    for option, field_name in mapped.items():
        if field_name is not None and field_name not in fields:
            raise MissingField(
                _("Das Feld „%(field)s“ (--%(option)s) fehlt in der Datei; vorhandene Felder: %(fields)s.")
                % {"field": field_name, "option": option.replace("_", "-"), "fields": ", ".join(fields) or "–"}
            )
    if mapped["name_field"] is None:
        mapped["name_field"] = next((f for f in fields if f.lower() == _NAME_FIELD_DEFAULT), None)
    return mapped


# --- features ---------------------------------------------------------------------------------

def _feature_values(feature, fields: list[str], mapping: dict, index: int) -> tuple[str, str, str, dict]:
    values = {name: ogr_field_value(feature[name]) for name in fields}
    mapped = {f for f in mapping.values() if f}
    attributes = {k: v for k, v in values.items() if k not in mapped}

    def text(option: str, model_field: str) -> str:
        source = mapping[option]
        value = _text(values[source]) if source else ""
        limit = JurisdictionArea._meta.get_field(model_field).max_length
        if len(value) > limit:
            raise InvalidValue(
                _("Objekt %(index)d: der Wert von „%(field)s“ ist %(length)d Zeichen lang, erlaubt "
                  "sind %(limit)d.") % {"index": index, "field": source, "length": len(value), "limit": limit}
            )
        return value

    name = text("name_field", "name") or _("Gebiet %(index)d") % {"index": index}
    return name, text("code_field", "code"), text("authority_field", "authority"), attributes


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code stored as 16052000.0 in a DBF numeric field
    return str(value).strip()


def _feature_geometry(feature, transform: CoordTransform, index: int, name: str) -> tuple[MultiPolygon, str]:
    """The feature's geometry as a valid MultiPolygon in EPSG:4326 (lon/lat), and the GEOS
    validity reason if it had to be repaired ("" otherwise)."""
    try:
        geom: OGRGeometry = feature.geom
    except GDALException:
        geom = None
    if geom is None:
        raise InvalidGeometry(_("Objekt %(index)d „%(name)s“ hat keine Geometrie.") % {"index": index, "name": name})
    if geom.geom_name not in _POLYGONAL:
        found = _GEOMETRY_NAMES.get(geom.geom_name, geom.geom_name)
        raise WrongGeometryType(
            _("Objekt %(index)d „%(name)s“ hat den Geometrietyp %(type)s; erlaubt sind nur Polygon und "
              "MultiPolygon.") % {"index": index, "name": name, "type": found}
        )
    if geom.is_3d:
        geom.set_3d(False)
    if geom.is_measured:
        geom.set_measured(False)
    try:
        geom.transform(transform)
    except GDALException as exc:
        raise ImplausibleCoordinates(
            _("Objekt %(index)d „%(name)s“ lässt sich nicht nach WGS 84 umrechnen; passt das "
              "Koordinatensystem? Sonst bitte --srid angeben.") % {"index": index, "name": name}
        ) from exc
    geos = GEOSGeometry(geom.wkb, srid=TARGET_SRID)  # WKB as memoryview
    if geos.empty:
        raise InvalidGeometry(
            _("Objekt %(index)d „%(name)s“ hat eine leere Geometrie.") % {"index": index, "name": name}
        )
    x0, y0, x1, y1 = geos.extent  # lon/lat after the transformation
    if not all(math.isfinite(c) for c in (x0, y0, x1, y1)) or x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
        raise ImplausibleCoordinates(
            _("Objekt %(index)d „%(name)s“ liegt nach der Umrechnung außerhalb von Längengrad ±180°/"
              "Breitengrad ±90°; das angegebene Koordinatensystem passt nicht zu den Koordinaten. "
              "Bitte den richtigen EPSG-Code mit --srid angeben.") % {"index": index, "name": name}
        )
    if geos.valid:
        return _multipolygon(geos), ""
    reason = geos.valid_reason
    try:
        repaired = _polygonal_parts(geos.make_valid())
    except GEOSException:
        repaired = None
    if repaired is None or repaired.empty:
        raise InvalidGeometry(
            _("Objekt %(index)d „%(name)s“: ungültige Geometrie (%(reason)s) lässt sich nicht zu einem "
              "Polygon reparieren.") % {"index": index, "name": name, "reason": reason}
        )
    return repaired, reason


def _multipolygon(geos: GEOSGeometry) -> MultiPolygon:
    if isinstance(geos, MultiPolygon):
        return geos
    return MultiPolygon(geos, srid=TARGET_SRID)


def _polygonal_parts(geos: GEOSGeometry) -> MultiPolygon | None:
    """Only the polygons of a MakeValid result (which may also hold collapsed lines/points)."""
    if isinstance(geos, Polygon):
        polygons = [geos]
    elif isinstance(geos, MultiPolygon):
        polygons = list(geos)
    elif geos.geom_type == "GeometryCollection":
        polygons = []
        for part in geos:
            sub = _polygonal_parts(part)
            if sub is not None:
                polygons.extend(sub)
    else:
        polygons = []
    polygons = [p for p in polygons if not p.empty]
    if not polygons:
        return None
    result = MultiPolygon(*polygons, srid=TARGET_SRID)
    if not result.valid:  # parts of a collection that touch along an edge: dissolve them
        result = _multipolygon(result.unary_union)
    return result
