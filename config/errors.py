"""One owner for errors users can meet and for their HTTP answers.

- `ServiceError(message, *, status, code)`: the base class of every domain error a user can
  meet (photo refused, status change not allowed, catalogue entry not found, …). A subclass
  sets `status` (the HTTP status it is answered with) and `code` (a stable machine-readable
  name), and may add keys to the JSON body through `body_extra()`.
- `api_exception_handler`: the one DRF exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]).
  Body: `{"detail": "<message>", "errors": {"<field>": ["<message>", …]}}` — `errors` only
  for validation problems — plus what the error adds (`current`/`allowed` for a 409).
- `error_response(request, error)`: the one mapping of an error to a response for any URL
  outside DRF (middleware, Django's 400/403/404/500 handlers). Protocols with their own error
  documents map the shared error in one place each: CKAN (`/api/3/action/`, `/api/action/`:
  `{"success": false, "error": {…}}`), Open311 (`/open311/`: `[{"code", "description"}]`) and
  OGC API (`/ogc/`: `{"code", "description"}`). Other `/api/` paths answer
  `{"detail": …}` as JSON, everything else an HTML page.

This lives in `config/` and not in an app: it has no models, every app imports it, and it
imports no app at module level (protocol renderers are dotted paths, imported when used),
so the dependencies keep pointing one way.
"""
import logging
import re

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

__all__ = [
    "ServiceError", "api_exception_handler", "error_response", "is_api_path",
    "handler400", "handler403", "handler404", "handler500",
]

logger = logging.getLogger(__name__)


class ServiceError(Exception):
    """An error a user can meet; `status` is the HTTP answer, `code` a stable name, `message`
    the user-facing text (German, translated when raised)."""

    status = 400
    code = "invalid"

    def __init__(self, message: str = "", *, status: int | None = None, code: str | None = None):
        self.message = str(message)
        if status is not None:
            self.status = int(status)
        if code is not None:
            self.code = code
        super().__init__(self.message)

    def body_extra(self) -> dict:
        """Keys the JSON body carries besides `detail` (e.g. `errors`, `allowed`)."""
        return {}

    def body(self) -> dict:
        return {"detail": self.message, **self.body_extra()}


# Path → the dotted path of the protocol's `error_response(request, error) -> HttpResponse`.
_PROTOCOL_RENDERERS = (
    (re.compile(r"^/api/(3/)?action(/|$)"), "opendata.api.views.error_response"),
    (re.compile(r"^/open311(/|$)"), "open311.views.error_response"),
    (re.compile(r"^/ogc(/|$)"), "opendata.ogc.http.error_response"),
)
_API = re.compile(r"^/(api|open311|ogc)(/|$)")


def is_api_path(path: str) -> bool:
    """Whether `path` belongs to a machine interface (JSON errors) rather than a page."""
    return bool(_API.match(path))


def _flatten(detail) -> dict:
    """DRF's nested error detail → {"field": [messages]} (nested keys joined with dots)."""
    out: dict = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}", v)
        else:
            items = value if isinstance(value, list) else [value]
            out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in items)

    walk("", detail)
    return out


def api_exception_handler(exc, context):
    """The DRF exception handler: ServiceError → its status and body; DRF's own errors as
    DRF answers them, validation errors flattened to `{"detail", "errors"}`. Every error rolls
    the request's transaction back (ATOMIC_REQUESTS), so nothing half-written stays behind."""
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(exc.body(), status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()))[0] if errors else _("Ungültige Eingabe.")
        response.data = {"detail": first, "errors": errors}
    return response


def error_response(request, error: ServiceError) -> HttpResponse:
    """The answer to `error` in the format the requested path speaks (see the module doc)."""
    path = request.path_info or "/"
    for pattern, renderer in _PROTOCOL_RENDERERS:
        if pattern.match(path):
            return import_string(renderer)(request, error)
    if is_api_path(path):
        return JsonResponse(error.body(), status=error.status, json_dumps_params={"ensure_ascii": False})
    try:
        html = loader.render_to_string("error.html", {"status": error.status, "message": error.message},
                                       request=request if error.status < 500 else None)
    except Exception:  # the page must not fail while reporting a failure
        logger.exception("error page could not be rendered")
        html = f"<!DOCTYPE html><title>{error.status}</title><h1>{error.status}</h1>"
    return HttpResponse(html, status=error.status)


@requires_csrf_token
def handler400(request, exception=None):
    return error_response(request, ServiceError(_("Die Anfrage ist ungültig."), status=400, code="bad_request"))


@requires_csrf_token
def handler403(request, exception=None):
    return error_response(request, ServiceError(_("Zugriff verweigert."), status=403, code="forbidden"))


@requires_csrf_token
def handler404(request, exception=None):
    return error_response(request, ServiceError(_("Diese Seite oder Ressource gibt es nicht."), status=404,
                                                 code="not_found"))


@requires_csrf_token
def handler500(request):
    return error_response(request, ServiceError(
        _("Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später noch einmal."),
        status=500, code="server_error"))
