"""Helpers of the tests with two database connections: run two works in threads (each its own
connection) and see whether a backend waits for a lock."""
import threading
import time
from collections.abc import Callable

from django.db import connections


def run_in_threads(*, after_start: Callable[[], None] = lambda: None, **works: Callable[[], object]) -> dict:
    """Run each of `works` in a thread of its own (its own connection); by name, its result or
    the error it raised. `after_start` runs in the calling thread while they run."""
    results = {}

    def run(name, work):
        try:
            results[name] = work()
        except Exception as exc:  # noqa: BLE001 (the test reports any database error)
            results[name] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in works.items()]
    for thread in threads:
        thread.start()
    after_start()
    for thread in threads:
        thread.join(60)
    return results


def run_until_a_lock_wait(*, ready: threading.Event, release: threading.Event,
                          **works: Callable[[], object]) -> tuple[dict, bool]:
    """`run_in_threads`; once `ready` is set, wait until a backend waits for a lock, then set
    `release`. The results, and whether a backend did wait."""
    waited = []

    def release_when_one_waits():
        ready.wait(30)
        waited.append(a_backend_waits_for_a_lock())
        release.set()

    return run_in_threads(after_start=release_when_one_waits, **works), waited == [True]


def a_backend_waits_for_a_lock(timeout: float = 20) -> bool:
    """Whether another backend of the test database came to wait for a lock within `timeout`
    (call outside a transaction: pg_stat_activity is read once per transaction)."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False
