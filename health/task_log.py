"""Celery tasks in the structured log: the request that queued a task, and the task itself, on
every record the task writes.

A task queued while a request is answered carries the request's id in its message headers
(`stadtmelder_request_id`, set on `before_task_publish`). When a worker runs it, the id is put
back into the request-id context (`task_prerun`, cleared on `task_postrun`), so the task's log
lines share the `request_id` of the request that caused them; `task_id` and `task_name` are
added to every record by `TaskContextFilter`. A task queued by beat or another task without a
request gets "-" as request id, like any log line outside a request.

The worker leaves the root logger to Django's LOGGING (`CELERY_WORKER_HIJACK_ROOT_LOGGER =
False`), so `LOG_FORMAT=json` gives the worker the same one-object-per-line format as the web
nodes. Task arguments are never logged here (they may hold personal data).
"""
import logging

from .request_log import _request_id

__all__ = ["HEADER", "TaskContextFilter", "task_log_signals_connect"]

HEADER = "stadtmelder_request_id"
_tokens: dict[str, object] = {}


class TaskContextFilter(logging.Filter):
    """Adds `task_id` and `task_name` to every record ("-" outside a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from celery import current_task

        task = current_task if current_task and current_task.request.id else None
        if not hasattr(record, "task_id"):
            record.task_id = task.request.id if task else "-"
        if not hasattr(record, "task_name"):
            record.task_name = task.name if task else "-"
        return True


def _on_publish(sender=None, headers=None, **kwargs) -> None:
    request_id = _request_id.get()
    if headers is not None and request_id != "-":
        headers[HEADER] = request_id


def _on_prerun(task_id=None, task=None, **kwargs) -> None:
    # The worker makes every message header an attribute of the task's request context.
    request_id = getattr(task.request, HEADER, None) if task is not None else None
    if isinstance(request_id, str) and task_id:
        _tokens[task_id] = _request_id.set(request_id)


def _on_postrun(task_id=None, **kwargs) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        _request_id.reset(token)


def task_log_signals_connect() -> None:
    """Connect the three signals (once, in `ready()`)."""
    from celery import signals

    signals.before_task_publish.connect(_on_publish, weak=False, dispatch_uid="health.task_log.publish")
    signals.task_prerun.connect(_on_prerun, weak=False, dispatch_uid="health.task_log.prerun")
    signals.task_postrun.connect(_on_postrun, weak=False, dispatch_uid="health.task_log.postrun")
