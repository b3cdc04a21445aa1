"""Reusable fixtures: the local FIT-Connect test server and the reference subscriber as real processes.

Import them into a ``conftest.py`` (``from tests.fitconnect_dev.fixtures import fitconnect_server,
fitconnect_subscriber``) — nothing here is imported by ``tests/conftest.py``.

- ``fitconnect_server`` (session): ``python -m fitconnect_dev.server`` on a free port of
  127.0.0.1 over a state directory initialised once per session. Gives a
  :class:`FitConnectServer` with ``base_url``, ``token_url``, ``api_url`` (``…/v1``),
  ``state_dir``, ``config`` (``config.json``: destinationId, services, kids, sender and
  subscriber credentials), ``ca_path`` (the test CA the sender must trust),
  ``destination_keys`` (private JWKs of the destination) and ``token(role)``.
- ``fitconnect_subscriber`` (function): starts ``python -m fitconnect_dev.subscriber`` against
  that server (interval 0.2 s) and stops it after the test.
- :func:`wait_until` polls a condition up to a deadline (no timing assertions).
"""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from fitconnect_dev.bootstrap import state_init

__all__ = ["FitConnectServer", "fitconnect_server", "fitconnect_subscriber", "wait_until", "server_process_start",
           "subscriber_process_start", "process_stop"]

PROJECT_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


def wait_until(condition, *, timeout: float = 30.0, interval: float = 0.1, message: str = "condition"):
    """Call ``condition`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {message}")
        time.sleep(interval)


def server_process_start(state_dir: Path, *, port: int = 0, log_path: Path | None = None):
    """Start the test server; returns (process, port) once it announced its address."""
    log_path = log_path or state_dir / "server.log"
    log_file = open(log_path, "ab")  # noqa: SIM115 (lives as long as the process)
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "fitconnect_dev.server", "--host", "127.0.0.1", "--port", str(port),
         "--state", str(state_dir)],
        cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=log_file, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + START_TIMEOUT
    line = b""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith(b"FIT-Connect test server on http://127.0.0.1:"):
            port = int(line.split(b":")[2].split(b"/")[0])
            return process, port
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"FIT-Connect test server did not start: {line!r}; see {log_path}")


def subscriber_process_start(state_dir: Path, base_url: str, *, log_path: Path | None = None):
    """Start the reference subscriber (poll interval 0.2 s); its log goes to ``log_path``."""
    log_file = open(log_path or state_dir / "subscriber.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-u", "-m", "fitconnect_dev.subscriber", "--state", str(state_dir), "--server", base_url,
         "--interval", "0.2"], cwd=PROJECT_DIR, stdout=log_file, stderr=subprocess.STDOUT)


def process_stop(process: subprocess.Popen) -> None:
    """Stop a process started here (SIGTERM, then SIGKILL)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()


@dataclass
class FitConnectServer:
    """A running test server and what a client needs to talk to it."""

    state_dir: Path
    port: int
    process: subprocess.Popen
    config: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token_url(self) -> str:
        return self.base_url + "/token"

    @property
    def api_url(self) -> str:
        return self.base_url + "/v1"

    @property
    def ca_path(self) -> Path:
        return Path(self.config["caCertificate"])

    @property
    def destination_id(self) -> str:
        return self.config["destinationId"]

    @property
    def destination_keys(self) -> dict:
        return json.loads(Path(self.config["destinationKeysFile"]).read_text())

    def token(self, role: str = "sender") -> str:
        """A fresh access token for the demo ``sender`` or ``subscriber`` client."""
        client = self.config[role]
        response = requests.post(self.token_url, timeout=10, data={
            "grant_type": "client_credentials", "client_id": client["clientId"],
            "client_secret": client["clientSecret"]})
        response.raise_for_status()
        return response.json()["access_token"]

    def restart(self) -> None:
        """Stop and start the server process on the same port and state (a crash and restart)."""
        process_stop(self.process)
        self.process, _port = server_process_start(self.state_dir, port=self.port)


@pytest.fixture(scope="session")
def fitconnect_server(tmp_path_factory):
    """The test server as a subprocess for the whole session (state in a temporary directory)."""
    state_dir = tmp_path_factory.mktemp("fitconnect-state")
    config, _created = state_init(state_dir)
    process, port = server_process_start(state_dir)
    server = FitConnectServer(state_dir=state_dir, port=port, process=process, config=config)
    yield server
    process_stop(server.process)


@pytest.fixture
def fitconnect_subscriber(fitconnect_server):
    """The reference subscriber process for the duration of one test."""
    process = subscriber_process_start(fitconnect_server.state_dir, fitconnect_server.base_url)
    yield process
    process_stop(process)
