"""`make test-cluster`: the several-node topology on this machine, under load, while one of
each kind of component is killed.

Started here, each on free ports and stopped at the end (also on failure):
two gunicorn nodes behind HAProxy (health-checked on /healthz, connection failures retried on
the other node), two Celery workers, the primary PostgreSQL (behind PgBouncer in transaction
mode) and a streaming replica (tests/fixtures_replica.py), Redis with three Sentinels
(tests/fixtures_sentinel.py) for broker and cache, two beats holding celery-redbeat's lock in
turn (restarted when they exit, as a supervisor would: beat exits when Redis fails over), and
SeaweedFS S3 (tests/fixtures_s3.py) for photos.

Load for LOAD_SECONDS: citizens file reports with a photo (multipart; a failed POST is resent
with the same `submission_key`, as the app does), a crew works its tasks through the crew API
(accept, start, done; each with an Idempotency-Key and If-Match, resent on failure), the public
reads report lists and CKAN/DCAT exports. Faults, by the clock: web node A SIGKILLed, worker 1
SIGKILLed, the replica stopped (immediate), the Redis master SIGKILLed.

Asserted and printed: both nodes served traffic; the replica answered reads before it was
stopped; no filed report, photo, status change or notification lost or duplicated (every
acknowledged write is there exactly once, and every photo is processed); under 5 % of requests
failed during the faults and none after the settle window.

Marked `cluster`: not part of the ordinary test run (pyproject addopts), run by
`make test-cluster`.
"""
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings
from django.db.models import Count

from mobile_api.services import crew_token_create
from notifications.models import Notification
from reporter.models import Report, ReportPhoto, StatusChange
from tests.factories import ReportFactory, UserFactory
from tests.fixtures_pooler import pgbouncer_running
from tests.fixtures_replica import run_as_postgres
from tests.fixtures_s3 import ACCESS_KEY, PRIVATE_BUCKET, PUBLIC_BUCKET, SECRET_KEY, _free_ports
from tests.fixtures_sentinel import sentinel_group_start
from tests.fixtures_worker import celery_worker_running
from tests.mobile_api.factories import CrewFactory
from tests.reporter.images import jpeg_bytes

pytestmark = [pytest.mark.cluster, pytest.mark.django_db(transaction=True)]

PROJECT_DIR = Path(settings.BASE_DIR)
LOAD_SECONDS = float(os.environ.get("CLUSTER_LOAD_SECONDS", 75))
# Seconds from the start of the load at which each fault happens.
FAULTS = {"web node A": 12.0, "worker 1": 20.0, "replica": 28.0, "redis master": 36.0}
# Requests after this second must all succeed (last fault + time to detect and fail over).
SETTLED_AFTER = 54.0
TASKS = 24
PHOTO = jpeg_bytes(size=(64, 48), lon=12.05, lat=50.875)


@dataclass
class Outcome:
    """One HTTP request of the load: when (s since start), what, whether it succeeded, who served."""

    at: float
    kind: str
    ok: bool
    node: str = ""
    detail: str = ""


@dataclass
class Ledger:
    """What the clients believe they achieved, to be compared with the database."""

    outcomes: list[Outcome] = field(default_factory=list)
    filed: dict[str, int] = field(default_factory=dict)  # submission_key -> report id
    transitions: dict[int, list[str]] = field(default_factory=dict)  # task id -> actions acknowledged
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def _wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer 200 within {timeout} s")
        time.sleep(0.3)


def _popen(command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)


class _Supervised:
    """A process restarted whenever it exits, as systemd or Kubernetes restart a beat: celery
    beat exits when its Redis connection breaks (a Redis failover), and another one then takes
    redbeat's lock."""

    def __init__(self, command: list[str], log: Path, env: dict):
        self.command, self.log, self.env = command, log, env
        self.stopping = threading.Event()
        self.process: subprocess.Popen | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.is_set():
            with self.log.open("ab") as out:
                self.process = subprocess.Popen(self.command, cwd=PROJECT_DIR, env=self.env, stdout=out,
                                                stderr=subprocess.STDOUT, start_new_session=True)
            self.process.wait()
            self.stopping.wait(1.0)

    def stop(self) -> None:
        self.stopping.set()
        if self.process is not None:
            _kill(self.process, signal.SIGTERM)
        self.thread.join(timeout=20)


