"""One log line per request, with a request id, and the JSON log format.

`RequestLogMiddleware` (near the top of MIDDLEWARE) gives every request an id: the
`X-Request-ID` header when the request came from one of `TRUSTED_PROXIES` and the value is
a plain token (letters, digits, `._:-`, at most 128 characters), else a new UUID. The id is
`request.request_id`, is echoed in the response's `X-Request-ID`, and is attached to every
log record written while the request runs (`RequestIdFilter`, field `request_id`). At the
end it logs (logger `stadtmelder.request`, INFO) method, path, view, status and duration.

The path is logged without its query string (search terms, e-mail addresses, tokens), and for
a resolved URL as its route with the parameter names instead of their values
(`/vorgang/<str:token>/`): a tracking token in a path is a key to a citizen's case. Headers,
cookies, bodies and the client address are never logged.

`LOG_FORMAT=json` (config/settings.py) switches every handler to `JsonFormatter`: one JSON
object per line with `time`, `level`, `logger`, `message`, `request_id` and the record's
extra fields (python-json-logger). Django's request loggers attach the request object to their
records; it is left out (its text holds the query string).
"""
import contextvars
import logging
import re
import time
import uuid

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from config.client_ip import from_trusted_proxy

from .metrics import view_label

__all__ = ["JsonFormatter", "RequestIdFilter", "RequestLogMiddleware", "current_request_id", "log_path"]

logger = logging.getLogger("stadtmelder.request")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current_request_id() -> str:
    """The id of the request being answered in this context ("-" outside a request)."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (use it on handlers). Records that carry the request
    (Django's `django.request` and `django.security` loggers, "Not Found: <path>") get the
    request's id and name its path as `log_path` does, not the raw path with its token."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            if not hasattr(record, "request_id"):
                record.request_id = getattr(request, "request_id", None) or _request_id.get()
            if isinstance(record.args, tuple):
                record.args = tuple(log_path(request) if arg == request.path else arg for arg in record.args)
        elif not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter with our field names, without Django's request object."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request", "status_code"])
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)


def log_path(request) -> str:
    """The path to log: the URL route (parameter names, not values) when resolved, else the
    path; never the query string."""
    match = getattr(request, "resolver_match", None)
    route = getattr(match, "route", "") if match is not None else ""
    if route and not route.startswith("^"):
        return "/" + route
    return request.path


class RequestLogMiddleware:
    """Request id in, `X-Request-ID` out, one log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        if offered and _REQUEST_ID.match(offered) and from_trusted_proxy(request):
            request_id = offered
        else:
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = log_path(request)
            logger.info("%s %s %s %.1f ms", request.method, path, response.status_code, duration_ms, extra={
                "method": request.method, "path": path, "view": view_label(request),
                "status": response.status_code, "duration_ms": duration_ms,
            })
            return response
        finally:
            _request_id.reset(token)
