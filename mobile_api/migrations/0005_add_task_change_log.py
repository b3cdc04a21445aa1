"""The task change log (`TaskChange`) and the PostgreSQL triggers that write it.

The delta sync sends a task again when its report row's `updated_at` moved, when it entered
the list (migration 0002) — and, with this log, when anything else the crew sees changed:
a history entry was added, changed or deleted (status changes and notes by the office,
assignments, escalations), a photo was stored, processed by the worker (the
`processing`/`image`/`thumbnail` update of `reporter.photos`), moderated or deleted, or the
report row was written without moving `updated_at` (`QuerySet.update()`). Triggers, like
0002: those writes send no signal, and the photo worker belongs to another app.
Timestamps are `clock_timestamp()`, one row per report (upsert).
"""
from django.db import migrations, models

# Columns of reporter_report that the task JSON shows (mobile_api.task_json), or that move
# a task in or out of a list.
_REPORT_COLUMNS = ("version", "status", "category_id", "crew_id", "department_id", "location", "address",
                   "location_text", "description", "due_date", "assigned_at", "created_at")
_OLD = ", ".join(f"OLD.{c}" for c in _REPORT_COLUMNS)
_NEW = ", ".join(f"NEW.{c}" for c in _REPORT_COLUMNS)

FORWARD = f"""
CREATE FUNCTION mobile_api_task_changed(p_report bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO mobile_api_taskchange (report_id, changed_at) VALUES (p_report, clock_timestamp())
  ON CONFLICT (report_id) DO UPDATE SET changed_at = EXCLUDED.changed_at
$$;

-- History entries and photos: the report of the row (both, when a row moved to another report).
CREATE FUNCTION mobile_api_task_part_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM mobile_api_task_changed(OLD.report_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.report_id IS DISTINCT FROM OLD.report_id) THEN
    PERFORM mobile_api_task_changed(NEW.report_id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER mobile_api_statuschange_log
AFTER INSERT OR DELETE OR UPDATE ON reporter_statuschange
FOR EACH ROW EXECUTE FUNCTION mobile_api_task_part_log();

CREATE TRIGGER mobile_api_reportphoto_log
AFTER INSERT OR DELETE OR UPDATE OF report_id, kind, image, thumbnail, processing, moderation ON reporter_reportphoto
FOR EACH ROW EXECUTE FUNCTION mobile_api_task_part_log();

CREATE FUNCTION mobile_api_report_change_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mobile_api_task_changed(NEW.id);
  RETURN NULL;
END $$;

-- Only writes that left updated_at alone: the others are found by updated_at already.
CREATE TRIGGER mobile_api_report_change_log
AFTER UPDATE ON reporter_report
FOR EACH ROW
WHEN (OLD.updated_at IS NOT DISTINCT FROM NEW.updated_at AND ({_OLD}) IS DISTINCT FROM ({_NEW}))
EXECUTE FUNCTION mobile_api_report_change_log();
"""

BACKWARD = """
DROP TRIGGER mobile_api_report_change_log ON reporter_report;
DROP FUNCTION mobile_api_report_change_log();
DROP TRIGGER mobile_api_reportphoto_log ON reporter_reportphoto;
DROP TRIGGER mobile_api_statuschange_log ON reporter_statuschange;
DROP FUNCTION mobile_api_task_part_log();
DROP FUNCTION mobile_api_task_changed(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("mobile_api", "0004_add_iso8601_function"),
        ("reporter", "0005_add_crews_and_assignment"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskChange",
            fields=[
                ("report_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("changed_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
