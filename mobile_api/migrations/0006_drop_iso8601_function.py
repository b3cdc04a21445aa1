"""Drops `mobile_api_iso8601`: timestamps in SQL-built JSON are written by `config.sql_time`
(one `to_char` in the session time zone, a third of the cost). Reversible: recreates it."""
from importlib import import_module

from django.db import migrations

_0004 = import_module("mobile_api.migrations.0004_add_iso8601_function")


class Migration(migrations.Migration):
    dependencies = [("mobile_api", "0005_add_task_change_log")]

    operations = [migrations.RunSQL(_0004.BACKWARD, _0004.FORWARD)]