def _haproxy_config(port: int, nodes: dict[str, int]) -> str:
    servers = "\n".join(f"  server {name} 127.0.0.1:{node_port} check" for name, node_port in nodes.items())
    return f"""global
  maxconn 1000
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  retries 3
  option redispatch 1
frontend web
  bind 127.0.0.1:{port}
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  # Generous: on two shared cores a busy node answers /healthz late, and is not dead.
  timeout check 5s
  default-server inter 1s fall 3 rise 1
  # A request whose connection failed (a dead node) goes to the other node; writes are safe to
  # resend because they carry a submission key or an Idempotency-Key.
  retry-on conn-failure empty-response
  http-response set-header X-Served-By %s
{servers}
"""


def _node_env(db, *, bouncer_port, replica_port, sentinels, master, s3, smtp_url, metrics_dir) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{bouncer_port}/{db['NAME']}",
        "DATABASE_POOLER": "pgbouncer",
        "DATABASE_REPLICA_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{replica_port}/{db['NAME']}",
        "DATABASE_REPLICA_RETRY_SECONDS": "10",
        "CELERY_BROKER_URL": sentinels.url(0),
        "CELERY_BROKER_SENTINEL_MASTER": master,
        "CACHE_URL": sentinels.url(1),
        "CELERY_BEAT_SCHEDULER": "redbeat.RedBeatScheduler",
        "REDBEAT_LOCK_TIMEOUT": "20",
        "STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": s3.endpoint, "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "S3_PUBLIC_BUCKET": PUBLIC_BUCKET, "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "S3_PUBLIC_URL": f"{s3.endpoint}/{PUBLIC_BUCKET}",
        "EMAIL_URL": smtp_url,
        "REPORT_CREATE_RATE": "",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "cluster-test-only",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


# --- the clients -----------------------------------------------------------------------------

def _request(ledger: Ledger, start: float, kind: str, method: str, url: str, ok_statuses, **kwargs):
    at = time.monotonic() - start
    try:
        response = requests.request(method, url, timeout=20, **kwargs)
    except requests.RequestException as exc:
        ledger.record(Outcome(at, kind, False, detail=type(exc).__name__))
        return None
    ok = response.status_code in ok_statuses
    ledger.record(Outcome(at, kind, ok, response.headers.get("X-Served-By", ""),
                          "" if ok else f"{response.status_code} {response.text[:200]}"))
    return response if ok else None


def _citizen(base: str, ledger: Ledger, start: float, stop: threading.Event) -> None:
    while not stop.is_set():
        key = f"cluster-{uuid.uuid4().hex}"
        data = {"category": "schlagloch", "lon": "12.05", "lat": "50.875", "description": f"Loch {key}",
                "email": "canary-cluster@example.org", "submission_key": key}
        for _attempt in range(5):  # the app resends a draft with its key until it is acknowledged
            response = _request(ledger, start, "file report", "POST", f"{base}/api/v1/reports/", (200, 201),
                                data=data, files={"photos": ("foto.jpg", PHOTO, "image/jpeg")})
            if response is not None:
                with ledger.lock:
                    ledger.filed[key] = response.json()["id"]
                break
            time.sleep(0.5)
        time.sleep(0.2)


def _reader(base: str, ledger: Ledger, start: float, stop: threading.Event) -> None:
    paths = ["/api/v1/reports/", "/api/v1/categories/", "/api/3/action/package_list", "/catalog.ttl"]
    i = 0
    while not stop.is_set():
        _request(ledger, start, "read", "GET", base + paths[i % len(paths)], (200,))
        i += 1
        time.sleep(0.05)


def _crew(base: str, token: str, task_ids: list[int], ledger: Ledger, start: float, stop: threading.Event) -> None:
    headers = {"Authorization": f"Crew {token}"}
    for task_id in task_ids:
        for action in ("accept", "start", "done"):
            key = f"cluster-{uuid.uuid4().hex}"
            for _attempt in range(8):
                if stop.is_set():
                    return
                task = _request(ledger, start, "crew read", "GET", f"{base}/api/mobile/v1/tasks/{task_id}",
                                (200,), headers=headers)
                if task is None:
                    time.sleep(0.5)
                    continue
                if action in ledger.transitions.get(task_id, []):
                    break
                response = _request(ledger, start, "crew transition", "POST",
                                    f"{base}/api/mobile/v1/tasks/{task_id}/transitions", (200,),
                                    json={"action": action},
                                    headers={**headers, "Idempotency-Key": key, "If-Match": task.headers["ETag"]})
                if response is not None:
                    with ledger.lock:
                        ledger.transitions.setdefault(task_id, []).append(action)
                    break
                time.sleep(0.5)
            time.sleep(0.3)


# --- the test ------------------------------------------------------------------------------

def _replica_reads(replica, dbname: str) -> int:
    with psycopg.connect(replica.dsn, autocommit=True, connect_timeout=2) as conn:
        return conn.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [dbname]).fetchone()[0]


