"""/healthz and /readyz: real PostgreSQL and Redis, a throwaway redis-server that is stopped."""
import json
import threading

import pytest

from health import probes

from .conftest import free_port

pytestmark = pytest.mark.django_db

CHECKS = {"database", "broker", "cache", "storage.default", "storage.private"}


@pytest.fixture(autouse=True)
def _real_redis_broker(settings, throwaway_redis):
    settings.CELERY_BROKER_URL = throwaway_redis[0]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": throwaway_redis[0].replace("/0", "/1")}}


def test_healthz_answers_without_any_allowed_host(client):
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_probes_refuse_other_methods(client):
    response = client.post("/readyz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_readyz_names_every_check_with_status_and_time(client):
    response = client.get("/readyz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    for result in body["checks"].values():
        assert result["status"] == "ok"
        assert isinstance(result["ms"], float) and result["ms"] >= 0
        assert "error" not in result


def test_broker_down_gives_503_naming_the_broker(client, throwaway_redis):
    url, process = throwaway_redis
    process.terminate()
    process.wait(timeout=10)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"] == {"status": "fail", "ms": body["checks"]["broker"]["ms"],
                                        "error": "ConnectionError"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["storage.private"]["status"] == "ok"


def test_body_holds_no_password_of_a_url(client, settings):
    settings.CELERY_BROKER_URL = f"redis://:s3cret-canary@127.0.0.1:{free_port()}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"s3cret-canary" not in response.content
    assert b"127.0.0.1" not in response.content
    assert response.json()["checks"]["broker"]["error"] == "ConnectionError"


def test_storage_that_cannot_be_written_fails(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(blocker / "private"), "base_url": None}}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage.private"]["status"] == "fail"
    assert response.json()["checks"]["storage.private"]["error"] == "NotADirectoryError"
    assert response.json()["checks"]["storage.default"]["status"] == "ok"


def test_a_check_past_its_timeout_fails_and_is_not_waited_for(client, settings):
    settings.HEALTH = {"CHECK_TIMEOUT": 0.2}
    release = threading.Event()
    try:
        with probes.register_temporarily("storage.s3", lambda: release.wait(30)):
            response = client.get("/readyz")
    finally:
        release.set()
    assert response.status_code == 503
    assert response.json()["checks"]["storage.s3"] == {"status": "fail", "ms": 200.0, "error": "Timeout"}
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_registered_check_joins_and_replaces_by_name(client):
    def failing():
        raise PermissionError("bucket refused")

    with probes.register_temporarily("storage.private", failing):
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert set(checks) == CHECKS
    assert checks["storage.private"]["error"] == "PermissionError"
    assert b"bucket refused" not in response.content
    # Outside the block the built-in check is back.
    assert client.get("/readyz").status_code == 200


def test_probes_open_no_session_and_set_no_cookie(client):
    response = client.get("/readyz")
    assert response.cookies == {} or not response.cookies
    assert json.loads(response.content)["status"] == "ok"
