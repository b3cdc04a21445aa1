"""A real streaming replica of the local PostgreSQL, and the alias `replica` pointing at it.

`pg_replica` (session): a PostgreSQL cluster of its own (`pg_createcluster <version>
smreplica<port>` on a free port), filled with `pg_basebackup -R -X stream` from the
cluster the tests use and started as a hot standby; ready once its WAL receiver streams.
The replication role and pg_hba.conf line come from scripts/cluster/pg_replication.sh
(run by scripts/setup.sh; the fixture runs it too, it is idempotent). Needs root, as the
set-up does. Stopped and dropped at the end of the session, also when a test failed.

`replica_alias` (module) adds the alias `replica` (config.db_router), a mirror of the test
database on the replica, and removes it afterwards; `replica` is the same for one test. Tests
using them need `@pytest.mark.django_db(transaction=True, databases=["default", "replica"])`
(only committed rows reach the replica) and the module-wide `usefixtures("replica_alias")`.
"""
import os
import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.conf import settings

from tests.fixtures_s3 import _free_ports

__all__ = ["pg_replica", "replica", "replica_alias", "replica_catch_up", "replica_replay", "run_as_postgres"]

PROJECT_DIR = Path(settings.BASE_DIR)
REPL_USER, REPL_PASSWORD = "smreplicator", "smreplicator"


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode:
        pytest.fail(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def run_as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """`command` as the operating-system user postgres (owner of every cluster); fails the
    test with the command's output when it fails."""
    return _run(["runuser", "-u", "postgres", "--", *command], **kwargs)


def _primary_dsn(**overrides) -> str:
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"], "dbname": "postgres", **overrides}
    return " ".join(f"{key}='{value}'" for key, value in params.items())


def _wait(predicate, what: str, timeout: float = 60.0, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except psycopg.Error:
            pass
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            pytest.fail(f"{what} did not happen within {timeout:.0f} s\n{tail}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def pg_replica(django_db_setup, django_db_blocker):
    """host, port and name of a hot standby streaming from the tests' PostgreSQL."""
    if os.geteuid() != 0:
        pytest.fail("the streaming-replica fixture creates a PostgreSQL cluster: run the tests as root, "
                    "as `make test` does")
    if not shutil.which("pg_createcluster"):
        pytest.fail("pg_createcluster is missing: run scripts/setup.sh (Debian's postgresql-common)")
    _run(["bash", str(PROJECT_DIR / "scripts/cluster/pg_replication.sh")])
    primary = psycopg.connect(_primary_dsn(), autocommit=True)
    version = primary.info.server_version // 10000
    # A hot standby refuses to start with fewer of these than its primary has.
    limits = {name: primary.execute(f"SHOW {name}").fetchone()[0] for name in (
        "max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
        "max_locks_per_transaction")}
    (port,) = _free_ports(1)
    name = f"smreplica{port}"
    data = Path(f"/var/lib/postgresql/{version}/{name}")
    log = Path(f"/var/log/postgresql/postgresql-{version}-{name}.log")
    try:
        # As root: it writes /etc/postgresql/; the cluster still belongs to postgres.
        _run(["pg_createcluster", str(version), name, "--port", str(port), "--start-conf", "manual",
              *[arg for key, value in limits.items() for arg in ("-o", f"{key}={value}")]])
        # pg_basebackup fills the new cluster's (emptied) data directory; the directory itself
        # stays, owned by postgres with mode 0700, as initdb made it.
        for entry in data.iterdir():
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        db = settings.DATABASES["default"]
        run_as_postgres("pg_basebackup", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
                        "-U", REPL_USER, "-D", str(data), "-R", "-X", "stream", "-c", "fast",
                        env={**os.environ, "PGPASSWORD": REPL_PASSWORD})
        run_as_postgres("pg_ctlcluster", str(version), name, "start")
        replica_dsn = _primary_dsn(port=port)

        def streaming() -> bool:
            # As postgres: other roles see the receiver's status as NULL.
            status = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-p", str(port), "-d", "postgres",
                                     "-qtAc", "SELECT status FROM pg_stat_wal_receiver"],
                                    capture_output=True, text=True).stdout.strip()
            if status != "streaming":
                return False
            with psycopg.connect(replica_dsn, autocommit=True, connect_timeout=2) as conn:
                return conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)

        _wait(streaming, "the replica's WAL receiver streaming", log=log)
        yield SimpleNamespace(host="127.0.0.1", port=port, cluster=name, version=version, primary=primary,
                              dsn=replica_dsn)
    finally:
        primary.close()
        subprocess.run(["pg_dropcluster", "--stop", str(version), name], capture_output=True)


def replica_catch_up(replica, dbname: str | None = None) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    target = replica.primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    with psycopg.connect(replica.dsn, autocommit=True) as conn:
        _wait(lambda: conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0],
              "the replica catching up")


def replica_replay(replica, *, paused: bool) -> None:
    """Pause or resume the replica's WAL replay (a superuser function: run as postgres)."""
    function = "pg_wal_replay_pause" if paused else "pg_wal_replay_resume"
    run_as_postgres("psql", "-p", str(replica.port), "-d", "postgres", "-qtAc", f"SELECT {function}()")


@pytest.fixture(scope="module")
def replica_alias(pg_replica):
    """The alias `replica` on the streaming replica's copy of the test database, for one test
    module (module scope: it must exist before pytest-django checks the test's `databases`)."""
    from django.db import connections

    connections.settings["replica"] = {
        **connections["default"].settings_dict, "HOST": pg_replica.host, "PORT": pg_replica.port,
        "ATOMIC_REQUESTS": False, "TEST": {**connections["default"].settings_dict["TEST"], "MIRROR": "default"},
    }
    try:
        yield pg_replica
    finally:
        if hasattr(connections._connections, "replica"):
            connections["replica"].close()
            del connections["replica"]
        del connections.settings["replica"]


@pytest.fixture
def replica(replica_alias):
    """`replica_alias` for one test; replay resumed afterwards (a failed test may leave it paused)."""
    try:
        yield replica_alias
    finally:
        replica_replay(replica_alias, paused=False)