def _rate(outcomes: list[Outcome]) -> float:
    return sum(not o.ok for o in outcomes) / len(outcomes) if outcomes else 0.0


def test_cluster_survives_one_of_each_dying(city, s3_server, pg_replica, smtp_server, tmp_path):
    db = settings.DATABASES["default"]
    root = tmp_path  # the logs of every process, kept by pytest for the last runs
    (root / "metrics").mkdir()
    worker_user = UserFactory(username="cluster-trupp")
    crew = CrewFactory(department=city.department, name="Kolonne Cluster", members=[worker_user])
    tasks = [ReportFactory(category=city.category, department=city.department, crew=crew, status="submitted")
             for _ in range(TASKS)]
    _token, raw_token = crew_token_create(user=worker_user, name="cluster")

    with contextlib.ExitStack() as stack:
        sentinels = sentinel_group_start()
        stack.callback(sentinels.stop)
        bouncer = stack.enter_context(pgbouncer_running(pool_size=20))
        env = _node_env(db, bouncer_port=bouncer.port, replica_port=pg_replica.port, sentinels=sentinels,
                        master=sentinels.master_name, s3=s3_server, smtp_url=smtp_server.url,
                        metrics_dir=root / "metrics")
        node_ports = dict(zip(("a", "b"), _free_ports(2), strict=True))
        nodes = {}
        for name, port in node_ports.items():
            nodes[name] = _popen([str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--bind",
                                  f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--timeout", "30"],
                                 root / f"web-{name}.log", env)
            stack.callback(_kill, nodes[name], signal.SIGTERM)
        for port in node_ports.values():
            _wait_http(f"http://127.0.0.1:{port}/healthz")
            # Warm-up: every worker process imports the views on its first requests.
            for _ in range(6):
                requests.get(f"http://127.0.0.1:{port}/api/v1/categories/", timeout=30)
        (lb_port,) = _free_ports(1)
        (root / "haproxy.cfg").write_text(_haproxy_config(lb_port, node_ports))
        haproxy = _popen(["haproxy", "-f", str(root / "haproxy.cfg"), "-db"], root / "haproxy.log")
        stack.callback(_kill, haproxy, signal.SIGTERM)
        base = f"http://127.0.0.1:{lb_port}"
        _wait_http(f"{base}/healthz")
        # Both nodes in rotation before the load starts.
        deadline = time.monotonic() + 30
        while {requests.get(f"{base}/healthz", timeout=5).headers.get("X-Served-By") for _ in range(4)} != {"a", "b"}:
            assert time.monotonic() < deadline, "HAProxy did not put both nodes in rotation"
            time.sleep(0.5)
        workers = []
        for i in (1, 2):
            (root / f"worker{i}").mkdir()
            workers.append(stack.enter_context(celery_worker_running(
                broker_url=env["CELERY_BROKER_URL"], tmp_path=root / f"worker{i}",
                env={k: v for k, v in env.items() if k not in os.environ or os.environ[k] != v})))
        for i in (1, 2):
            beat = _Supervised([str(Path(sys.executable).with_name("celery")), "-A", "config", "beat",
                                "--loglevel=INFO"], root / f"beat{i}.log", env)
            stack.callback(beat.stop)

        ledger, stop = Ledger(), threading.Event()
        replica_before = _replica_reads(pg_replica, db["NAME"])
        start = time.monotonic()
        threads = [threading.Thread(target=_citizen, args=(base, ledger, start, stop)) for _ in range(2)]
        threads += [threading.Thread(target=_reader, args=(base, ledger, start, stop)) for _ in range(2)]
        threads.append(threading.Thread(target=_crew, args=(base, raw_token, [t.pk for t in tasks], ledger, start,
                                                            stop)))
        for thread in threads:
            thread.start()

        replica_reads = None
        faults = sorted(FAULTS.items(), key=lambda item: item[1])
        for what, at in faults:
            time.sleep(max(0.0, start + at - time.monotonic()))
            if what == "replica":
                replica_reads = _replica_reads(pg_replica, db["NAME"]) - replica_before
                run_as_postgres("pg_ctlcluster", str(pg_replica.version), pg_replica.cluster, "stop", "-m", "immediate")
            elif what == "web node A":
                _kill(nodes["a"])
            elif what == "worker 1":
                _kill(workers[0].process)
            elif what == "redis master":
                sentinels.kill(sentinels.master_port())
        time.sleep(max(0.0, start + LOAD_SECONDS - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

        # Work still queued (photos, notifications) drains on the surviving worker.
        def drained() -> bool:
            keys = list(ledger.filed)
            pending = ReportPhoto.objects.filter(report__submission_key__in=keys).exclude(processing="done").count()
            unsent = Notification.objects.filter(sent_at__isnull=True).count()
            return pending == 0 and unsent == 0

        # Lost photo and mail tasks are re-queued by beat after a grace of two minutes.
        deadline = time.monotonic() + 240
        while not drained() and time.monotonic() < deadline:
            time.sleep(2)

        beat_logs = [(root / f"beat{i}.log").read_text(errors="replace") for i in (1, 2)]
        _report(ledger, replica_reads, tasks, beat_logs, root)


def _report(ledger: Ledger, replica_reads, tasks, beat_logs, root: Path) -> None:
    outcomes = ledger.outcomes
    first_fault = min(FAULTS.values())
    before = [o for o in outcomes if o.at < first_fault]
    during = [o for o in outcomes if first_fault <= o.at < SETTLED_AFTER]
    settled = [o for o in outcomes if o.at >= SETTLED_AFTER]
    served = Counter(o.node for o in before if o.ok)

    keys = list(ledger.filed)
    per_key = dict(Report.objects.filter(submission_key__in=keys).values_list("submission_key")
                   .annotate(n=Count("id")))
    lost_reports = [k for k in keys if per_key.get(k, 0) == 0]
    duplicate_reports = [k for k, n in per_key.items() if n > 1]
    photos = Counter(ReportPhoto.objects.filter(report__submission_key__in=keys, kind="report")
                     .values_list("report__submission_key", flat=True))
    lost_photos = [k for k in keys if photos.get(k, 0) == 0]
    duplicate_photos = [k for k, n in photos.items() if n > 1]
    unprocessed = ReportPhoto.objects.filter(report__submission_key__in=keys).exclude(processing="done").count()
    expected_status = {"accept": "open", "start": "in_progress", "done": "resolved"}
    changes = Counter(StatusChange.objects.filter(report__in=tasks).values_list("report_id", "to_status"))
    lost_changes = [(task, action) for task, actions in ledger.transitions.items() for action in actions
                    if changes.get((task, expected_status[action]), 0) == 0]
    duplicate_changes = [key for key, n in changes.items() if n > 1]
    notifications = Counter(Notification.objects.values_list("recipient", "event", "subject"))
    duplicate_notifications = [key for key, n in notifications.items() if n > 1]
    unsent = Notification.objects.filter(sent_at__isnull=True).count()
    beats_scheduling = sum("beat: Acquired lock" in log for log in beat_logs)
    lock_taken = sum(log.count("beat: Acquired lock") for log in beat_logs)

    acknowledged = sum(len(actions) for actions in ledger.transitions.values())
    failures = Counter((o.kind, o.detail[:80]) for o in outcomes if not o.ok)
    first_failures = ", ".join(f"{o.at:.1f}s {o.kind}" for o in outcomes if not o.ok)[:400] or "none"
    lines = [
        "=== make test-cluster ===",
        f"requests: {len(outcomes)} (before faults {len(before)}, during {len(during)}, settled {len(settled)})",
        f"served before the faults: node a {served.get('a', 0)}, node b {served.get('b', 0)}",
        f"replica transactions before it was stopped: {replica_reads}",
        f"failures: before {_rate(before):.2%}, during faults {_rate(during):.2%}, "
        f"after settling {sum(not o.ok for o in settled)} of {len(settled)}",
        f"reports filed {len(keys)}: lost {len(lost_reports)}, duplicated {len(duplicate_reports)}; "
        f"photos lost {len(lost_photos)}, duplicated {len(duplicate_photos)}, unprocessed {unprocessed}",
        f"status changes acknowledged {acknowledged}: lost {len(lost_changes)}, duplicated {len(duplicate_changes)}",
        f"notifications {sum(notifications.values())}: duplicated {len(duplicate_notifications)}, unsent {unsent}",
        f"beats that held the lock: {beats_scheduling} of 2 (lock taken {lock_taken} times, beats restarted "
        f"when Redis failed over)",
        *(f"  failed {n}x {kind}: {detail}" for (kind, detail), n in failures.most_common(8)),
        f"  failures at: {first_failures}",
        f"logs: {root}",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if os.environ.get("CLUSTER_FIGURES"):
        Path(os.environ["CLUSTER_FIGURES"]).write_text(text)

    assert served.get("a", 0) > 0 and served.get("b", 0) > 0
    assert replica_reads and replica_reads > 0
    assert _rate(during) < 0.05
    assert [o for o in settled if not o.ok] == []
    assert (lost_reports, duplicate_reports, lost_photos, duplicate_photos, unprocessed) == ([], [], [], [], 0)
    assert (lost_changes, duplicate_changes) == ([], [])
    assert (duplicate_notifications, unsent) == ([], 0)
    assert beats_scheduling >= 1
