"""GeoJSON, zipped Shapefile and GeoPackage, read with Django's GDAL bindings through
`geodata.readers` (ZIP handling, SRS identification, the GeoJSON `crs` check, field
values), shared with the jurisdiction-layer importer. A GeoJSON file's `crs` member is read
by `geojson_scan` (streaming) instead of geodata's whole-file `geojson_crs_read`."""
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.gdal.prototypes import ds as capi
from django.utils.encoding import DjangoUnicodeDecodeError
from django.utils.translation import gettext as _

from geodata.errors import LayerImportError, UnknownCRS, UnknownSourceLayer, UnsupportedFormat
from geodata.readers import (
    declared_crs_check,
    gdal_path_resolve,
    ogr_field_is_boolean,
    ogr_field_value,
    srs_epsg_identify,
)

from ..errors import GeoIngestError
from .encoding import _shapefile_encoding, _utf8_check
from .files import GEO_KINDS, GeoFeature, GeoFile
from .geojson import geojson_scan
from .geometry import _GeometryCheck, _transform_for

_DRIVERS = {"geojson": "GeoJSON", "shapefile": "ESRI Shapefile", "gpkg": "GPKG"}
_OGR_TYPES = {
    "OFTInteger": "integer", "OFTInteger64": "integer", "OFTReal": "real", "OFTString": "string",
    "OFTWideString": "string", "OFTDate": "date", "OFTDateTime": "datetime", "OFTTime": "time",
    "OFTBinary": "binary", "OFTIntegerList": "list", "OFTInteger64List": "list", "OFTRealList": "list",
    "OFTStringList": "list",
}
_WKB_NONE = 100  # OGRwkbGeometryType wkbNone: a table without geometry


def _ogr_open(path: Path, *, kind: str, srid, override, layer) -> GeoFile | None:
    label = GEO_KINDS[kind]
    declared = None
    codec, encoding = "utf-8", "UTF-8"
    if kind == "geojson":
        _utf8_check(path)
        declared = geojson_scan(path)
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
