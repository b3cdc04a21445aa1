"""Prometheus metrics of the web nodes and the Celery workers (prometheus-client).

Metrics (all prefixed `stadtmelder_`):

- `http_requests_total{view,method,status}` and `http_request_duration_seconds{view,method}`
  (histogram): every request that passes the middleware, labelled by the URL name of the view
  (`cases:tracking`), never by its path, so tokens and ids do not become label values;
  `view="unresolved"` for requests answered before or without URL resolution (404, 400 of the
  input guard, redirects of CommonMiddleware).
- `http_db_queries_total{view}`: SQL statements run for those requests (one counter increment
  per request, counted by a `connection.execute_wrapper`).
- `celery_tasks_total{task,outcome}`: outcomes `succeeded`, `failed`, `retried`, from Celery's
  `task_success`, `task_failure` and `task_retry` signals in the worker processes.
- `celery_queue_length{queue}` and `celery_broker_up`: read from Redis when scraped (`LLEN` of
  each queue's list and of its priority lists, kombu's key layout); broker down: `broker_up 0`
  and no queue lengths.

Several processes (gunicorn workers, Celery's prefork children) each count for themselves.
With `PROMETHEUS_MULTIPROC_DIR` set in their environment *before they start* (scripts/run.sh
does), prometheus-client keeps the values in files of that directory, and `/metrics` adds up
all files there (its multiprocess mode) — a worker on the same machine with the same directory
appears in the web node's `/metrics`. The directory must be emptied before the processes start.
Without it, `/metrics` shows the one process that answers.
"""
import os
import time
from contextlib import ExitStack

from django.conf import settings
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

__all__ = [
    "CONTENT_TYPE_LATEST", "RequestMetricsMiddleware", "CeleryQueueCollector", "metrics_exposition",
    "task_signals_connect",
]

REQUESTS = Counter("stadtmelder_http_requests", "HTTP requests by view, method and status.",
                   ["view", "method", "status"])
REQUEST_DURATION = Histogram(
    "stadtmelder_http_request_duration_seconds", "Time from the first middleware to the response, seconds.",
    ["view", "method"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
DB_QUERIES = Counter("stadtmelder_http_db_queries", "SQL statements run while answering requests, by view.",
                     ["view"])
TASKS = Counter("stadtmelder_celery_tasks", "Celery task runs by task name and outcome.", ["task", "outcome"])

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "unresolved"


def view_label(request) -> str:
    """The URL name of the view that answered `request` (`UNRESOLVED` if none did)."""
    match = getattr(request, "resolver_match", None)
    return (match.view_name or match._func_path) if match is not None else UNRESOLVED


class _QueryCounter:
    """An `execute_wrapper` that counts the statements it sees."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestMetricsMiddleware:
    """Counts every request, its duration and its SQL statements (near the top of MIDDLEWARE,
    so that answers of the later middleware count too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connections

        started = time.perf_counter()
        queries = _QueryCounter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(queries))
            response = self.get_response(request)
        view = view_label(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        REQUEST_DURATION.labels(view, method).observe(time.perf_counter() - started)
        if queries.count:
            DB_QUERIES.labels(view).inc(queries.count)
        return response


# --- Celery --------------------------------------------------------------------------------

def _task_name(sender) -> str:
    return getattr(sender, "name", None) or "unknown"


def _on_success(sender=None, **kwargs):
    TASKS.labels(_task_name(sender), "succeeded").inc()


def _on_failure(sender=None, **kwargs):
    TASKS.labels(_task_name(sender), "failed").inc()


def _on_retry(sender=None, **kwargs):
    TASKS.labels(_task_name(sender), "retried").inc()


def task_signals_connect() -> None:
    """Count task outcomes in whichever process runs the task (connected once, in `ready()`)."""
    from celery import signals

    signals.task_success.connect(_on_success, weak=False, dispatch_uid="health.task_success")
    signals.task_failure.connect(_on_failure, weak=False, dispatch_uid="health.task_failure")
    signals.task_retry.connect(_on_retry, weak=False, dispatch_uid="health.task_retry")


class CeleryQueueCollector:
    """The length of each Celery queue, read from the Redis broker at scrape time."""

    def collect(self):
        import redis

        from config.celery import app

        up = GaugeMetricFamily("stadtmelder_celery_broker_up", "1 if the broker answered the scrape, else 0.")
        length = GaugeMetricFamily("stadtmelder_celery_queue_length", "Messages waiting in a Celery queue.",
                                   labels=["queue"])
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}
        prefix = options.get("global_keyprefix", "")
        steps = options.get("priority_steps", [0, 3, 6, 9])
        separator = options.get("sep", "\x06\x16")
        queues = sorted({app.conf.task_default_queue, *(q.name for q in app.amqp.queues.values())})
        try:
            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1)
            try:
                pipeline = client.pipeline(transaction=False)
                for queue in queues:
                    # kombu's Redis transport: one list per priority step, the base name for 0.
                    for step in steps:
                        pipeline.llen(prefix + (f"{queue}{separator}{step}" if step else queue))
                counts = pipeline.execute()
            finally:
                client.close()
        except (redis.RedisError, OSError, ValueError):
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        for index, queue in enumerate(queues):
            length.add_metric([queue], sum(counts[index * len(steps):(index + 1) * len(steps)]))
        yield length


def metrics_exposition() -> bytes:
    """The text exposition of all metrics: of every process sharing PROMETHEUS_MULTIPROC_DIR
    when it is set, else of this process; plus the queue lengths."""
    queues = CollectorRegistry(auto_describe=True)
    queues.register(CeleryQueueCollector())
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
        return generate_latest(registry) + generate_latest(queues)
    return generate_latest(REGISTRY) + generate_latest(queues)
