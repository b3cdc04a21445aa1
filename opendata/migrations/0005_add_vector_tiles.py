"""Tables of the vector tiles and the triggers that keep their versions and dirty cells.

Statement-level triggers (one run per statement, with transition tables, so a bulk load of a
million reports costs one INSERT ... SELECT DISTINCT) increment `opendata_tileversion` in
the writing transaction and mark the level-20 cells of changed reports as dirty. They read
`reporter_report.public_location` (created by `reporter.public` after migrations; plpgsql
binds it when the trigger runs).
"""
from django.db import migrations, models

# Web Mercator: half the world's width (m) and a level-20 tile's size (m).
_CELL_KEY = """
CREATE OR REPLACE FUNCTION opendata_tiles_cell_key(p geometry, OUT cx bigint, OUT cy bigint)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT least(greatest(floor((ST_X(m) + 20037508.342789244) / 38.21851414258813), 0), 1048575)::bigint,
           least(greatest(floor((20037508.342789244 - ST_Y(m)) / 38.21851414258813), 0), 1048575)::bigint
    FROM ST_Transform(p, 3857) m
$$;
"""

_FUNCTIONS = _CELL_KEY + """
CREATE OR REPLACE FUNCTION opendata_tiles_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- An upsert: a flushed table (tests) gets its row back.
    INSERT INTO opendata_tileversion (source, version) VALUES (TG_ARGV[0], 1)
    ON CONFLICT (source) DO UPDATE SET version = opendata_tileversion.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION opendata_tiles_cells_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO opendata_reportcelldirty (cx, cy)
        SELECT DISTINCT k.cx, k.cy FROM new_rows r, opendata_tiles_cell_key(r.public_location) k
        WHERE r.public_location IS NOT NULL ON CONFLICT DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO opendata_reportcelldirty (cx, cy)
        SELECT DISTINCT k.cx, k.cy FROM old_rows r, opendata_tiles_cell_key(r.public_location) k
        WHERE r.public_location IS NOT NULL ON CONFLICT DO NOTHING;
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
        ON CONFLICT DO NOTHING;
    END IF;
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
"""

# (table, source) of the version triggers: reports show category slugs; layer and resource
# tiles depend on their collection's rows too.
_VERSIONED = [
    ("reporter_report", "reports"), ("routing_rules_category", "reports"),
    ("geodata_jurisdictionarea", "layers"), ("geodata_jurisdictionlayer", "layers"),
    ("opendata_resourcefeature", "resources"), ("opendata_resource", "resources"),
    ("opendata_dataset", "resources"),
]

_TRIGGERS = "\n".join(
    f"CREATE TRIGGER opendata_tiles_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_version_bump('{source}');"
    for table, source in _VERSIONED
) + """
CREATE TRIGGER opendata_tiles_cells_insert AFTER INSERT ON reporter_report
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_cells_mark();
CREATE TRIGGER opendata_tiles_cells_update AFTER UPDATE ON reporter_report
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_cells_mark();
CREATE TRIGGER opendata_tiles_cells_delete AFTER DELETE ON reporter_report
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_cells_mark();
CREATE TRIGGER opendata_tiles_cells_truncate AFTER TRUNCATE ON reporter_report
    FOR EACH STATEMENT EXECUTE FUNCTION opendata_tiles_cells_clear();
INSERT INTO opendata_tileversion (source, version)
    VALUES ('reports', 1), ('report_cells', 1), ('layers', 1), ('resources', 1);
-- Reports that exist already: their cells are dirty, so the first refresh (beat, within a
-- minute) counts them. On a fresh database the public column does not exist yet (and no report).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'reporter_report'::regclass
               AND attname = 'public_location' AND NOT attisdropped) THEN
        EXECUTE 'INSERT INTO opendata_reportcelldirty (cx, cy) SELECT DISTINCT k.cx, k.cy FROM reporter_report r, '
                'opendata_tiles_cell_key(r.public_location) k WHERE r.public_location IS NOT NULL '
                'ON CONFLICT DO NOTHING';
    END IF;
END $$;
"""

_DROP = "\n".join(f"DROP TRIGGER IF EXISTS opendata_tiles_version ON {table};" for table, _ in _VERSIONED) + """
DROP TRIGGER IF EXISTS opendata_tiles_cells_insert ON reporter_report;
DROP TRIGGER IF EXISTS opendata_tiles_cells_update ON reporter_report;
DROP TRIGGER IF EXISTS opendata_tiles_cells_delete ON reporter_report;
DROP TRIGGER IF EXISTS opendata_tiles_cells_truncate ON reporter_report;
DROP FUNCTION IF EXISTS opendata_tiles_cells_clear();
DROP FUNCTION IF EXISTS opendata_tiles_cells_mark();
DROP FUNCTION IF EXISTS opendata_tiles_version_bump();
DROP FUNCTION IF EXISTS opendata_tiles_cell_key(geometry);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('opendata', '0004_add_upstream_push_log'),
        # Only the tables the triggers sit on: a later migration of these apps may be
        # migrated back (tests of data migrations) while this one stays applied.
        ('reporter', '0001_initial'),
        ('routing_rules', '0001_initial'),
        ('geodata', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='TileVersion',
            fields=[
                ('source', models.CharField(max_length=20, primary_key=True, serialize=False)),
                ('version', models.BigIntegerField(default=1)),
            ],
        ),
        migrations.CreateModel(
            name='ReportCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField()),
                ('cx', models.BigIntegerField()),
                ('cy', models.BigIntegerField()),
                ('status', models.CharField(max_length=20)),
                ('count', models.IntegerField()),
                ('sum_x', models.FloatField()),
                ('sum_y', models.FloatField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('level', 'cx', 'cy', 'status'), name='opendata_reportcell_unique')],
            },
        ),
        migrations.CreateModel(
            name='ReportCellDirty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cx', models.BigIntegerField()),
                ('cy', models.BigIntegerField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('cx', 'cy'), name='opendata_reportcelldirty_unique')],
            },
        ),
        migrations.RunSQL(_FUNCTIONS + _TRIGGERS, reverse_sql=_DROP),
    ]
