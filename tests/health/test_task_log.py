"""A task's log lines in a real worker carry the id of the request that queued it, and its own
task id and name, in the JSON log format (health.task_log)."""
import json
import time

import pytest

from health.request_log import _request_id
from notifications.tasks import notifications_requeue_stale

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def json_logs(monkeypatch):
    monkeypatch.setenv("LOG_FORMAT", "json")


def _records(log: str) -> list[dict]:
    out = []
    for line in log.splitlines():
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def test_a_task_logs_as_json_with_the_request_id_that_queued_it(json_logs, celery_worker):
    token = _request_id.set("req-canary-7f3a")
    try:
        result = notifications_requeue_stale.delay()
    finally:
        _request_id.reset(token)
    deadline = time.monotonic() + 20
    while f"{result.id}] succeeded" not in celery_worker.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    done = [r for r in _records(celery_worker.log()) if r.get("task_id") == result.id and "succeeded" in r["message"]]
    assert len(done) == 1, celery_worker.log()
    assert done[0]["request_id"] == "req-canary-7f3a"
    assert done[0]["task_name"] == "notifications.tasks.notifications_requeue_stale"
    assert done[0]["logger"] == "celery.app.trace" and done[0]["level"] == "INFO"
    # Outside a task, the worker's own lines carry no task and no request.
    ready = [r for r in _records(celery_worker.log()) if r["message"].endswith(" ready.")]
    assert ready and ready[0]["task_id"] == "-" and ready[0]["request_id"] == "-"


def test_a_task_queued_outside_a_request_has_no_request_id(json_logs, celery_worker):
    result = notifications_requeue_stale.delay()
    deadline = time.monotonic() + 20
    while f"{result.id}] succeeded" not in celery_worker.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    done = [r for r in _records(celery_worker.log()) if r.get("task_id") == result.id and "succeeded" in r["message"]]
    assert [r["request_id"] for r in done] == ["-"], celery_worker.log()
