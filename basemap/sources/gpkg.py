"""Reading a GeoPackage (official data such as ATKIS/ALKIS, or our own demo) into feature rows.

GDAL reads the file (`django.contrib.gis.gdal.DataSource`). A *mapping* says, per target
layer, which source layer names are accepted (the first present one is used, names compared
case-insensitively) and which attribute holds the name and the class:

    {"roads": {"layers": ["roads", "strassen"], "name": ["name", "nam"], "kind": ["kind", "wdm"]}, ...}

`DEFAULT_MAPPING` accepts our own layer names (as `demo/make_basemap.py` writes them), German
names, and the layer names of ATKIS Basis-DLM Shape/GeoPackage exports as we know them
(ver01_l roads, ver03_l railways, gew01_f/gew01_l water, veg02_f green, sie05_p places) and
ALKIS building footprints (`ax_gebaeude`). The ATKIS names are not verified against a real
delivery: a state's export may differ, and `--mapping` is the way to say so. A different mapping
comes from `--mapping FILE.json` or `settings.BASEMAP["GPKG_MAPPING"]`. A GeoPackage that
has none of the accepted layers is refused with the list of what it has and what we accept.
Each layer keeps its own CRS; the import transforms in PostGIS.
"""
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException
from django.utils.translation import gettext as _

from ..errors import LayersMissing, MappingInvalid, SourceUnreadable
from ..models import FEATURE_MODELS
from . import FeatureRow, is_sqlite
from .classes import (
    PLACE_KINDS,
    RAILWAY_KINDS,
    ROAD_KINDS,
    WATER_LINE_KINDS,
    green_value_kind,
    kind_normalise,
    water_value_kind,
)

__all__ = ["DEFAULT_MAPPING", "gpkg_rows", "mapping_load"]

_NAME = ["name", "nam", "bezeichnung", "bez"]
DEFAULT_MAPPING = {
    "roads": {"layers": ["roads", "strassen", "straßen", "ver01_l", "strassenachse"], "name": _NAME,
              "kind": ["kind", "klasse", "class", "wdm", "highway"]},
    "railways": {"layers": ["railways", "bahnstrecken", "ver03_l", "bahnstrecke"], "name": _NAME,
                 "kind": ["kind", "klasse", "bkt", "railway"]},
    "buildings": {"layers": ["buildings", "gebaeude", "gebäude", "ax_gebaeude"], "name": _NAME, "kind": []},
    "water_areas": {"layers": ["water_areas", "gewaesser_flaechen", "gewässerflächen", "gew01_f"],
                    "name": _NAME, "kind": ["kind", "klasse", "natural"]},
    "water_lines": {"layers": ["water_lines", "gewaesser_linien", "gewässerlinien", "gew01_l"], "name": _NAME,
                    "kind": ["kind", "klasse", "waterway"]},
    "green_areas": {"layers": ["green_areas", "gruenflaechen", "grünflächen", "veg02_f"],
                    "name": _NAME, "kind": ["kind", "klasse", "leisure", "landuse"]},
    "places": {"layers": ["places", "orte", "ortsnamen", "sie05_p"], "name": _NAME,
               "kind": ["kind", "klasse", "place"]},
}
# How a class value becomes a kind, per target layer; None: the layer has no kind.
_KIND_OF = {
    "roads": lambda v: str(kind_normalise(v, ROAD_KINDS, "residential")),
    "railways": lambda v: kind_normalise(v, RAILWAY_KINDS, "rail"),
    "buildings": None,
    "water_areas": water_value_kind,
    "water_lines": lambda v: kind_normalise(v, WATER_LINE_KINDS, "stream"),
    "green_areas": green_value_kind,
    "places": lambda v: kind_normalise(v, PLACE_KINDS, "locality"),
}
_PROGRESS_EVERY = 50_000


