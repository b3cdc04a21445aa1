"""A version of each resource's features on the resource's own row (`Resource.features_version`),
the ETag of its vector tiles (`opendata.ogc.tiles.caching`): the ingest already holds that row
while it writes the features, so no other row is locked (unlike the shared counter 0008 dropped).
Every existing resource gets a value of its own (gen_random_uuid, PostgreSQL 13+)."""
import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("opendata", "0008_tiles_no_version_lock_on_layer_and_dataset_writes")]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="features_version",
            field=models.UUIDField(default=uuid.uuid4, editable=False, verbose_name="Stand der Geoobjekte"),
        ),
        migrations.RunSQL("UPDATE opendata_resource SET features_version = gen_random_uuid()",
                          reverse_sql=migrations.RunSQL.noop),
    ]
