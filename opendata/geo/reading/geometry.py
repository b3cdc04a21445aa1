"""Coordinate reference systems and geometry checks shared by every format: the source CRS
as an EPSG code, its transformation to WGS 84 (EPSG:4326, traditional lon/lat order), and
`_GeometryCheck`, which checks one geometry after another (present, one kind, Z/M dropped,
transformable, not empty, within ±180° / ±90°)."""
import math

from django.contrib.gis.gdal import CoordTransform, GDALException, OGRGeometry, SpatialReference, SRSException
from django.contrib.gis.gdal.srs import AxisOrder
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext as _

from geodata.errors import InvalidOption, UnknownCRS
from geodata.readers import TARGET_SRID, srs_from_epsg

from ..errors import GeoIngestError

_FAMILIES = {
    "POINT": "Point", "MULTIPOINT": "Point", "LINESTRING": "LineString", "MULTILINESTRING": "LineString",
    "POLYGON": "Polygon", "MULTIPOLYGON": "Polygon",
}
_NAMES = {
    "POINT": "Point", "MULTIPOINT": "MultiPoint", "LINESTRING": "LineString", "MULTILINESTRING": "MultiLineString",
    "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon", "GEOMETRYCOLLECTION": "GeometryCollection",
}


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
