"""Reads on the streaming replica, writes and fresh reads on the primary.

With `DATABASE_REPLICA_URL` set, settings add the alias `replica` (a PostgreSQL hot standby
streaming from the primary, `default`). Without it every query runs on `default`, as before.

Which reads may go to the replica — the design
-----------------------------------------------
A replica lags the primary by milliseconds to seconds, so a read there may miss what was just
written. Only reads that tolerate that are sent there; the rule is *opt-in per request*:

1. Only ORM reads (`db_for_read`) inside an HTTP request with a safe method (GET, HEAD,
   OPTIONS) go to the replica. Celery tasks, management commands and the shell read the
   primary: they read in order to write. Raw SQL bypasses routers (`django.db.connection` is
   `default`); selectors that read with raw SQL take their cursor from `read_connection(Model)`,
   which asks the router like an ORM read of `Model`, so the same rules apply to them. Services
   (writes) and fresh reads keep `django.db.connection`.
2. A client that wrote is *pinned* to the primary for `DATABASE_PIN_SECONDS` (10 s by
   default): a browser by the cookie `sm_db_primary`, an API client that sends an
   `Authorization` header also by a cache entry keyed on a hash of that header (crew apps and
   scripts do not always keep cookies). A citizen sees the report they just filed. A forged
   cookie only sends its own sender's reads to the primary.
3. Within one request, once anything was written (`db_for_write`, e.g. a session saved in a
   GET), every later read of that request goes to the primary, and the client is pinned.
4. Reads that must be fresh always use the primary: views marked with `primary_reads`
   (the whole field-crew API: Idempotency-Key answers, delta-sync tokens and task ETags) and
   any code inside `with primary_reads():`. Writes (POST, PUT, PATCH, DELETE) read the primary
   throughout (rule 1), so idempotency keys and submission keys checked there are fresh.
5. Anything inside a `transaction.atomic()` block of its own reads the primary: code opens a
   transaction to read consistently with what it writes next.

`ATOMIC_REQUESTS` is true for `default`, so Django wraps every view in `atomic(using=
"default")`. Taken literally, rule 5 would send every read of every view to the primary. The
middleware therefore records how deep the request's own atomic block is (`process_view`:
the depth at entry plus one when the view is atomic on `default`); only blocks *below* that
depth count as "inside a transaction". The request's atomic block on the primary stays
open and empty in a read-only GET (psycopg sends `BEGIN` only with the first statement, so a
GET served wholly by the replica sends nothing to the primary). We keep `ATOMIC_REQUESTS`
instead of making GET views non-atomic: a GET that writes (a session, a lockout counter)
still writes all or nothing, and no view can forget its transaction.

The replica is a hot standby: a write sent there fails with "read-only transaction", never
silently diverges. Before a request's first read there, the router connects (or health-checks
the kept connection); when the replica is unreachable, or its connection breaks during a
request (`config.db_retry` sees a dropped connection and retries), `replica_mark_down` sends
this process's reads to the primary for `DATABASE_REPLICA_RETRY_SECONDS` (30 s).

Migrations run only on `default` (the replica replays them from the WAL).
"""
from __future__ import annotations

import contextvars
import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import ContextDecorator, contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["REPLICA", "PIN_COOKIE", "ReplicaRouter", "ReplicaRoutingMiddleware", "primary_reads",
           "read_connection", "replica_configured", "replica_mark_down"]

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "sm_db_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _RequestRouting:
    """What the router knows about the request being served (one per request, a contextvar)."""

    replica_allowed: bool
    # Depth of `default`'s atomic blocks that belongs to the request itself (ATOMIC_REQUESTS).
    request_depth: int
    wrote: bool = False
    replica_checked: bool = False


_request: contextvars.ContextVar[_RequestRouting | None] = contextvars.ContextVar("db_routing", default=None)
# Nesting depth of `primary_reads()` blocks; a contextvar, so threads and requests stay apart.
_fresh: contextvars.ContextVar[int] = contextvars.ContextVar("db_fresh", default=0)
# time.monotonic() until which this process reads from the primary only (replica unreachable).
_replica_down_until = 0.0


def replica_configured() -> bool:
    """Whether the alias `replica` exists (DATABASE_REPLICA_URL was set)."""
    return REPLICA in connections.settings


def replica_mark_down() -> None:
    """Send this process's reads to the primary for DATABASE_REPLICA_RETRY_SECONDS."""
    global _replica_down_until
    _replica_down_until = time.monotonic() + settings.DATABASE_REPLICA_RETRY_SECONDS


