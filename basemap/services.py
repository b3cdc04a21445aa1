"""Writes of the basemap app: importing a source file, all or nothing.

`basemap_import` runs in one transaction: it creates staging tables (temporary, dropped at
commit), streams the reader's rows into them with COPY, then swaps: it empties each live table
and fills it from its staging table, repairing and transforming the geometries in PostGIS
(`ST_MakeValid`, `ST_CollectionExtract` to the layer's geometry type, `ST_Transform` to
EPSG:3857). Readers of the tiles see the old basemap until the commit and the new one after
it; any error — an unreadable file, a missing layer, no feature at all — rolls everything
back and leaves the previous basemap as it was.
"""
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from .errors import NothingImported
from .models import FEATURE_MODELS, SRID, BasemapImport
from .sources import OSM, source_format
from .sources.gpkg import DEFAULT_MAPPING, gpkg_rows
from .sources.osm import osm_rows

__all__ = ["basemap_import", "OSM_ATTRIBUTION"]

OSM_ATTRIBUTION = "© OpenStreetMap-Mitwirkende (ODbL)"
# PostGIS collection type per model geometry: 1 points, 2 lines, 3 polygons.
_EXTRACT = {"PointField": 1, "MultiLineStringField": 2, "MultiPolygonField": 3}


def basemap_import(*, path: str | Path, mapping: dict | None = None, attribution: str | None = None,
                   progress: Callable[[str], None] = lambda line: None) -> BasemapImport:
    """Replace the basemap with the content of an .osm.pbf or .gpkg file (all or nothing).

    `mapping` is the GeoPackage layer mapping (default `sources.gpkg.DEFAULT_MAPPING`);
    `attribution` the source credit shown on the map (OSM extracts default to the ODbL credit).
    Raises a `BasemapImportError`; then nothing was changed."""
    path = Path(path)
    fmt = source_format(path)
    skipped: dict = {}
    if fmt == OSM:
        rows = osm_rows(path=path, progress=progress, skipped=skipped)
        attribution = OSM_ATTRIBUTION if attribution is None else attribution
    else:
        rows = gpkg_rows(path=path, mapping=mapping or DEFAULT_MAPPING, progress=progress, skipped=skipped)
    with transaction.atomic():
        _stage_create()
        staged = _stage_fill(rows)
        if not sum(staged.values()):
            raise NothingImported(_("„%(p)s“ enthält kein Objekt der Basiskarte (Straßen, Gebäude, Gewässer, "
                                    "Grünflächen, Bahnstrecken, Ortsnamen); die bisherige Basiskarte bleibt.")
                                  % {"p": path.name})
        counts = _swap()
        version = BasemapImport.objects.create(source=path.name[:255], source_format=fmt,
                                               attribution=(attribution or "")[:255], counts=counts)
    for layer, count in counts.items():
        progress(_("%(layer)s: %(n)s") % {"layer": layer, "n": count})
    if skipped.get("geometry"):
        progress(_("%(n)s Objekte ohne vollständige Geometrie übersprungen") % {"n": skipped["geometry"]})
    return version


def _stage(layer: str) -> str:
    return f"basemap_stage_{layer}"


def _stage_create() -> None:
    """One temporary staging table per target layer; dropped at the end of the transaction."""
    with connection.cursor() as cursor:
        for layer in FEATURE_MODELS:
            cursor.execute(f"DROP TABLE IF EXISTS {_stage(layer)}")
            cursor.execute(f"CREATE TEMP TABLE {_stage(layer)} (name text, kind text, srid integer, wkb bytea) "
                           "ON COMMIT DROP")


def _stage_fill(rows) -> dict[str, int]:
    """COPY the rows into their staging tables; the number of rows per layer.

    One COPY per layer at a time: rows of a reader come grouped by layer (GeoPackage) or mixed
    (OSM), so rows are buffered per layer and flushed in blocks."""
    staged = dict.fromkeys(FEATURE_MODELS, 0)
    buffers: dict[str, list] = {layer: [] for layer in FEATURE_MODELS}
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor: COPY is not part of the DB-API

        def flush(layer):
            with raw.copy(f"COPY {_stage(layer)} (name, kind, srid, wkb) FROM STDIN") as copy:
                for row in buffers[layer]:
                    copy.write_row(row)
            staged[layer] += len(buffers[layer])
            buffers[layer].clear()

        for row in rows:
            buffer = buffers[row.layer]
            buffer.append((row.name, row.kind, row.srid, row.wkb))
            if len(buffer) >= 5000:
                flush(row.layer)
        for layer in FEATURE_MODELS:
            if buffers[layer]:
                flush(layer)
    return staged


def _swap() -> dict[str, int]:
    """Empty every live table and fill it from its staging table; rows per layer."""
    counts = {}
    with connection.cursor() as cursor:
        for layer, model in FEATURE_MODELS.items():
            table = model._meta.db_table
            geom_type = _EXTRACT[model._meta.get_field("geom").get_internal_type()]
            # Points: a place given as an area gets its label point inside the area.
            shape = "ST_PointOnSurface(g)" if geom_type == 1 else "ST_Multi(g)"
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"""INSERT INTO {table} (name, kind, geom)
                    SELECT left(name, 200), left(kind, 32), {shape} FROM (
                      SELECT name, kind, ST_CollectionExtract(ST_MakeValid(
                               ST_Transform(ST_Force2D(ST_GeomFromWKB(wkb, srid)), {SRID})), {geom_type}) AS g
                      FROM {_stage(layer)}) s
                    WHERE NOT ST_IsEmpty(g)""")
            counts[layer] = cursor.rowcount
            cursor.execute(f"DROP TABLE {_stage(layer)}")
    return counts

