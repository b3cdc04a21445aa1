"""A version of each layer's areas on the layer's own row (`JurisdictionLayer.areas_version`),
the ETag of its vector tiles (`opendata.ogc.tiles.caching`). Every existing layer gets a
value of its own (gen_random_uuid, PostgreSQL 13+), not the one Django computes for the column."""
import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("geodata", "0003_add_address")]

    operations = [
        migrations.AddField(
            model_name="jurisdictionlayer",
            name="areas_version",
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name="Stand der Gebiete"),
        ),
        migrations.RunSQL("UPDATE geodata_jurisdictionlayer SET areas_version = gen_random_uuid()",
                          reverse_sql=migrations.RunSQL.noop),
    ]
