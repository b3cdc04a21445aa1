"""A real PgBouncer (Debian's `pgbouncer`) in transaction mode in front of the tests'
PostgreSQL, on a free port, in a temporary directory; stopped at the end of the session.

`pgbouncer_pool_size` server connections per database and user (1 by default), so two clients
share one server connection and any session state one leaves behind reaches the other.
PgBouncer refuses to run as root: it runs as the operating-system user postgres.
"""
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from tests.fixtures_s3 import _free_ports
from tests.fixtures_worker import _process_group_stop

__all__ = ["pgbouncer", "pgbouncer_running"]


@contextlib.contextmanager
def pgbouncer_running(*, pool_size: int = 1, upstream_port: int | None = None):
    """host, port and log of a PgBouncer in transaction mode with `pool_size` server
    connections per database and user, in front of the tests' PostgreSQL, while the block runs."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not os.path.exists(binary):
        pytest.fail("pgbouncer is missing: run scripts/setup.sh (Debian package pgbouncer)")
    db = settings.DATABASES["default"]
    # Not under pytest's tmp directory: that one is readable by root only.
    root = Path(tempfile.mkdtemp(prefix="sm-pgbouncer-"))
    (port,) = _free_ports(1)
    (root / "userlist.txt").write_text(f'"{db["USER"]}" "{db["PASSWORD"]}"\n')
    (root / "pgbouncer.ini").write_text(f"""[databases]
* = host={db["HOST"] or "127.0.0.1"} port={upstream_port or db["PORT"] or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = {root / "userlist.txt"}
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 500
server_reset_query =
logfile = {root / "pgbouncer.log"}
pidfile = {root / "pgbouncer.pid"}
""")
    shutil.chown(root, "postgres")
    for path in root.iterdir():
        shutil.chown(path, "postgres")
    process = subprocess.Popen(["runuser", "-u", "postgres", "--", binary, str(root / "pgbouncer.ini")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                log = (root / "pgbouncer.log").read_text(errors="replace") if (root / "pgbouncer.log").exists() else ""
                pytest.fail(f"pgbouncer exited ({process.returncode}):\n{log[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield SimpleNamespace(host="127.0.0.1", port=port, log=root / "pgbouncer.log")
    finally:
        _process_group_stop(process)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pgbouncer():
    """A PgBouncer with one server connection per pool: every client shares it."""
    with pgbouncer_running(pool_size=1) as bouncer:
        yield bouncer
