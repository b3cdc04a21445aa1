"""What reading yields: `GeoFile`, an opened file whose header passed the checks, and
`GeoFeature`, one checked feature in WGS 84 (EPSG:4326, x = lon, y = lat); `GEO_KINDS`
names the formats in messages."""
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry

from .geometry import _GeometryCheck

__all__ = ["GEO_KINDS", "GeoFeature", "GeoFile"]

# kind -> label used in messages
GEO_KINDS = {"geojson": "GeoJSON", "csv": "CSV", "shapefile": "Shapefile", "gpkg": "GeoPackage"}


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
