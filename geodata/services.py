"""Writes: importing a jurisdiction layer from a GeoJSON, zipped Shapefile or GeoPackage file,
importing the gazetteer (places) from CSV or GeoJSON, and importing the address list (house
coordinates HK-DE or OpenStreetMap addresses, see `geodata.address_files`).

All or nothing: the file is read and validated completely first (`geodata.importers`), then
the layer row and all its areas are written in one transaction. On any error nothing is
written, not even the layer row. Replacing a layer keeps its row (routing rules point at it)
and swaps its areas inside the same transaction, so readers see either the old or the new
areas, never a mix or none.

Every write of a layer's areas (`layer_import`, `area_save`, `areas_delete`, used by the
admin) gives the layer a new `areas_version` in the same transaction; the layer's vector tiles
carry it as their ETag. Each takes the layer's row first, then the areas' rows: one lock order,
so an import and an edit of the same layer wait for each other and never deadlock.
"""
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import Point
from django.contrib.postgres.functions import RandomUUID
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .address_files import AddressFile, AddressRow, address_file_read
from .address_files import Progress as AddressProgress
from .errors import AddressImportError, InvalidOption, LayerExists, PlaceImportError
from .importers import LayerFile, Progress, layer_file_read
from .models import Address, JurisdictionArea, JurisdictionLayer, Place
from .place_files import PlaceRow, place_file_read

__all__ = ["LayerImportResult", "area_save", "areas_delete", "layer_import", "PlaceImportResult", "place_import",
           "places_upsert", "AddressImportResult", "address_import", "addresses_upsert"]

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
    layer.areas_version = uuid.uuid4()
    try:
        with transaction.atomic():  # savepoint: a concurrent import may have created the slug
            layer.save()
    except IntegrityError as exc:
        raise _layer_exists(layer.slug) from exc


def area_save(*, area: JurisdictionArea) -> None:
    """Save a changed existing area (the admin): its layer gets a new `areas_version`.
    Raises DatabaseError if the area was deleted meanwhile (a replacing import)."""
    with transaction.atomic():
        layer_ids = {area.layer_id, *JurisdictionArea.objects.filter(pk=area.pk).values_list("layer_id", flat=True)}
        _layers_lock(layer_ids)
        area.save(force_update=True)  # never re-insert an area an import removed meanwhile
        _areas_changed(layer_ids)


def areas_delete(*, areas: Iterable[JurisdictionArea]) -> int:
    """Delete `areas` (the admin); their layers get a new `areas_version`. Returns how many."""
    ids = [area.pk for area in areas]
    with transaction.atomic():
        layer_ids = set(JurisdictionArea.objects.filter(pk__in=ids).values_list("layer_id", flat=True))
        _layers_lock(layer_ids)
        deleted, _per_model = JurisdictionArea.objects.filter(pk__in=ids).delete()
        _areas_changed(layer_ids)
    return deleted


def _layers_lock(layer_ids: set[int]) -> None:
    """Lock the layers' rows, in id order, before any of their areas (the order of `layer_import`)."""
    list(JurisdictionLayer.objects.select_for_update().filter(pk__in=layer_ids).order_by("pk").values_list("pk"))


def _areas_changed(layer_ids: set[int]) -> None:
    JurisdictionLayer.objects.filter(pk__in=layer_ids).update(areas_version=RandomUUID())


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


def _outside_city(*, lons: list[float], lats: list[float]) -> list[tuple[int, float]]:
    """(1-based position, metres) of the points farther than PLACE_MAX_OUTSIDE_M outside the city
    boundary (one PostGIS statement; no boundary layer, no check)."""
    with connection.cursor() as cursor:
        cursor.execute(_OUTSIDE_SQL, {"lons": lons, "lats": lats, "max_m": PLACE_MAX_OUTSIDE_M})
        return cursor.fetchall()


def _places_inside_check(*, rows: list[PlaceRow]) -> None:
    """Refuse places far outside the city boundary."""
    outside = _outside_city(lons=[r.lon for r in rows], lats=[r.lat for r in rows])
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


# --- address list ---------------------------------------------------------------------------

