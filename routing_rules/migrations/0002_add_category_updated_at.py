# Existing categories get the time of the migration: when they last changed is unknown,
# and "now" makes Open311 clients that cache the service list fetch it once more.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('routing_rules', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now, verbose_name='geändert am'),
            preserve_default=False,
        ),
    ]
