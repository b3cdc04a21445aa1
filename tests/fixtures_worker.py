"""Fixtures for the outside world of the outbox, reusable by end-to-end tests.

- `webhook_receiver`: a real HTTP server on 127.0.0.1 that records every request.
- `smtp_server`: an aiosmtpd server, the city's mail server, that records every message.
- `celery_worker`: a real `celery worker` subprocess on Redis db 14 and the pytest test
  database, with the test process publishing to the same broker (not eager).
"""
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings

from config.celery import app as celery_app

# Redis db reserved for worker tests, so a purge never touches a developer's queue (db 0).
WORKER_BROKER_URL = os.environ.get("WORKER_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")
WORKER_START_TIMEOUT = 30.0
PROJECT_DIR = Path(settings.BASE_DIR)


# --- webhook receiver -------------------------------------------------------------------

@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    url: str
    requests: list[ReceivedRequest] = field(default_factory=list)
    # Status the next requests get; tests set 500 etc.
    status: int = 204
    # Seconds to wait before answering (to provoke client timeouts).
    delay: float = 0.0


@pytest.fixture
def webhook_receiver():
    """An HTTP server on 127.0.0.1 (free port) that records requests and answers `status`."""
    receiver = WebhookReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", 0))
            receiver.requests.append(ReceivedRequest(
                path=self.path, headers=dict(self.headers.items()), body=self.rfile.read(length)))
            time.sleep(receiver.delay)
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/stadtmelder"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


# --- SMTP server ------------------------------------------------------------------------

@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: Message


class _RecordingHandler:
    def __init__(self):
        self.messages: list[ReceivedMail] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's naming)
        self.messages.append(ReceivedMail(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos),
            message=message_from_bytes(envelope.original_content or envelope.content)))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: _RecordingHandler

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def messages(self) -> list[ReceivedMail]:
        return self.handler.messages


def _free_port() -> int:
    # aiosmtpd's Controller cannot bind port 0 (it connects to its own port to start up).
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    """An aiosmtpd server on 127.0.0.1 recording every message (the city's mail server)."""
    handler = _RecordingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(host="127.0.0.1", port=port, handler=handler)
    finally:
        controller.stop()


# --- Celery through Redis and a real worker ---------------------------------------------

def _celery_pools_reset() -> None:
    """Forget cached broker connections so the next publish uses the current broker_url."""
    kombu.pools.reset()
    celery_app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        celery_app.__dict__["amqp"]._producer_pool = None


@contextlib.contextmanager
def celery_broker(url: str, *, eager: bool = False):
    """Publish to `url` for real (not eager) inside the block; restores the app afterwards."""
    conf = celery_app.conf
    saved = {"broker_url": conf.broker_url, "task_always_eager": conf.task_always_eager}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    os.environ["CELERY_BROKER_URL"] = url
    conf.broker_url = url
    conf.task_always_eager = eager
    _celery_pools_reset()
    try:
        yield
    finally:
        _celery_pools_reset()
        conf.broker_url = saved["broker_url"]
        conf.task_always_eager = saved["task_always_eager"]
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env


def database_url_for_tests() -> str:
    """DATABASE_URL of the database pytest-django is using (the test database)."""
    from django.db import connection

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgis://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


@dataclass
class CeleryWorker:
    process: subprocess.Popen
    log_path: Path
    broker_url: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def celery_worker(transactional_db, smtp_server, tmp_path):
    """A real `celery worker` subprocess: test database, Redis db 14, SMTP to `smtp_server`.

    Requires `@pytest.mark.django_db(transaction=True)`: the worker is another process and only
    sees committed rows. The test process publishes to the same Redis db for the duration of
    the test. The worker's log is printed at teardown (pytest shows it for failing tests).
    """
    redis.Redis.from_url(WORKER_BROKER_URL).flushdb()
    with celery_worker_running(broker_url=WORKER_BROKER_URL, tmp_path=tmp_path,
                               env={"EMAIL_URL": smtp_server.url}) as worker:
        yield worker


@contextlib.contextmanager
def celery_worker_running(*, broker_url: str, tmp_path: Path, env: dict | None = None):
    """A `celery worker` on the test database and `broker_url` (any broker URL the settings
    understand, Sentinel lists too) while the block runs; the test process publishes there.
    `env` adds or overrides environment variables of the worker."""
    log_path = tmp_path / "celery-worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url_for_tests(),
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "config", "worker",
        "--pool=solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
        "--loglevel=INFO", "-n", f"test-{uuid.uuid4().hex[:8]}@%h",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    worker = CeleryWorker(process=process, log_path=log_path, broker_url=broker_url)
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while " ready." not in worker.log():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"celery worker did not start (exit code {process.poll()}):\n{worker.log()}")
            time.sleep(0.2)
        with celery_broker(broker_url):
            yield worker
    finally:
        _process_group_stop(process)
        print(f"--- celery worker log ({log_path}) ---\n{worker.log()}")


def _process_group_stop(process: subprocess.Popen) -> None:
    """Warm shutdown (SIGTERM) of the worker's process group, SIGKILL after 10 s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
