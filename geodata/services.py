"""Writes: importing a jurisdiction layer from a GeoJSON, zipped Shapefile or GeoPackage file,
and importing the gazetteer (places) from CSV or GeoJSON.

All or nothing: the file is read and validated completely first (`geodata.importers`), then
the layer row and all its areas are written in one transaction. On any error nothing is
written, not even the layer row. Replacing a layer keeps its row (routing rules point at it)
and swaps its areas inside the same transaction, so readers see either the old or the new
areas, never a mix or none.
"""
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import InvalidOption, LayerExists, PlaceImportError
from .importers import LayerFile, Progress, layer_file_read
from .models import JurisdictionArea, JurisdictionLayer, Place
from .place_files import PlaceRow, place_file_read

__all__ = ["LayerImportResult", "layer_import", "PlaceImportResult", "place_import", "places_upsert"]

_BULK_BATCH_SIZE = 500


@dataclass(frozen=True)
class LayerImportResult:
    layer: JurisdictionLayer
    created: int  # areas written
    repaired: list[str] = field(default_factory=list)  # one German message per repaired geometry
    deleted: int = 0  # old areas removed by replace=True


def layer_import(
    *,
    path: str | Path,
    layer_slug: str,
    layer_name: str | None = None,
    role: str | None = None,
    srid: int | None = None,
    name_field: str | None = None,
    code_field: str | None = None,
    authority_field: str | None = None,
    source_layer: str | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> LayerImportResult:
    """Import the polygons of `path` as the areas of layer `layer_slug` (EPSG:4326, lon/lat).

    A new layer gets `layer_name` (default: the slug) and `role` (default: "area"); when
    replacing, the existing name and role are kept unless given. `srid` is an integer EPSG
    code that overrides the file's CRS. Raises a `LayerImportError` subclass and writes
    nothing if anything is wrong, including `LayerExists` when the layer exists and
    `replace` is False.
    """
    _options_check(layer_slug=layer_slug, layer_name=layer_name, role=role)
    # Fail fast before reading a large file; checked again under a row lock below.
    if not replace and JurisdictionLayer.objects.filter(slug=layer_slug).exists():
        raise _layer_exists(layer_slug)
    layer_file = layer_file_read(
        path=path, srid=srid, name_field=name_field, code_field=code_field, authority_field=authority_field,
        source_layer=source_layer, progress=progress,
    )
    with transaction.atomic():
        layer = JurisdictionLayer.objects.select_for_update().filter(slug=layer_slug).first()
        deleted = 0
        if layer is None:
            layer = JurisdictionLayer(slug=layer_slug, name=layer_name or layer_slug,
                                      role=role or JurisdictionLayer.Role.AREA)
        elif not replace:
            raise _layer_exists(layer_slug)
        else:
            deleted, _per_model = layer.areas.all().delete()
            layer.name = layer_name or layer.name
            layer.role = role or layer.role
        _layer_save(layer, layer_file)
        areas = JurisdictionArea.objects.bulk_create(
            [
                JurisdictionArea(layer=layer, name=f.name, code=f.code, authority=f.authority,
                                 attributes=f.attributes, geom=f.geom)
                for f in layer_file.features
            ],
            batch_size=_BULK_BATCH_SIZE,
        )
    return LayerImportResult(layer=layer, created=len(areas), repaired=list(layer_file.repaired), deleted=deleted)


def _options_check(*, layer_slug: str, layer_name: str | None, role: str | None) -> None:
    slug_field = JurisdictionLayer._meta.get_field("slug")
    try:
        validate_slug(layer_slug)
    except ValidationError as exc:
        raise InvalidOption(
            _("„%(slug)s“ ist kein gültiges Ebenen-Kürzel (nur Buchstaben, Ziffern, - und _).") % {"slug": layer_slug}
        ) from exc
    if len(layer_slug) > slug_field.max_length:
        raise InvalidOption(_("Das Ebenen-Kürzel ist länger als %(limit)d Zeichen.") % {"limit": slug_field.max_length})
    name_limit = JurisdictionLayer._meta.get_field("name").max_length
    if layer_name is not None and not (0 < len(layer_name) <= name_limit):
        raise InvalidOption(_("Der Ebenenname muss 1 bis %(limit)d Zeichen lang sein.") % {"limit": name_limit})
    if role is not None and role not in JurisdictionLayer.Role.values:
        raise InvalidOption(
            _("Unbekannte Rolle „%(role)s“; erlaubt: %(roles)s.")
            % {"role": role, "roles": ", ".join(JurisdictionLayer.Role.values)}
        )


def _layer_save(layer: JurisdictionLayer, layer_file: LayerFile) -> None:
    layer.source = layer_file.source[: JurisdictionLayer._meta.get_field("source").max_length]
    layer.source_srid = layer_file.source_srid
    layer.imported_at = timezone.now()
    try:
        with transaction.atomic():  # savepoint: a concurrent import may have created the slug
            layer.save()
    except IntegrityError as exc:
        raise _layer_exists(layer.slug) from exc


def _layer_exists(slug: str) -> LayerExists:
    return LayerExists(
        _("Die Ebene „%(slug)s“ existiert bereits; zum Ersetzen ihrer Gebiete --replace angeben.") % {"slug": slug}
    )


# --- gazetteer ------------------------------------------------------------------------------

# A place farther than this outside the city boundary is refused: usually swapped lon/lat
# columns or a wrong file (metres on the WGS 84 spheroid, measured by PostGIS geography).
PLACE_MAX_OUTSIDE_M = 5000


@dataclass(frozen=True)
class PlaceImportResult:
    created: int
    updated: int
    deleted: int = 0  # places not in the file, removed by replace=True


def place_import(*, path: str | Path, replace: bool = False) -> PlaceImportResult:
    """Import the gazetteer from a CSV or GeoJSON file (see `geodata.place_files`), all or nothing.

    Places are matched by (name, kind): existing ones get the new point and other names,
    new ones are created. With `replace`, places missing from the file are deleted. Raises
    `PlaceImportError` (nothing written) when a row is invalid or lies more than
    PLACE_MAX_OUTSIDE_M outside the city boundary.
    """
    rows = place_file_read(path=path)
    _places_inside_check(rows=rows)
    with transaction.atomic():
        created, updated = places_upsert(rows=rows)
        deleted = 0
        if replace:
            keep = {(r.name, r.kind) for r in rows}
            stale = [pk for pk, name, kind in Place.objects.values_list("pk", "name", "kind")
                     if (name, kind) not in keep]
            deleted, _per_model = Place.objects.filter(pk__in=stale).delete()
    return PlaceImportResult(created=created, updated=updated, deleted=deleted)


def places_upsert(*, rows: list[PlaceRow], is_demo: bool = False) -> tuple[int, int]:
    """Create or update places by (name, kind); returns (created, updated). Points are WGS 84."""
    existing = {(p.name, p.kind): p for p in Place.objects.filter(name__in=[r.name for r in rows])}
    new, changed = [], []
    for row in rows:
        point = Point(row.lon, row.lat, srid=4326)  # x = lon, y = lat
        alt_names = "\n".join(row.alt_names)
        place = existing.get((row.name, row.kind))
        if place is None:
            new.append(Place(name=row.name, kind=row.kind, point=point, alt_names=alt_names, is_demo=is_demo))
        elif place.point != point or place.alt_names != alt_names:
            place.point, place.alt_names = point, alt_names
            changed.append(place)
    with transaction.atomic():
        Place.objects.bulk_create(new, batch_size=_BULK_BATCH_SIZE)
        Place.objects.bulk_update(changed, ["point", "alt_names"], batch_size=_BULK_BATCH_SIZE)
    return len(new), len(changed)


_OUTSIDE_SQL = """
SELECT t.i, round(ST_Distance(ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography, b.geog)::numeric)
FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS t(lon, lat, i),
     (SELECT ST_Union(a.geom)::geography AS geog FROM geodata_jurisdictionarea a
      JOIN geodata_jurisdictionlayer l ON l.id = a.layer_id WHERE l.role = 'boundary') AS b
WHERE b.geog IS NOT NULL
  AND NOT ST_DWithin(ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography, b.geog, %(max_m)s)
ORDER BY t.i
"""


def _places_inside_check(*, rows: list[PlaceRow]) -> None:
    """Refuse places far outside the city boundary (one PostGIS statement; no boundary, no check)."""
    with connection.cursor() as cursor:
        cursor.execute(_OUTSIDE_SQL, {"lons": [r.lon for r in rows], "lats": [r.lat for r in rows],
                                      "max_m": PLACE_MAX_OUTSIDE_M})
        outside = cursor.fetchall()
    if not outside:
        return
    problems = [
        _("%(w)s: „%(n)s“ (lon %(x)s, lat %(y)s) liegt %(km)s km außerhalb der Stadtgrenze – lon und lat "
          "vertauscht?") % {"w": rows[i - 1].where, "n": rows[i - 1].name, "x": rows[i - 1].lon,
                            "y": rows[i - 1].lat, "km": round(float(metres) / 1000, 1)}
        for i, metres in outside
    ]
    heading = ngettext("%(n)d Ort liegt außerhalb der Stadt:", "%(n)d Orte liegen außerhalb der Stadt:",
                       len(problems)) % {"n": len(problems)}
    raise PlaceImportError(heading + "\n  " + "\n  ".join(problems[:20]), problems)
