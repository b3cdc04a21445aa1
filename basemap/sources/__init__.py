"""Readers that turn a basemap source file into feature rows, before anything is written.

A reader yields `FeatureRow`s (target layer, name, kind, SRID, WKB); `basemap.services`
stages them and swaps them in. `source_format(path)` decides the reader by the file name and
its first bytes, so a renamed file is refused with a clear error rather than half read.
"""
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from ..errors import SourceMissing, UnknownFormat

__all__ = ["FeatureRow", "source_format", "OSM", "GPKG"]

OSM = "osm.pbf"
GPKG = "gpkg"
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class FeatureRow:
    """One feature for a target layer of `basemap.models.FEATURE_MODELS`; WKB in `srid`."""

    layer: str
    name: str
    kind: str
    srid: int
    wkb: bytes


def source_format(path: Path) -> str:
    """`OSM` or `GPKG` for an existing file, else SourceMissing / UnknownFormat."""
    if not path.is_file():
        raise SourceMissing(_("Die Datei „%(p)s“ gibt es nicht oder sie ist keine Datei.") % {"p": path})
    name = path.name.lower()
    if name.endswith(".pbf"):
        return OSM
    if name.endswith(".gpkg"):
        return GPKG
    raise UnknownFormat(_("Unbekanntes Format „%(p)s“: erwartet wird ein OpenStreetMap-Auszug (.osm.pbf) "
                          "oder ein GeoPackage (.gpkg).") % {"p": path.name})


def is_sqlite(path: Path) -> bool:
    """Whether the file starts like an SQLite database (every GeoPackage does)."""
    with path.open("rb") as fh:
        return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
