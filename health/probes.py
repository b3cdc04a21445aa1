"""Readiness checks: can this node serve requests now?

A check is a function without arguments that returns when its dependency works and raises
when it does not. The built-in ones are derived from the settings each time they run:

- `database` (and `database.<alias>` for every further entry of `DATABASES`): `SELECT 1`;
- `broker`: a Redis `PING` on `CELERY_BROKER_URL` (other transports: kombu connects);
- `cache`: a set and get of one key in the default cache;
- `storage.<alias>` for every entry of `STORAGES` but `staticfiles`: for a file-system
  storage a small file written and removed in its root; for any other backend (object
  storage) `exists()` of one key, which proves the bucket answers and the credentials work.

Other code adds or replaces a check by name (`register("storage.private")`,
`register("database.replica")`), the Wagtail-hooks way; `register_temporarily` is for tests.
`readiness_run()` runs all checks in parallel threads and gives each `CHECK_TIMEOUT` seconds
(health.conf); a check that has not answered by then counts as failed. A result names each
check with its status and time in milliseconds and, on failure, only the exception's class
name: messages may carry host names or URLs with passwords.
"""
import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from urllib.parse import urlsplit

from django.conf import settings

from .conf import health_setting

__all__ = ["register", "register_temporarily", "readiness_checks", "readiness_run"]

Check = Callable[[], None]
_registered: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    """Decorator: run `check` under `name` in every readiness probe (replaces a built-in or
    earlier check of that name)."""
    def decorator(check: Check) -> Check:
        _registered[name] = check
        return check
    return decorator


@contextlib.contextmanager
def register_temporarily(name: str, check: Check) -> Iterator[None]:
    """Run `check` under `name` inside the block only (tests)."""
    previous = _registered.get(name)
    _registered[name] = check
    try:
        yield
    finally:
        if previous is None:
            _registered.pop(name, None)
        else:
            _registered[name] = previous


def _database_check(alias: str) -> Check:
    def check() -> None:
        from django.db import connections

        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        finally:
            # The check runs in a thread of its own: its connection dies with it.
            connection.close()
    return check


def _broker_check() -> None:
    url = settings.CELERY_BROKER_URL
    timeout = health_setting("CHECK_TIMEOUT")
    if urlsplit(url).scheme in ("redis", "rediss", "unix"):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        try:
            client.ping()
        finally:
            client.close()
        return
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)


def _cache_check() -> None:
    from django.core.cache import cache

    key, value = "health:readyz", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return the value just written")


def _storage_check(alias: str) -> Check:
    def check() -> None:
        from django.core.files.storage import FileSystemStorage, storages

        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            # Django creates the root on the first save; a fresh deployment is not unready.
            os.makedirs(storage.location, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=storage.location, prefix=".readyz-") as probe:
                probe.write(b"ok")
                probe.flush()
        else:
            storage.exists(".readyz")
    return check


def readiness_checks() -> dict[str, Check]:
    """Every check of this node by name: the built-in ones, then the registered ones."""
    checks: dict[str, Check] = {}
    for alias in settings.DATABASES:
        checks["database" if alias == "default" else f"database.{alias}"] = _database_check(alias)
    checks["broker"] = _broker_check
    checks["cache"] = _cache_check
    for alias in settings.STORAGES:
        if alias != "staticfiles":
            checks[f"storage.{alias}"] = _storage_check(alias)
    checks.update(_registered)
    return checks


def _timed(check: Check) -> tuple[str, float, str]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency makes the node unready
        return "fail", (time.perf_counter() - started) * 1000, type(exc).__name__
    return "ok", (time.perf_counter() - started) * 1000, ""


def readiness_run() -> tuple[bool, dict[str, dict]]:
    """Run every check in parallel; (all ok?, {name: {"status", "ms"[, "error"]}})."""
    checks = readiness_checks()
    timeout = float(health_setting("CHECK_TIMEOUT"))
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    futures = {name: executor.submit(_timed, check) for name, check in checks.items()}
    futures_wait(futures.values(), timeout=timeout)
    # A check stuck past its timeout is left to finish in its thread; nobody waits for it.
    executor.shutdown(wait=False, cancel_futures=True)
    results: dict[str, dict] = {}
    for name, future in futures.items():
        if future.done():
            status, ms, error = future.result()
        else:
            status, ms, error = "fail", timeout * 1000, "Timeout"
        results[name] = {"status": status, "ms": round(ms, 1)} | ({"error": error} if error else {})
    return all(r["status"] == "ok" for r in results.values()), results
