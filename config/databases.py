"""The DATABASES setting from the environment: the primary, an optional read replica, and
what a connection pooler in front of them requires.

- `DATABASE_URL`: the primary (`default`); every request runs in one transaction on it
  (`ATOMIC_REQUESTS`). `DB_CONN_MAX_AGE` seconds a connection is kept (60).
- `DATABASE_REPLICA_URL`: a streaming replica, alias `replica`, for the reads that
  `config.db_router` sends there; absent: everything on `default`.
- `DATABASE_POOLER=pgbouncer`: both URLs point at PgBouncer in *transaction* mode, which hands
  each transaction a server connection of its own, so nothing may live in a database
  session: no server-side cursors (`DISABLE_SERVER_SIDE_CURSORS`: `.iterator()` outside a
  transaction would declare a cursor WITH HOLD on a connection the next transaction does not
  get), no prepared statements (`prepare_threshold`), and no `options` startup parameter
  (PgBouncer refuses unknown startup parameters; `jit = off` is then a setting of the role,
  `ALTER ROLE … SET jit = off`, which scripts/cluster/pg_replication.sh makes). The code
  keeps no other session state: `config.sql_time` changes the time zone only inside one
  transaction (a message of three statements, or `set_config(…, true)`), and PgBouncer
  itself carries `TimeZone` across server connections as a tracked parameter.
"""
from django.core.exceptions import ImproperlyConfigured

__all__ = ["databases_from_env", "POOLERS"]

POOLERS = ("", "pgbouncer")
_ENGINE = "django.contrib.gis.db.backends.postgis"


def databases_from_env(env) -> dict:
    """The DATABASES setting for the environment (`env`: a django-environ `Env`)."""
    default = env.db_url("DATABASE_URL", default="postgis://stadtmelder:stadtmelder@127.0.0.1:5432/stadtmelder",
                         engine=_ENGINE)
    default["ATOMIC_REQUESTS"] = True
    # Lets parallel test runs (and the benchmark) use databases of their own.
    default["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}
    default["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    # A connection that died between requests (PostgreSQL restarted) is replaced before use;
    # one that dies during an idempotent request is retried once (config.db_retry).
    default["CONN_HEALTH_CHECKS"] = True
    options = default.setdefault("OPTIONS", {})
    pooler = env.str("DATABASE_POOLER", default="")
    if pooler not in POOLERS:
        raise ImproperlyConfigured(f"DATABASE_POOLER must be empty or 'pgbouncer', not {pooler!r}.")
    if pooler == "pgbouncer":
        default["DISABLE_SERVER_SIDE_CURSORS"] = True
        options["prepare_threshold"] = None
    else:
        # PostgreSQL's JIT compiles large-looking spatial queries (bbox pages over many
        # polygons) and spent ~20 ms per request doing it in the OGC benchmark; our queries
        # are short OLTP reads.
        options["options"] = "-c jit=off"
        # psycopg's default, which Django turns off: a statement sent with server-side
        # parameters is prepared on its 5th run in a connection. Django's own cursors bind on
        # the client and never prepare; the vector tile statement binds on the server
        # (opendata.ogc.tiles.selectors) and is then no longer planned per request.
        options.setdefault("prepare_threshold", 5)
    databases = {"default": default}
    if env.str("DATABASE_REPLICA_URL", default=""):
        databases["replica"] = {
            **default,
            **env.db_url("DATABASE_REPLICA_URL", engine=_ENGINE),
            "OPTIONS": dict(options),
            # Reads only, each its own statement: no transaction per request there.
            "ATOMIC_REQUESTS": False,
            # In tests, the replica alias is the test database itself.
            "TEST": {"MIRROR": "default"},
        }
    return databases