def read_connection(model) -> BaseDatabaseWrapper:
    """The connection for a raw-SQL read of `model`'s rows (and whatever the statement joins to
    them): the one an ORM read of `model` would use here (`DATABASE_ROUTERS`, rules above) —
    the replica in a GET that may read it, else the primary. Ask for it where the read happens,
    not earlier: the answer depends on the request and the transaction at that moment."""
    return connections[router.db_for_read(model)]


class primary_reads(ContextDecorator):  # noqa: N801 - used like a function
    """Reads that must be fresh: `with primary_reads():`, or `@primary_reads()` on a function
    or view, or `@primary_reads()` on a class-based view (the middleware then routes the whole
    request, its authentication included, to the primary)."""

    def __call__(self, target):
        target.primary_reads = True
        if isinstance(target, type):
            return target
        wrapped = super().__call__(target)
        wrapped.primary_reads = True
        return wrapped

    def __enter__(self):
        # A depth, not a token: one instance may be entered by several threads at once.
        _fresh.set(_fresh.get() + 1)
        return self

    def __exit__(self, *exc_info):
        _fresh.set(_fresh.get() - 1)
        return False


def _reads_may_use_replica() -> bool:
    state = _request.get()
    if state is None or not state.replica_allowed or state.wrote or _fresh.get():
        return False
    if _replica_down_until and time.monotonic() < _replica_down_until:
        return False
    return len(connections[DEFAULT_DB_ALIAS].atomic_blocks) <= state.request_depth and replica_configured()


def _replica_reachable(state: _RequestRouting) -> bool:
    """Connect to the replica (or check the kept connection, CONN_HEALTH_CHECKS) once per
    request, before its first read there; a replica that is down is marked so, and the
    request reads the primary instead of failing."""
    if state.replica_checked:
        return True
    state.replica_checked = True
    replica = connections[REPLICA]
    try:
        # A connection kept from before the replica went away looks open until used: check it
        # (CONN_HEALTH_CHECKS), then connect if it was closed.
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError:
        logger.warning("read replica unreachable; reading from the primary for %s s",
                       settings.DATABASE_REPLICA_RETRY_SECONDS, exc_info=True)
        replica_mark_down()
        return False
    return True


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the rules of the module docstring."""

    def db_for_read(self, model, **hints):
        """`replica` when this read may be stale by a moment, else `default`."""
        if _reads_may_use_replica() and _replica_reachable(_request.get()):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        """Always `default`; the request is marked as having written (rule 3)."""
        state = _request.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """Objects of both aliases are rows of one database."""
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Migrations on `default` only."""
        return db == DEFAULT_DB_ALIAS


def _authorization_pin_key(request) -> str | None:
    header = request.headers.get("Authorization")
    if not header:
        return None
    return "db-pin:" + hashlib.sha256(header.encode("utf-8", "surrogateescape")).hexdigest()


@contextmanager
def _routing(state: _RequestRouting) -> Iterator[None]:
    token = _request.set(state)
    try:
        yield
    finally:
        _request.reset(token)


class ReplicaRoutingMiddleware:
    """Decides per request whether its reads may use the replica, and pins a client that
    wrote to the primary (module docstring). Placed before SessionMiddleware, so a session
    written after the view counts as a write. Does nothing without a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        pin_key = _authorization_pin_key(request)
        pinned = PIN_COOKIE in request.COOKIES or (pin_key is not None and cache.get(pin_key) is not None)
        state = _RequestRouting(replica_allowed=request.method in SAFE_METHODS and not pinned,
                                request_depth=len(connections[DEFAULT_DB_ALIAS].atomic_blocks))
        with _routing(state):
            response = self.get_response(request)
        if state.wrote or (request.method not in SAFE_METHODS and response.status_code < 400):
            self._pin(request, response, pin_key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Honour `primary_reads` on the view; count the view's own atomic block."""
        state = _request.get()
        if state is None:
            return None
        if getattr(view_func, "primary_reads", False) or getattr(getattr(view_func, "view_class", None),
                                                                 "primary_reads", False):
            state.replica_allowed = False
        if (connections.settings[DEFAULT_DB_ALIAS]["ATOMIC_REQUESTS"]
                and DEFAULT_DB_ALIAS not in getattr(view_func, "_non_atomic_requests", set())):
            state.request_depth += 1
        return None

    @staticmethod
    def _pin(request, response, pin_key: str | None) -> None:
        seconds = settings.DATABASE_PIN_SECONDS
        response.set_cookie(PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)
        if pin_key is not None:
            cache.set(pin_key, 1, timeout=seconds)
