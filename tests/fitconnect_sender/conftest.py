"""The FIT-Connect sender under test against the real local test server (`fitconnect_dev`).

`fitconnect_server`: one `python -m fitconnect_dev.server` subprocess per test session on a
free port, its state (test CA, destination, client credentials) in a temporary directory.
`fitconnect_settings`: the sender configured for it (settings and, for a worker process,
the environment), the general request ("anliegen") given the LeiKa key the demo destination
offers, and a department with the destination. `subscriber`: the test's stand-in for the
specialist system (the destination's private keys; it signs accept/reject SETs).
"""
import dataclasses
import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from jwcrypto import jwe, jwk

from cases.types import case_type_get
from fitconnect_sender.models import FitConnectDestination
from portal import hooks
from tests.cases.conftest import _private_files  # noqa: F401 (autouse: attachments in the tmp private storage)
from tests.factories import DepartmentFactory

LEIKA = "99115004000000"
CALLBACK_SECRET = "c" * 40


@dataclass
class FitConnectServer:
    url: str
    state: Path
    config: dict
    process: subprocess.Popen

    @property
    def api_url(self) -> str:
        return f"{self.url}/v1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def fitconnect_server(tmp_path_factory):
    """The local Zustelldienst as a subprocess (initialised state, free port)."""
    state = tmp_path_factory.mktemp("fitconnect-state")
    port = _free_port()
    log = (state / "server.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "fitconnect_dev.server", "--init", "--host", "127.0.0.1",
                                "--port", str(port), "--state", str(state)],
                               cwd=django_settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/.well-known/jwks.json", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"FIT-Connect test server did not start:\n{(state / 'server.log').read_text()}")
        time.sleep(0.2)
    try:
        yield FitConnectServer(url=url, state=state, config=json.loads((state / "config.json").read_text()),
                               process=process)
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture
def fitconnect_settings(settings, fitconnect_server, monkeypatch):
    """The sender pointed at the test server (settings here, environment for a worker)."""
    sender = fitconnect_server.config["sender"]
    values = {"TOKEN_URL": f"{fitconnect_server.url}/token", "SUBMISSION_API_URL": fitconnect_server.api_url,
              "CLIENT_ID": sender["clientId"], "CLIENT_SECRET": sender["clientSecret"],
              "TRUSTED_CA_FILE": fitconnect_server.config["caCertificate"], "CALLBACK_SECRET": CALLBACK_SECRET,
              "RETRY_BACKOFF": 1}
    settings.FITCONNECT = values
    settings.PORTAL_LEIKA_KEYS = {"anliegen": LEIKA}
    for key, value in values.items():
        if key != "RETRY_BACKOFF":
            monkeypatch.setenv(f"FITCONNECT_{key}", str(value))
    monkeypatch.setenv("PORTAL_LEIKA_KEYS", f"anliegen={LEIKA}")
    return values


@pytest.fixture
def route_case_type():
    """A throwaway case type: the general request's, registered in front of the real one for
    the test, naming the statuses the route sets (delivered → in_progress, accepted → waiting,
    rejected → done)."""
    probe = dataclasses.replace(case_type_get("anliegen"), delivered_status="in_progress",
                                accepted_status="waiting", rejected_status="done")
    with hooks.register_temporarily("register_case_type", lambda: probe, order=-100):
        yield probe


@pytest.fixture
def registry_office(db, fitconnect_server):
    """The registration office with the demo destination for the general request."""
    department = DepartmentFactory(slug="meldebehoerde", name="Meldebehörde", email="melde@stadt.example")
    FitConnectDestination.objects.create(department=department, service="anliegen",
                                         destination_id=fitconnect_server.config["destinationId"])
    return department


class Subscriber:
    """The specialist system's side, as the test plays it: read, decrypt, answer."""

    def __init__(self, server: FitConnectServer):
        self.server = server
        keys = json.loads(Path(server.config["destinationKeysFile"]).read_text())
        self.encryption = jwk.JWK(**keys["encryption"])
        self.signature = keys["signature"]
        client = server.config["subscriber"]
        token = requests.post(f"{server.url}/token", data={
            "grant_type": "client_credentials", "client_id": client["clientId"],
            "client_secret": client["clientSecret"]}, timeout=10).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.server.api_url}{path}", headers=self.headers, timeout=10)

    def decrypt(self, token: str) -> bytes:
        message = jwe.JWE()
        message.deserialize(token, key=self.encryption)
        return message.payload

    def answer(self, *, submission_id: str, case_id: str, event: str, payload: dict | None = None,
               key: dict | None = None) -> requests.Response:
        from fitconnect_dev import crypto as dev_crypto

        token = dev_crypto.set_sign(private_jwk=key or self.signature, issuer=self.server.config["destinationId"],
                                    subject=f"submission:{submission_id}", txn=f"case:{case_id}",
                                    event=event,
                                    payload=payload or {})
        return requests.post(f"{self.server.api_url}/cases/{case_id}/events", data=token,
                             headers={**self.headers, "Content-Type": "application/jose"}, timeout=10)


@pytest.fixture
def subscriber(fitconnect_server):
    return Subscriber(fitconnect_server)