@dataclass(frozen=True)
class AddressImportResult:
    created: int
    updated: int
    unchanged: int
    deleted: int = 0  # HK-DE rows flagged "L" whose address existed
    skipped: int = 0  # OSM objects without street and house number


def address_import(*, path: str | Path, utm_zone: int | None = None, is_demo: bool = False,
                   progress: AddressProgress | None = None) -> AddressImportResult:
    """Import addresses from an HK-DE or OSM file (see `geodata.address_files`), all or nothing.

    Addresses are matched by street, number, suffix and postcode: existing ones get the new
    point, city and district, new ones are created, so importing the same file twice changes
    nothing. Raises `AddressImportError` (nothing written) when a row is invalid or lies more
    than PLACE_MAX_OUTSIDE_M outside the city boundary (usually a wrong UTM zone).
    """
    address_file = address_file_read(path=path, utm_zone=utm_zone, progress=progress)
    _addresses_inside_check(rows=address_file.rows)
    created, updated, unchanged, deleted = addresses_upsert(address_file=address_file, is_demo=is_demo)
    return AddressImportResult(created=created, updated=updated, unchanged=unchanged, deleted=deleted,
                               skipped=address_file.skipped)


def addresses_upsert(*, address_file: AddressFile, is_demo: bool = False) -> tuple[int, int, int, int]:
    """Create, update or (HK-DE "L") delete addresses by their key, in one transaction; returns
    (created, updated, unchanged, deleted). Points are WGS 84 (lon, lat)."""
    rows = address_file.rows
    streets = sorted({r.street for r in rows})
    with transaction.atomic():
        existing = {(a.street, a.number, a.suffix, a.postcode): a
                    for a in Address.objects.filter(street__in=streets).select_for_update()}
        new, changed, stale, unchanged = [], [], [], 0
        for row in rows:
            address = existing.get(row.key)
            if row.delete:
                if address is not None:
                    stale.append(address.pk)
                continue
            point = Point(row.lon, row.lat, srid=4326)  # x = lon, y = lat
            if address is None:
                new.append(Address(street=row.street, number=row.number, suffix=row.suffix, postcode=row.postcode,
                                   city=row.city, district=row.district, point=point,
                                   source=address_file.source, is_demo=is_demo))
            elif (address.point.coords, address.city, address.district, address.source) != (
                    point.coords, row.city, row.district, address_file.source):
                address.point, address.city, address.district = point, row.city, row.district
                address.source = address_file.source
                changed.append(address)
            else:
                unchanged += 1
        Address.objects.bulk_create(new, batch_size=_BULK_BATCH_SIZE)
        Address.objects.bulk_update(changed, ["point", "city", "district", "source"], batch_size=_BULK_BATCH_SIZE)
        deleted, _per_model = Address.objects.filter(pk__in=stale).delete()
    return len(new), len(changed), unchanged, deleted


def _addresses_inside_check(*, rows: list[AddressRow]) -> None:
    """Refuse addresses far outside the city boundary: a wrong zone or another municipality's file."""
    outside = _outside_city(lons=[r.lon for r in rows], lats=[r.lat for r in rows])
    if not outside:
        return
    problems = [
        _("%(w)s: %(s)s %(n)s (lon %(x)s, lat %(y)s) liegt %(km)s km außerhalb der Stadtgrenze.")
        % {"w": rows[i - 1].where, "s": rows[i - 1].street, "n": rows[i - 1].number, "x": rows[i - 1].lon,
           "y": rows[i - 1].lat, "km": round(float(metres) / 1000, 1)}
        for i, metres in outside
    ]
    heading = ngettext("%(n)d Adresse liegt außerhalb der Stadt (Datei auf die Gemeinde beschränken oder "
                       "UTM-Zone prüfen):",
                       "%(n)d Adressen liegen außerhalb der Stadt (Datei auf die Gemeinde beschränken oder "
                       "UTM-Zone prüfen):", len(problems)) % {"n": len(problems)}
    raise AddressImportError(heading + "\n  " + "\n  ".join(problems[:20]), problems)
