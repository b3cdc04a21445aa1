"""GiST index on location::geography, used by the metric "nearby" search (ST_DWithin)."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporter", "0002_add_report_language")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX reporter_report_location_geog ON reporter_report USING gist ((location::geography))",
            "DROP INDEX reporter_report_location_geog",
        )
    ]
