"""config.databases: the settings for PgBouncer in transaction mode, used through a real
PgBouncer (tests/fixtures_pooler.py) whose single server connection all clients share."""
import environ
import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone

from config import sql_time
from config.databases import databases_from_env
from routing_rules.models import Category

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "pooled"]),
              pytest.mark.usefixtures("pooled_alias")]


@pytest.fixture(scope="module")
def pooled_alias(pgbouncer, django_db_setup):
    """The alias `pooled`: the test database through PgBouncer, as DATABASE_POOLER=pgbouncer
    configures it (a mirror of `default`, so pytest-django does not flush it twice)."""
    db = connections["default"].settings_dict
    mp = pytest.MonkeyPatch()
    mp.setenv("DATABASE_URL", f"postgis://{db['USER']}:{db['PASSWORD']}@{pgbouncer.host}:{pgbouncer.port}/{db['NAME']}")
    mp.setenv("DATABASE_POOLER", "pgbouncer")
    mp.delenv("DATABASE_REPLICA_URL", raising=False)
    pooled = databases_from_env(environ.Env())["default"]
    mp.undo()
    connections.settings["pooled"] = {**db, **pooled, "TEST": {**db["TEST"], "MIRROR": "default"}}
    try:
        yield connections.settings["pooled"]
    finally:
        if hasattr(connections._connections, "pooled"):
            connections["pooled"].close()
            del connections["pooled"]
        del connections.settings["pooled"]


def test_pooler_settings(pooled_alias):
    assert pooled_alias["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "options" not in pooled_alias["OPTIONS"]
    assert pooled_alias["OPTIONS"]["prepare_threshold"] is None


def test_unknown_pooler_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_POOLER", "pgpool")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_POOLER must be empty or 'pgbouncer', not 'pgpool'"):
        databases_from_env(environ.Env())


def test_the_options_startup_parameter_is_what_pgbouncer_refuses(pgbouncer, pooled_alias):
    dsn = (f"host={pgbouncer.host} port={pgbouncer.port} dbname={pooled_alias['NAME']} "
           f"user={pooled_alias['USER']} password={pooled_alias['PASSWORD']}")
    with pytest.raises(psycopg.OperationalError, match="unsupported startup parameter: options"):
        psycopg.connect(dsn + " options='-c jit=off'").close()
    with psycopg.connect(dsn) as plain:
        # What the option did, the role's own setting does (scripts/cluster/pg_replication.sh).
        assert plain.execute("SHOW jit").fetchone() == ("off",)


def test_orm_reads_writes_and_iterator_through_pgbouncer(city):
    pooled = connections["pooled"]
    with transaction.atomic(using="pooled"):
        Category.objects.using("pooled").filter(slug="schlagloch").update(name="Schlagloch (Pool)")
    # More statements than psycopg's prepare threshold: nothing is prepared on a server
    # connection another client gets next.
    for _ in range(8):
        assert Category.objects.using("pooled").get(slug="schlagloch").name == "Schlagloch (Pool)"
    # Outside a transaction `.iterator()` would declare a cursor WITH HOLD; disabled here.
    slugs = [c.slug for c in Category.objects.using("pooled").order_by("slug").iterator(chunk_size=1)]
    assert "schlagloch" in slugs
    assert pooled.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_local_time_leaves_no_session_state(pgbouncer, pooled_alias):
    """`config.sql_time` through the one shared server connection: the zone it sets for one
    statement is gone afterwards, also after a failing statement; a client sharing the server
    connection sees its own zone throughout."""
    pooled = connections["pooled"]
    dsn = (f"host={pgbouncer.host} port={pgbouncer.port} dbname={pooled_alias['NAME']} "
           f"user={pooled_alias['USER']} password={pooled_alias['PASSWORD']}")
    moment = "'2026-07-01T10:00:00Z'::timestamptz"

    def zone(conn) -> str:
        return conn.execute("SELECT current_setting('TimeZone')").fetchone()[0]

    with psycopg.connect(dsn, autocommit=True) as other:
        before = zone(other)
        with timezone.override("Europe/Berlin"):
            rows = sql_time.local_time_rows(f"SELECT {sql_time.rfc3339(moment)}", [], using="pooled")
            assert rows == [("2026-07-01T12:00:00+02:00",)]
            assert zone(other) == before
            with pytest.raises(psycopg.errors.DivisionByZero):
                try:
                    sql_time.local_time_rows("SELECT 1/0", [], using="pooled")
                except Exception as exc:  # Django wraps it; the cause is psycopg's
                    raise exc.__cause__ from None
        with pooled.cursor() as cursor:
            cursor.execute("SELECT current_setting('TimeZone')")
            assert cursor.fetchone() == (pooled.timezone_name,)
        assert zone(other) == before
