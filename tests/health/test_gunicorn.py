"""A real gunicorn with two workers: JSON log lines with request ids and without personal data
(canary values in query, body, headers and path), request metrics added up over the workers
(multiprocess mode), the probes by address."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.fixtures_worker import database_url_for_tests

from .conftest import free_port
from .test_metrics import requests_total, samples

CANARIES = ("canary-mail@example.org", "CanaryQueryToken77", "CanaryBodyName", "CanaryCookie55",
            "CanaryAuthHeader66", "CanaryTrackingToken88", "CanaryUserAgent99")


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    """gunicorn with 2 workers on a free port, LOG_FORMAT=json, 127.0.0.1 as trusted proxy."""
    port = free_port()
    multiprocess_dir = tmp_path / "prometheus"
    multiprocess_dir.mkdir()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(), "DB_CONN_MAX_AGE": "0",
        "LOG_FORMAT": "json", "TRUSTED_PROXIES": "127.0.0.1",
        "METRICS_ALLOWED_NETWORKS": "192.0.2.0/24", "METRICS_TOKEN": "scrape-token",
        "PROMETHEUS_MULTIPROC_DIR": str(multiprocess_dir),
        "MEDIA_ROOT": str(tmp_path / "media"), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "CACHE_URL": os.environ.get("WORKER_TEST_BROKER_URL", "redis://127.0.0.1:6379/14"),
    }
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--no-control-socket"],
            cwd=settings.BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:  # not listening or still booting
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base, log_path
    finally:
        process.terminate()
        process.wait(timeout=20)


def json_lines(log_path: Path) -> list[dict]:
    return [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]


def test_json_logs_carry_request_ids_and_no_personal_data(gunicorn):
    base, log_path = gunicorn
    headers = {"Cookie": "sessionid=CanaryCookie55", "Authorization": "Bearer CanaryAuthHeader66",
               "User-Agent": "CanaryUserAgent99"}
    page = requests.get(base + "/leistungen/", params={"email": "canary-mail@example.org",
                                                       "token": "CanaryQueryToken77"},
                        headers={**headers, "X-Request-ID": "proxy-id-1"}, timeout=10)
    assert page.status_code == 200
    assert page.headers["X-Request-ID"] == "proxy-id-1"  # 127.0.0.1 is a trusted proxy here
    form = requests.post(base + "/anliegen/", data={"name": "CanaryBodyName", "email": "canary-mail@example.org"},
                         headers={**headers, "X-Request-ID": "x" * 200}, timeout=10)
    assert form.status_code == 403  # no CSRF token
    assert form.headers["X-Request-ID"] != "x" * 200 and len(form.headers["X-Request-ID"]) == 32
    missing = requests.get(base + "/vorgang/CanaryTrackingToken88/", headers=headers, timeout=10)
    assert missing.status_code == 404
    # gunicorn's answer reaches the client before the line is written.
    deadline = time.monotonic() + 20
    while len([r for r in json_lines(log_path) if r.get("logger") == "stadtmelder.request"]) < 3:
        assert time.monotonic() < deadline, log_path.read_text()
        time.sleep(0.1)
    records = json_lines(log_path)
    request_lines = [r for r in records if r["logger"] == "stadtmelder.request"]
    assert [(r["method"], r["path"], r["view"], r["status"], r["request_id"]) for r in request_lines] == [
        ("GET", "/leistungen/", "service-catalogue", 200, "proxy-id-1"),
        ("POST", "/anliegen/", "anliegen:new", 403, form.headers["X-Request-ID"]),
        ("GET", "/vorgang/<str:token>/", "cases:tracking", 404, missing.headers["X-Request-ID"]),
    ]
    assert all(isinstance(r["duration_ms"], float) and r["level"] == "INFO" and r["time"] for r in request_lines)
    # Django's own "Forbidden (CSRF …)" and "Not Found" lines: JSON, with the request id, no token.
    django_lines = [r for r in records if r["logger"] in ("django.request", "django.security.csrf")]
    assert {r["request_id"] for r in django_lines} >= {missing.headers["X-Request-ID"]}
    output = log_path.read_text()
    for canary in CANARIES:
        assert canary not in output, canary


def test_metrics_add_up_over_both_workers_and_probes_answer_any_host(gunicorn):
    base, _log = gunicorn
    for _ in range(12):
        assert requests.get(base + "/leistungen/", timeout=10).status_code == 200
    assert requests.get(base + "/healthz", headers={"Host": "10.9.8.7"}, timeout=10).status_code == 200
    ready = requests.get(base + "/readyz", headers={"Host": "10.9.8.7"}, timeout=10)
    assert ready.status_code == 200, ready.text
    # 127.0.0.1 is not in METRICS_ALLOWED_NETWORKS: its own address is refused, a forwarded
    # client in the allowed network (127.0.0.1 is a trusted proxy here) and the token are not.
    assert requests.get(base + "/metrics", timeout=10).status_code == 403
    assert requests.get(base + "/metrics", headers={"X-Forwarded-For": "192.0.2.7"}, timeout=10).status_code == 200
    response = requests.get(base + "/metrics", headers={"Authorization": "Bearer scrape-token"}, timeout=10)
    assert response.status_code == 200
    values = samples(response.text)
    assert requests_total(values, "service-catalogue", "GET", "200") == 12
