"""One owner of the tile versions: the SQL function `opendata_tiles_version_next(source)`.

Until now the counter's upsert was written three times — in the statement trigger of the
layer and dataset tables (`opendata_tiles_version_bump`), in the TRUNCATE trigger of the
reports (`opendata_tiles_cells_clear`) and in the aggregates' refresh (Python). Both triggers
now call the function, and so does `opendata.ogc.tiles.versions.tile_version_bump`; the
counter's rule (start at 1, add 1, in the writing transaction) lives in one place.
"""
from django.db import migrations

_NEXT = """
CREATE OR REPLACE FUNCTION opendata_tiles_version_next(p_source text) RETURNS bigint
LANGUAGE sql VOLATILE AS $$
    -- An upsert: a flushed table (tests) gets its row back.
    INSERT INTO opendata_tileversion (source, version) VALUES (p_source, 1)
    ON CONFLICT (source) DO UPDATE SET version = opendata_tileversion.version + 1
    RETURNING version
$$;

CREATE OR REPLACE FUNCTION opendata_tiles_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM opendata_tiles_version_next(TG_ARGV[0]);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION opendata_tiles_cells_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM opendata_reportcell;
    DELETE FROM opendata_reportcelldirty;
    PERFORM opendata_tiles_version_next('report_cells');
    RETURN NULL;
END $$;
"""

# The bodies of 0005, for migrating back.
_PREVIOUS = """
CREATE OR REPLACE FUNCTION opendata_tiles_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO opendata_tileversion (source, version) VALUES (TG_ARGV[0], 1)
    ON CONFLICT (source) DO UPDATE SET version = opendata_tileversion.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION opendata_tiles_cells_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM opendata_reportcell;
    DELETE FROM opendata_reportcelldirty;
    INSERT INTO opendata_tileversion (source, version) VALUES ('report_cells', 1)
    ON CONFLICT (source) DO UPDATE SET version = opendata_tileversion.version + 1;
    RETURN NULL;
END $$;

DROP FUNCTION IF EXISTS opendata_tiles_version_next(text);
"""


class Migration(migrations.Migration):
    dependencies = [("opendata", "0006_tiles_no_version_lock_on_report_writes")]

    operations = [migrations.RunSQL(_NEXT, reverse_sql=_PREVIOUS)]
