"""Retry an idempotent request once when its database connection was dropped.

After a PostgreSQL restart every persistent connection (`CONN_MAX_AGE`) is dead. Most are
caught before use by `CONN_HEALTH_CHECKS` (settings); a connection that dies while a
request runs raises `OperationalError`/`InterfaceError` from the view. For GET, HEAD and
OPTIONS — which change nothing, so running them twice is safe — this middleware closes the
broken connection and runs the view once more on a new one. A write (POST, PUT, PATCH,
DELETE) is never repeated: its transaction (`ATOMIC_REQUESTS`) was rolled back, the client
gets the error and may resend (our write APIs take an idempotency key). A second failure is
answered as usual. When the connection that broke is the read replica's, reads go to the
primary for a while (`config.db_router.replica_mark_down`), the retry included.
"""
import logging

from django.db import InterfaceError, OperationalError, connections

from .db_router import REPLICA, replica_mark_down

__all__ = ["RetryOnDroppedConnectionMiddleware"]

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# SQLSTATEs of a lost connection: class 08 (connection exception) and the server going away
# (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now). A statement timeout
# (57014) or any other error of the query itself is not retried.
_SERVER_GONE = frozenset({"57P01", "57P02", "57P03"})


def _connection_dropped(exc: BaseException) -> bool:
    """Whether the error means the connection itself is gone (not a bad query)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    # psycopg reports a connection that broke without a server message with no SQLSTATE.
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _SERVER_GONE


def _usable(conn) -> bool:
    try:
        return conn.connection is not None and conn.is_usable()
    except Exception:  # noqa: BLE001 - any failure of the probe means "not usable"
        return False


class RetryOnDroppedConnectionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (request.method not in IDEMPOTENT_METHODS or getattr(request, "_db_retried", False)
                or not _connection_dropped(exception)):
            return None
        request._db_retried = True
        logger.warning("Database connection dropped during %s %s; retrying once: %s",
                       request.method, request.path, exception)
        for conn in connections.all(initialized_only=True):
            if conn.alias == REPLICA and not _usable(conn):
                # The retry, and this process's reads for a while, go to the primary.
                replica_mark_down()
            conn.close()
        return self.get_response(request)
