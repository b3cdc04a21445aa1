"""Redis with Sentinel on free ports: a master, one replica and three Sentinels (quorum 2),
from Debian's `redis-server` and `redis-sentinel`, in a temporary directory; every process
stopped at the end of the session, also when a test failed.

Sentinel declares the master down after 1 s without an answer and promotes the replica, so
both a forced `SENTINEL FAILOVER` and a killed master are over within a few seconds.
"""
import contextlib
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from tests.fixtures_s3 import _free_ports

__all__ = ["redis_sentinel", "SentinelGroup", "sentinel_group_start"]

MASTER_NAME = "smmaster"


@dataclass
class SentinelGroup:
    """The running processes; `broker_url` is kombu's Sentinel URL list for db `db`."""

    root: Path
    redis_ports: list[int]
    sentinel_ports: list[int]
    master_name: str = MASTER_NAME
    processes: dict[int, subprocess.Popen] = field(default_factory=dict)

    def url(self, db: int) -> str:
        return ";".join(f"sentinel://127.0.0.1:{port}/{db}" for port in self.sentinel_ports)

    def sentinel(self) -> redis.Redis:
        return redis.Redis(port=self.sentinel_ports[0], socket_timeout=2, decode_responses=True)

    def master_port(self) -> int:
        return int(self.sentinel().sentinel_get_master_addr_by_name(self.master_name)[1])

    def wait_for_new_master(self, old_port: int, timeout: float = 30) -> int:
        """The port of the master Sentinel announces once it is not `old_port` any more and
        accepts writes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError, TypeError):
                port = self.master_port()
                if port != old_port and redis.Redis(port=port, socket_timeout=1).set("sm:probe", "1"):
                    return port
            time.sleep(0.2)
        raise AssertionError(f"no new master within {timeout} s")

    def kill(self, port: int) -> None:
        """SIGKILL the Redis or Sentinel listening on `port` (a crash, not a shutdown)."""
        process = self.processes.pop(port)
        process.kill()
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def _wait_ping(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if redis.Redis(port=port, socket_timeout=1).ping():
                return
        except redis.RedisError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def sentinel_group_start() -> SentinelGroup:
    """Start master, replica and three Sentinels; the caller stops them (`SentinelGroup.stop`)."""
    for binary in ("redis-server", "redis-sentinel"):
        if not shutil.which(binary) and not Path(f"/usr/bin/{binary}").exists():
            pytest.fail(f"{binary} is missing: run scripts/setup.sh (Debian packages redis-server, redis-sentinel)")
    ports = _free_ports(5)
    group = SentinelGroup(root=Path(tempfile.mkdtemp(prefix="sm-sentinel-")), redis_ports=ports[:2],
                          sentinel_ports=ports[2:])
    try:
        master, replica = group.redis_ports
        for port in group.redis_ports:
            extra = [] if port == master else ["--replicaof", "127.0.0.1", str(master)]
            group.processes[port] = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(group.root), "--logfile", str(group.root / f"redis-{port}.log"), *extra])
        for port in group.redis_ports:
            _wait_ping(port)
        for port in group.sentinel_ports:
            conf = group.root / f"sentinel-{port}.conf"
            # Sentinel rewrites its file (the replicas and peers it learns): one file each.
            conf.write_text(f"""port {port}
bind 127.0.0.1
dir {group.root}
logfile {group.root / f"sentinel-{port}.log"}
sentinel monitor {MASTER_NAME} 127.0.0.1 {master} 2
sentinel down-after-milliseconds {MASTER_NAME} 1000
sentinel failover-timeout {MASTER_NAME} 5000
sentinel parallel-syncs {MASTER_NAME} 1
""")
            group.processes[port] = subprocess.Popen(["redis-sentinel", str(conf)])
        for port in group.sentinel_ports:
            _wait_ping(port)
        # Ready when every Sentinel knows the replica and the other two Sentinels, and the
        # replica has finished its first sync (before, a failover would lose every write).
        deadline = time.monotonic() + 30
        while True:
            ready = all(
                int(s.sentinel_master(MASTER_NAME)["num-slaves"]) == 1
                and int(s.sentinel_master(MASTER_NAME)["num-other-sentinels"]) == 2
                for s in (redis.Redis(port=p, decode_responses=True) for p in group.sentinel_ports)
            ) and redis.Redis(port=replica, decode_responses=True).info("replication")["master_link_status"] == "up"
            if ready:
                return group
            if time.monotonic() > deadline:
                raise AssertionError("the Sentinels did not find each other and the replica within 30 s")
            time.sleep(0.2)
    except BaseException:
        group.stop()
        raise


@pytest.fixture
def redis_sentinel():
    """A fresh Sentinel group for one test (a failover changes it for good)."""
    group = sentinel_group_start()
    try:
        yield group
    finally:
        group.stop()
