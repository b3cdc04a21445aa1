"""SQL function `mobile_api_iso8601(timestamptz, zone)`: a timestamp written as DRF writes it.

DRF's DateTimeField gives `datetime.isoformat()` of the time in the current time zone
(microseconds only when not zero, "Z" instead of "+00:00"); the task JSON built in
PostgreSQL (`mobile_api.task_json`) uses this function so its timestamps are the same text.
A plain SQL expression, STABLE (time zone rules may change): the planner inlines it.
"""
from django.db import migrations

# Expressions only (no FROM, no variables), so that the planner inlines the body. Offsets are
# written in whole minutes: every zone has those since the early 20th century (before, local
# mean time had seconds, which Python would write as +HH:MM:SS).
FORWARD = """
CREATE FUNCTION mobile_api_iso8601(ts timestamptz, zone text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT replace(to_char(ts AT TIME ZONE zone, 'YYYY-MM-DD"T"HH24:MI:SS.US'), '.000000', '')
    || CASE WHEN (ts AT TIME ZONE zone) = (ts AT TIME ZONE 'UTC') THEN 'Z'
            WHEN (ts AT TIME ZONE zone) > (ts AT TIME ZONE 'UTC')
              THEN to_char((ts AT TIME ZONE zone) - (ts AT TIME ZONE 'UTC'), '"+"HH24:MI')
            ELSE to_char((ts AT TIME ZONE 'UTC') - (ts AT TIME ZONE zone), '"-"HH24:MI') END
$$;
"""

BACKWARD = "DROP FUNCTION mobile_api_iso8601(timestamptz, text);"


class Migration(migrations.Migration):
    dependencies = [("mobile_api", "0003_seed_task_list_log")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
