"""Data: the task lists and crew memberships as they are now, the start of the log (reversible)."""
from django.db import migrations

SEED = """
INSERT INTO mobile_api_tasklistinterval (crew_id, report_id, entered_at)
  SELECT r.crew_id, r.id, clock_timestamp() FROM reporter_report r
  WHERE mobile_api_visible_crew(r.status, r.crew_id, r.department_id) IS NOT NULL;
INSERT INTO mobile_api_crewmemberinterval (crew_id, user_id, joined_at)
  SELECT crew_id, user_id, clock_timestamp() FROM reporter_crew_members;
"""

UNSEED = "DELETE FROM mobile_api_tasklistinterval; DELETE FROM mobile_api_crewmemberinterval;"


class Migration(migrations.Migration):
    dependencies = [("mobile_api", "0002_add_task_list_triggers")]

    operations = [migrations.RunSQL(SEED, UNSEED)]