def mapping_load(*, path: str | Path) -> dict:
    """A layer mapping from a JSON file, checked against the documented shape (MappingInvalid)."""
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MappingInvalid(_("Die Ebenenzuordnung „%(p)s“ ist keine lesbare JSON-Datei: %(e)s")
                             % {"p": path, "e": exc}) from exc
    problems = []
    if not isinstance(mapping, dict):
        problems.append(_("erwartet wird ein Objekt {Zielebene: {layers, name, kind}}"))
        mapping = {}
    for target, spec in mapping.items():
        if target not in FEATURE_MODELS:
            problems.append(_("unbekannte Zielebene „%(t)s“ (bekannt: %(k)s)")
                            % {"t": target, "k": ", ".join(FEATURE_MODELS)})
        elif not isinstance(spec, dict) or not all(
                isinstance(spec.get(key, []), list) and all(isinstance(v, str) for v in spec.get(key, []))
                for key in ("layers", "name", "kind")) or not spec.get("layers"):
            problems.append(_("„%(t)s“: layers (nicht leer), name und kind müssen Listen von Namen sein")
                            % {"t": target})
    if problems:
        raise MappingInvalid(_("Die Ebenenzuordnung ist ungültig: %(p)s") % {"p": "; ".join(problems)})
    return mapping


def gpkg_rows(*, path: Path, mapping: dict, progress: Callable[[str], None], skipped: dict) -> Iterator[FeatureRow]:
    """The basemap features of a GeoPackage under `mapping`; LayersMissing if no layer matches."""
    if not is_sqlite(path):
        raise SourceUnreadable(_("„%(p)s“ ist kein GeoPackage (keine SQLite-Datei).") % {"p": path.name})
    try:
        source = DataSource(str(path))
    except GDALException as exc:
        raise SourceUnreadable(_("Das GeoPackage „%(p)s“ ist nicht lesbar: %(e)s") % {"p": path.name, "e": exc}) \
            from exc
    present = {layer.name.lower(): layer for layer in source}
    chosen = {}
    for target, spec in mapping.items():
        for candidate in spec["layers"]:
            if candidate.lower() in present:
                chosen[target] = present[candidate.lower()]
                break
    if not chosen:
        accepted = "; ".join(f"{target}: {', '.join(spec['layers'])}" for target, spec in mapping.items())
        raise LayersMissing(_("Das GeoPackage „%(p)s“ hat keine der erwarteten Ebenen. Vorhanden: %(found)s. "
                              "Erwartet (je Zielebene einer dieser Namen): %(accepted)s.")
                            % {"p": path.name, "found": ", ".join(sorted(present)) or "—", "accepted": accepted})
    for target in mapping:
        if target not in chosen:
            progress(_("Ebene %(t)s: nicht im GeoPackage, bleibt leer") % {"t": target})
    for target, layer in chosen.items():
        yield from _layer_rows(target, layer, mapping[target], progress, skipped)


def _layer_rows(target, layer, spec, progress, skipped) -> Iterator[FeatureRow]:
    """The rows of one source layer for one target layer."""
    fields = {f.lower(): f for f in layer.fields}
    name_field = next((fields[f.lower()] for f in spec.get("name", []) if f.lower() in fields), None)
    kind_field = next((fields[f.lower()] for f in spec.get("kind", []) if f.lower() in fields), None)
    kind_of = _KIND_OF[target]
    srid = layer.srs.srid if layer.srs is not None else None
    if srid is None:
        raise SourceUnreadable(_("Die Ebene „%(l)s“ hat kein bekanntes Koordinatensystem (EPSG-Code).")
                               % {"l": layer.name})
    count = 0
    for feature in layer:
        geom = feature.geom
        if geom is None or geom.empty:
            skipped["geometry"] = skipped.get("geometry", 0) + 1
            continue
        name = feature.get(name_field) if name_field else ""
        kind = kind_of(feature.get(kind_field) if kind_field else None) if kind_of else ""
        count += 1
        if count % _PROGRESS_EVERY == 0:
            progress(_("Ebene %(t)s: %(n)s Objekte gelesen") % {"t": target, "n": count})
        yield FeatureRow(target, str(name or "")[:200], kind, srid, bytes(geom.wkb))
    progress(_("Ebene %(t)s (aus „%(l)s“): %(n)s Objekte gelesen") % {"t": target, "l": layer.name, "n": count})
