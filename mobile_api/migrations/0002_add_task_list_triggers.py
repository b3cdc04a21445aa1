"""PostgreSQL triggers that log when a report enters or leaves a crew's task list, and crew memberships.

A report is in crew C's list while its status is open (submitted, open, in progress), it is
assigned to C, C is active and C belongs to the report's department — the same rule as
`mobile_api.selectors.task_list_for_user`. Triggers rather than Django signals: the back
office assigns with `QuerySet.update()`, which sends no signal, and the admin or a script
may write too; the delta sync must see every one of these writes. Timestamps are
`clock_timestamp()` (the moment of the write, not the start of its transaction).
"""
from django.db import migrations

OPEN = "('submitted', 'open', 'in_progress')"

FORWARD = f"""
CREATE FUNCTION mobile_api_visible_crew(p_status varchar, p_crew bigint, p_department bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT c.id FROM reporter_crew c
  WHERE c.id = p_crew AND c.is_active AND c.department_id = p_department AND p_status IN {OPEN}
$$;

CREATE FUNCTION mobile_api_report_task_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_crew bigint;
  v_at timestamptz := clock_timestamp();
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE mobile_api_tasklistinterval SET left_at = v_at WHERE report_id = OLD.id AND left_at IS NULL;
    RETURN NULL;
  END IF;
  v_crew := mobile_api_visible_crew(NEW.status, NEW.crew_id, NEW.department_id);
  UPDATE mobile_api_tasklistinterval SET left_at = v_at
    WHERE report_id = NEW.id AND left_at IS NULL AND crew_id IS DISTINCT FROM v_crew;
  IF v_crew IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM mobile_api_tasklistinterval WHERE report_id = NEW.id AND crew_id = v_crew AND left_at IS NULL
  ) THEN
    INSERT INTO mobile_api_tasklistinterval (crew_id, report_id, entered_at) VALUES (v_crew, NEW.id, v_at);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER mobile_api_report_task_log
AFTER INSERT OR DELETE OR UPDATE OF status, crew_id, department_id ON reporter_report
FOR EACH ROW EXECUTE FUNCTION mobile_api_report_task_log();

CREATE FUNCTION mobile_api_crew_task_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_at timestamptz := clock_timestamp();
BEGIN
  UPDATE mobile_api_tasklistinterval i SET left_at = v_at
    FROM reporter_report r
    WHERE i.crew_id = NEW.id AND i.left_at IS NULL AND r.id = i.report_id
      AND mobile_api_visible_crew(r.status, r.crew_id, r.department_id) IS DISTINCT FROM NEW.id;
  INSERT INTO mobile_api_tasklistinterval (crew_id, report_id, entered_at)
    SELECT NEW.id, r.id, v_at FROM reporter_report r
    WHERE r.crew_id = NEW.id AND mobile_api_visible_crew(r.status, r.crew_id, r.department_id) = NEW.id
      AND NOT EXISTS (SELECT 1 FROM mobile_api_tasklistinterval i
                      WHERE i.report_id = r.id AND i.crew_id = NEW.id AND i.left_at IS NULL);
  RETURN NULL;
END $$;

CREATE TRIGGER mobile_api_crew_task_log
AFTER UPDATE OF is_active, department_id ON reporter_crew
FOR EACH ROW EXECUTE FUNCTION mobile_api_crew_task_log();

CREATE FUNCTION mobile_api_crew_member_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_at timestamptz := clock_timestamp();
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE mobile_api_crewmemberinterval SET left_at = v_at
      WHERE crew_id = OLD.crew_id AND user_id = OLD.user_id AND left_at IS NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO mobile_api_crewmemberinterval (crew_id, user_id, joined_at) VALUES (NEW.crew_id, NEW.user_id, v_at);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER mobile_api_crew_member_log
AFTER INSERT OR DELETE OR UPDATE ON reporter_crew_members
FOR EACH ROW EXECUTE FUNCTION mobile_api_crew_member_log();
"""

BACKWARD = """
DROP TRIGGER mobile_api_crew_member_log ON reporter_crew_members;
DROP FUNCTION mobile_api_crew_member_log();
DROP TRIGGER mobile_api_crew_task_log ON reporter_crew;
DROP FUNCTION mobile_api_crew_task_log();
DROP TRIGGER mobile_api_report_task_log ON reporter_report;
DROP FUNCTION mobile_api_report_task_log();
DROP FUNCTION mobile_api_visible_crew(varchar, bigint, bigint);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("mobile_api", "0001_add_tokens_idempotency_and_task_log"),
        ("reporter", "0005_add_crews_and_assignment"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
