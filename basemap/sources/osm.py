"""Reading an OpenStreetMap extract (.osm.pbf) into basemap feature rows, with pyosmium.

pyosmium (libosmium) reads the file, keeps node locations for the ways and assembles areas
from closed ways and multipolygon relations. What becomes what:

- roads: ways with `highway` of a class in `classes.ROAD_KINDS` (links count as their road);
- railways: ways with `railway` rail, light_rail, tram, subway, narrow_gauge;
- water lines: ways with `waterway` river, stream, canal, ditch/drain;
- buildings, water areas, green areas: areas (closed ways, multipolygons) with `building`,
  `natural=water`/`waterway=riverbank`/`landuse=reservoir|basin`, park/forest/grass tags;
- places: nodes with `place` city … square.

Coordinates are WGS 84 (EPSG:4326). A way whose nodes are missing from the extract (cut at
its border) is skipped and counted, not fatal: every extract has them.
"""
from collections.abc import Callable, Iterator
from pathlib import Path

import osmium
from django.utils.translation import gettext as _

from ..errors import SourceUnreadable
from . import FeatureRow
from .classes import PLACE_KINDS, RAILWAY_KINDS, ROAD_KINDS, WATER_LINE_KINDS, green_kind, water_area_kind

__all__ = ["osm_rows"]

_PROGRESS_EVERY = 200_000  # OSM objects between two progress lines


def osm_rows(*, path: Path, progress: Callable[[str], None], skipped: dict) -> Iterator[FeatureRow]:
    """The basemap features of an .osm.pbf file; `skipped["geometry"]` counts broken ways/areas."""
    wkb = osmium.geom.WKBFactory()
    seen = 0
    try:
        processor = osmium.FileProcessor(str(path)).with_locations().with_areas()
        for obj in processor:
            seen += 1
            if seen % _PROGRESS_EVERY == 0:
                progress(_("%(n)s OSM-Objekte gelesen") % {"n": seen})
            try:
                yield from _rows_of(obj, wkb)
            except (osmium.InvalidLocationError, RuntimeError):
                skipped["geometry"] = skipped.get("geometry", 0) + 1
    except RuntimeError as exc:
        # libosmium reports a damaged or non-PBF file as RuntimeError (e.g. "PBF error: ...").
        raise SourceUnreadable(_("Der OpenStreetMap-Auszug „%(p)s“ ist nicht lesbar: %(e)s")
                               % {"p": path.name, "e": exc}) from exc
    progress(_("%(n)s OSM-Objekte gelesen") % {"n": seen})


def _rows_of(obj, wkb) -> Iterator[FeatureRow]:
    """The rows one OSM object contributes (usually none or one)."""
    tags = obj.tags
    name = tags.get("name", "")
    if obj.is_node():
        kind = PLACE_KINDS.get(tags.get("place", ""))
        if kind and name:
            yield FeatureRow("places", name, kind, 4326, bytes.fromhex(wkb.create_point(obj)))
    elif obj.is_way():
        for layer, key, table in (("roads", "highway", ROAD_KINDS), ("railways", "railway", RAILWAY_KINDS),
                                  ("water_lines", "waterway", WATER_LINE_KINDS)):
            kind = table.get(tags.get(key, ""))
            if kind:
                yield FeatureRow(layer, name, str(kind), 4326, bytes.fromhex(wkb.create_linestring(obj)))
                return
    elif obj.is_area():
        layer, kind = _area_layer(tags)
        if layer:
            yield FeatureRow(layer, name, kind, 4326, bytes.fromhex(wkb.create_multipolygon(obj)))


def _area_layer(tags) -> tuple[str, str]:
    """(target layer, kind) of an OSM area, or ("", "")."""
    if tags.get("building", "no") != "no":
        return "buildings", ""
    kind = water_area_kind(tags)
    if kind:
        return "water_areas", kind
    kind = green_kind(tags)
    if kind:
        return "green_areas", kind
    return "", ""
