"""Coordinate reference systems of the OGC API – Features service (OGC 18-058r1, Part 2:
Coordinate Reference Systems by Reference): which CRS a client may ask for, how geometries
are written in them, and how geometries a client sends (`bbox` with `bbox-crs`, CQL2
literals with `filter-crs`) become WGS 84.

The data are stored in EPSG:4326 with (lon, lat) axes, i.e. CRS84 (the default, OGC
17-069r4 §7.10). Output is transformed by PostGIS (`ST_Transform`); EPSG:4326 as the
registry defines it has (lat, lon) axes, so its coordinates are swapped
(`ST_FlipCoordinates`), as /req/crs/crs-uri and the axis-order note of Part 2 §6.2 demand.
Client geometries are transformed in Python (pyproj) before they reach SQL, so an
unusable coordinate is a clear 400 rather than a PostGIS error.

Precision: degrees are written with 6 decimals (≈ 0.1 m at 51° N), metres with 1 decimal
(0.1 m). The public reports' points are already snapped to the public grid
(`reporter.public`); a transformation of a snapped point reveals nothing finer.
"""
import math
from dataclasses import dataclass
from functools import cache

import shapely
from django.utils.translation import gettext as _
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from .errors import OgcParamError

__all__ = ["CRS84", "DEFAULT_CRS", "SUPPORTED_CRS", "Crs", "crs_geometry_to_wgs84", "crs_output_sql", "crs_parse"]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


@dataclass(frozen=True)
class Crs:
    """One supported CRS: its URI (the only spelling Part 2 requires), EPSG code (4326 for
    CRS84 too), whether its first axis is latitude, and the decimals written."""

    uri: str
    srid: int
    lat_first: bool
    decimals: int

    @property
    def geographic(self) -> bool:
        return self.srid == 4326


def _epsg(code: int) -> str:
    return f"http://www.opengis.net/def/crs/EPSG/0/{code}"


SUPPORTED_CRS = {
    crs.uri: crs for crs in (
        Crs(CRS84, 4326, lat_first=False, decimals=6),
        Crs(_epsg(4326), 4326, lat_first=True, decimals=6),
        Crs(_epsg(25832), 25832, lat_first=False, decimals=1),  # ETRS89 / UTM zone 32N (E, N)
        Crs(_epsg(25833), 25833, lat_first=False, decimals=1),  # ETRS89 / UTM zone 33N (E, N)
        Crs(_epsg(3857), 3857, lat_first=False, decimals=1),  # WGS 84 / Pseudo-Mercator (E, N)
    )
}
DEFAULT_CRS = SUPPORTED_CRS[CRS84]


def crs_parse(raw: str | None, *, param: str) -> Crs:
    """The CRS named by `raw` (a URI, or a safe CURIE such as `[EPSG:25833]`); CRS84 when
    absent; anything else is a 400 listing what is supported."""
    if raw is None:
        return DEFAULT_CRS
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        authority, _sep, code = text[1:-1].partition(":")
        text = CRS84 if (authority.upper(), code) == ("OGC", "CRS84") else _epsg(code) if \
            authority.upper() == "EPSG" else text
    found = SUPPORTED_CRS.get(text)
    if found is None:
        raise OgcParamError(
            _("%(param)s: das Koordinatenreferenzsystem „%(value)s“ wird nicht unterstützt. Möglich sind: "
              "%(supported)s.") % {"param": param, "value": raw, "supported": ", ".join(SUPPORTED_CRS)})
    return found


def crs_output_sql(geometry_sql: str, crs: Crs) -> str:
    """SQL turning `geometry_sql` (EPSG:4326, lon/lat) into `crs`'s coordinates. The SRID
    comes from the whitelist above, never from the request text."""
    if crs.srid != 4326:
        return f"ST_Transform({geometry_sql}, {int(crs.srid)})"
    if crs.lat_first:
        return f"ST_FlipCoordinates({geometry_sql})"
    return geometry_sql


@cache
def _to_wgs84(srid: int) -> Transformer:
    return Transformer.from_crs(srid, 4326, always_xy=True)


def crs_geometry_to_wgs84(geometry: BaseGeometry, crs: Crs, *, param: str) -> BaseGeometry:
    """`geometry` (coordinates in `crs`'s axis order) as CRS84 (lon, lat). Straight edges of
    a projected geometry are densified first (1/64 of its extent), so that a rectangle in
    UTM stays the same area in degrees to well below a metre at city scale."""
    if crs.lat_first:
        geometry = shapely.transform(geometry, lambda xy: xy[:, ::-1])
    elif not crs.geographic:
        xmin, ymin, xmax, ymax = geometry.bounds
        span = max(xmax - xmin, ymax - ymin)
        if span > 0 and not geometry.geom_type.endswith("Point"):
            geometry = shapely.segmentize(geometry, span / 64)
        transformer = _to_wgs84(crs.srid)
        geometry = shapely.transform(geometry, lambda xy: _transform(transformer, xy))
    coordinates = shapely.get_coordinates(geometry)
    if not all(math.isfinite(v) for v in coordinates.flat) or len(coordinates) == 0 or not (
            (abs(coordinates[:, 0]) <= 180).all() and (abs(coordinates[:, 1]) <= 90).all()):
        raise OgcParamError(
            _("%(param)s: die Koordinaten liegen außerhalb des Gültigkeitsbereichs von %(crs)s.")
            % {"param": param, "crs": crs.uri})
    return geometry


def _transform(transformer: Transformer, xy):
    import numpy

    x, y = transformer.transform(xy[:, 0], xy[:, 1], errcheck=False)
    return numpy.column_stack([x, y])
