"""/metrics: who may read it, request counts after requests, Celery queue lengths from Redis,
task outcomes counted in a real worker process (multiprocess mode)."""
import time

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app as celery_app
from tests.fixtures_worker import WORKER_BROKER_URL, celery_broker

pytestmark = pytest.mark.django_db


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, sorted label items): value} of an exposition."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(client) -> dict[tuple, float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


def requests_total(values, view, method, status) -> float:
    return values.get(("stadtmelder_http_requests_total",
                       (("method", method), ("status", status), ("view", view))), 0.0)


@pytest.fixture
def open_metrics(settings):
    settings.HEALTH = {"METRICS_ALLOWED_NETWORKS": ["127.0.0.1/32", "::1/128"]}


def test_metrics_are_closed_by_default_in_german_and_english(client):
    response = client.get("/metrics")
    assert response.status_code == 403
    assert response.content.decode() == (
        "Die Metriken sind nur für freigegebene Netze oder mit Zugangstoken abrufbar.\n")
    response = client.get("/metrics", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert response.content.decode() == "Metrics are only available to allowed networks or with an access token.\n"


def test_allowed_network_and_bearer_token(client, settings):
    settings.HEALTH = {"METRICS_ALLOWED_NETWORKS": ["10.20.0.0/16"], "METRICS_TOKEN": "t0ken-for-prometheus"}
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1",
                      HTTP_AUTHORIZATION="Bearer t0ken-for-prometheus").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_AUTHORIZATION="Token t0ken-for-prometheus"
                      ).status_code == 403


def test_forwarded_for_of_an_untrusted_peer_does_not_open_metrics(client, settings):
    settings.HEALTH = {"METRICS_ALLOWED_NETWORKS": ["127.0.0.1/32"]}
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 403
    # Through our proxy, the client it names counts.
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.9").status_code == 403


def test_requests_are_counted_by_view_method_and_status(client, open_metrics):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/leistungen/?q=x").status_code == 200
    assert client.get("/vorgang/no-such-token/").status_code == 404
    assert client.get("/gibt-es-nicht/").status_code == 404
    after = scrape(client)
    assert requests_total(after, "service-catalogue", "GET", "200") - \
        requests_total(before, "service-catalogue", "GET", "200") == 3
    assert requests_total(after, "cases:tracking", "GET", "404") - \
        requests_total(before, "cases:tracking", "GET", "404") == 1
    assert requests_total(after, "unresolved", "GET", "404") - requests_total(before, "unresolved", "GET", "404") == 1
    count = ("stadtmelder_http_request_duration_seconds_count", (("method", "GET"), ("view", "service-catalogue")))
    assert after[count] - before.get(count, 0) == 3
    queries = ("stadtmelder_http_db_queries_total", (("view", "service-catalogue"),))
    assert after[queries] > before.get(queries, 0)
    # Probes are not requests of the application; no path or token becomes a label.
    text = client.get("/metrics").content.decode()
    assert "no-such-token" not in text and "/leistungen/" not in text and 'view="/metrics"' not in text


def test_queue_length_is_read_from_redis(client, open_metrics, settings):
    redis.Redis.from_url(WORKER_BROKER_URL).flushdb()
    settings.CELERY_BROKER_URL = WORKER_BROKER_URL
    with celery_broker(WORKER_BROKER_URL):
        for _ in range(3):
            celery_app.send_task("notifications.tasks.notifications_requeue_stale")
        celery_app.send_task("notifications.tasks.notifications_requeue_stale", priority=6)
    values = scrape(client)
    redis.Redis.from_url(WORKER_BROKER_URL).flushdb()
    assert values[("stadtmelder_celery_broker_up", ())] == 1
    assert values[("stadtmelder_celery_queue_length", (("queue", "celery"),))] == 4


def test_broker_down_shows_broker_up_zero(client, open_metrics, settings):
    from .conftest import free_port

    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    values = scrape(client)
    assert values[("stadtmelder_celery_broker_up", ())] == 0
    assert not [key for key in values if key[0] == "stadtmelder_celery_queue_length"]


@pytest.fixture
def multiprocess_dir(tmp_path, monkeypatch):
    """PROMETHEUS_MULTIPROC_DIR for the worker started after this fixture and for /metrics."""
    directory = tmp_path / "prometheus"
    directory.mkdir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    return directory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_outcomes_of_a_real_worker(multiprocess_dir, celery_worker, client, open_metrics):
    task = "notifications.tasks.notifications_requeue_stale"
    celery_app.send_task(task)  # succeeds
    celery_app.send_task(task, args=["an argument it does not take"])  # TypeError: fails
    succeeded = ("stadtmelder_celery_tasks_total", (("outcome", "succeeded"), ("task", task)))
    failed = ("stadtmelder_celery_tasks_total", (("outcome", "failed"), ("task", task)))
    deadline = time.monotonic() + 60
    while True:
        values = scrape(client)
        if values.get(succeeded) == 1 and values.get(failed) == 1:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"task outcomes not counted: {values.get(succeeded)}, {values.get(failed)}\n"
                        f"{celery_worker.log()}")
        time.sleep(0.3)
    assert list(multiprocess_dir.glob("counter_*.db"))
