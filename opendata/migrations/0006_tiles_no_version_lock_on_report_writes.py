"""Report writes no longer bump a shared version row: the point tiles of `reports` get their
ETag from their content (`opendata.ogc.tiles.caching.tile_etag`).

The statement trigger of 0005 incremented `opendata_tileversion` ('reports') inside every
report write. Two transactions that each changed a report and then bumped the row, or bumped it
and then changed another report, waited for each other: PostgreSQL broke the cycle with a
deadlock error, which a crew saw as a failed status change (found by `make test-cluster`). Now
a report write only appends its grid cells to the dirty list: a plain INSERT without a unique
key (the refresh takes each cell once), so a write never waits for another transaction that
marked the same cell (`ON CONFLICT` would, and two such writes could wait for each other).
"""
from django.db import migrations

_MARK = """
CREATE OR REPLACE FUNCTION opendata_tiles_cells_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO opendata_reportcelldirty (cx, cy)
        SELECT DISTINCT k.cx, k.cy FROM new_rows r, opendata_tiles_cell_key(r.public_location) k
        WHERE r.public_location IS NOT NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO opendata_reportcelldirty (cx, cy)
        SELECT DISTINCT k.cx, k.cy FROM old_rows r, opendata_tiles_cell_key(r.public_location) k
        WHERE r.public_location IS NOT NULL;
    ELSE
        -- Only what the aggregates count: visibility, status, place.
        INSERT INTO opendata_reportcelldirty (cx, cy)
        SELECT DISTINCT k.cx, k.cy
        FROM old_rows o JOIN new_rows n ON n.id = o.id,
             LATERAL (VALUES (o.public_location), (n.public_location)) g(p),
             opendata_tiles_cell_key(g.p) k
        WHERE g.p IS NOT NULL
          AND ((o.moderation, o.status) IS DISTINCT FROM (n.moderation, n.status)
               OR o.public_location IS DISTINCT FROM n.public_location)
        ;
    END IF;
    RETURN NULL;
END $$;
"""

_DROP_VERSION = """
DROP TRIGGER IF EXISTS opendata_tiles_version ON reporter_report;
DROP TRIGGER IF EXISTS opendata_tiles_version ON routing_rules_category;
DELETE FROM opendata_tileversion WHERE source = 'reports';
"""

_RESTORE_VERSION = """
CREATE TRIGGER opendata_tiles_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reporter_report
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_version_bump('reports');
CREATE TRIGGER opendata_tiles_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routing_rules_category
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_version_bump('reports');
INSERT INTO opendata_tileversion (source, version) VALUES ('reports', 1) ON CONFLICT DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [("opendata", "0005_add_vector_tiles")]

    operations = [
        migrations.RemoveConstraint(model_name="reportcelldirty", name="opendata_reportcelldirty_unique"),
        migrations.RunSQL(_MARK, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(_DROP_VERSION, reverse_sql=_RESTORE_VERSION),
    ]
