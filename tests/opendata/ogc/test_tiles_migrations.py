"""Migration `opendata.0008` (no version triggers on layer and dataset writes) migrates back
and forward again, run with Django's MigrationExecutor."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("opendata", "0007_tiles_one_version_owner")
TABLES = ["geodata_jurisdictionarea", "geodata_jurisdictionlayer", "opendata_dataset", "opendata_resource",
          "opendata_resourcefeature"]


def _version_triggers() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT t.tgrelid::regclass::text FROM pg_trigger t "
                       "WHERE t.tgname = 'opendata_tiles_version' ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def _versions() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT source, version FROM opendata_tileversion")
        return dict(cursor.fetchall())


def test_migrates_back_and_forward():
    assert _version_triggers() == []
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE if app == "opendata" else (app, name) for app, name in leaves])
    try:
        assert _version_triggers() == TABLES
        restored = _versions()
        # The restored counters start above any version they had before 0008.
        assert restored["layers"] == restored["resources"] > 1_700_000_000_000
        with connection.cursor() as cursor:
            cursor.execute("UPDATE opendata_dataset SET title = title")
        assert _versions()["resources"] == restored["resources"] + 1
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert _version_triggers() == []
    assert set(_versions()) <= {"report_cells"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'opendata_tiles_version_bump'")
        assert cursor.fetchone() == (0,)
