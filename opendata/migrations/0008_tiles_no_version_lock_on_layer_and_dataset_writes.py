"""Layer and dataset writes no longer bump a shared version row: their tiles get an ETag of
their content (`opendata.ogc.tiles.caching.tile_etag`), as the report points did in 0006.

The statement triggers of 0005 incremented `opendata_tileversion` ('layers' for the two layer
tables, 'resources' for features, resources and datasets) inside the writing transaction, so
the row stayed locked until commit: an ingest (minutes) blocked every edit of any other
dataset, and an ingest and an edit of the same dataset could deadlock (counter → dataset
against dataset → counter). The triggers, their rows and their trigger function go; the
`report_cells` counter stays (only the aggregates' refresh writes it) with
`opendata_tiles_version_next` and the TRUNCATE trigger of the reports.
"""
from django.db import migrations

# (table, source) of the version triggers of 0005 that are left.
_VERSIONED = [
    ("geodata_jurisdictionarea", "layers"), ("geodata_jurisdictionlayer", "layers"),
    ("opendata_resourcefeature", "resources"), ("opendata_resource", "resources"),
    ("opendata_dataset", "resources"),
]

_DROP = "\n".join(f"DROP TRIGGER IF EXISTS opendata_tiles_version ON {table};" for table, _ in _VERSIONED) + """
DROP FUNCTION IF EXISTS opendata_tiles_version_bump();
DELETE FROM opendata_tileversion WHERE source IN ('layers', 'resources');
"""

# The trigger function as 0007 left it, its triggers and rows. The rows restart above any
# version they had before (milliseconds since 1970, at the migration), so no ETag of the old rule names two tiles.
_RESTORE = """
CREATE OR REPLACE FUNCTION opendata_tiles_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM opendata_tiles_version_next(TG_ARGV[0]);
    RETURN NULL;
END $$;
""" + "\n".join(
    f"CREATE TRIGGER opendata_tiles_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_version_bump('{source}');"
    for table, source in _VERSIONED
) + """
INSERT INTO opendata_tileversion (source, version)
    SELECT s, (extract(epoch FROM now()) * 1000)::bigint FROM unnest(ARRAY['layers', 'resources']) s
    ON CONFLICT DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [("opendata", "0007_tiles_one_version_owner")]

    operations = [migrations.RunSQL(_DROP, reverse_sql=_RESTORE)]
