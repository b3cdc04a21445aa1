"""Queueing Celery tasks from a write: the one place that publishes a task after commit and
survives a broker outage.

Every asynchronous job of the portal (photo processing, notification sending, upstream
pushes, the geodata ingest) is backed by a row in a "pending" state written in the same
transaction. `task_enqueue_on_commit` publishes the task only once that transaction has
committed (nothing is published for a write that is rolled back) and never raises: when the
broker is unreachable it logs a warning, the request that wrote the row still succeeds, and
the app's beat task re-queues rows that stayed pending (`photos_process_pending`,
`notifications_requeue_stale`, `upstream_pushes_requeue_stale_task`,
`resources_geo_ingest_requeue_task`). `task_enqueue` is the same publish without waiting for
a commit, for those beat re-queue tasks and for callers already running after commit.

`task` is a Celery task or the dotted path of one (`"opendata.tasks.upstream_push_task"`),
imported when it is published: an app's `tasks.py` imports its services, so a service names
its task by path instead of importing `tasks.py` back (no import circle).

How long a publish may block while Redis is down is bounded by
`CELERY_TASK_PUBLISH_RETRY_POLICY` (settings).
"""
import logging
from functools import partial

from django.db import transaction
from django.utils.module_loading import import_string

__all__ = ["task_enqueue", "task_enqueue_on_commit"]

logger = logging.getLogger(__name__)


def task_enqueue(task, *args, countdown: float | None = None, **kwargs) -> bool:
    """Publish `task(*args, **kwargs)` now; True if the broker took it, False (and a log line)
    if not. Never raises: the caller's row stays pending and beat re-queues it."""
    options = {} if countdown is None else {"countdown": countdown}
    if isinstance(task, str):
        task = import_string(task)  # a wrong path is a programming error: it raises
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
    except Exception:  # noqa: BLE001 - kombu and redis raise many types for an unreachable broker
        logger.warning("could not queue %s%r; left pending for beat's re-queue", task.name, args, exc_info=True)
        return False
    return True


def task_enqueue_on_commit(task, *args, countdown: float | None = None, using: str | None = None, **kwargs) -> None:
    """Publish `task(*args, **kwargs)` once the current transaction commits (at once outside
    one); nothing is published if it rolls back. A broker outage is logged, not raised (see
    `task_enqueue`)."""
    transaction.on_commit(partial(task_enqueue, task, *args, countdown=countdown, **kwargs), using=using)
