"""HTTP dispatcher of the CKAN Action API: `/api/3/action/<name>` and `/api/action/<name>`.

Reproduces ckan/views/api.py: GET with query parameters for side-effect-free actions,
POST with a JSON body (or a multipart form, for uploads) for all; the envelope
`{"help", "success", "result"}`; errors as CKAN's error objects with their status codes;
a bare JSON string with 400 for an unknown action or an unreadable body. Never a
redirect. A control character (NUL and the other C0 characters but tab, newline and
carriage return) in any parameter is refused before the action runs: 400 "Search Query
Error" in `q`, `fq`, `fq_list` and `sort`, else 409 "Validation Error" for that field
(PostgreSQL cannot store NUL, and no CKAN field means the others).
CSRF-exempt: writes are authorised by API token only (opendata.auth).
An error rolls the request's transaction back, so nothing half-written stays.
"""
import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.errors import ServiceError

from ..auth import actor_from_request
from ..errors import CatalogueError, ValidationError
from . import actions_lookup, actions_read, actions_write  # noqa: F401  (register the actions)
from .registry import ActionContext, action_get

__all__ = ["action_view", "api_version_view", "error_response"]

logger = logging.getLogger(__name__)


def _mixed(querydict) -> dict:
    """CKAN's `mixed()`: one value → string, repeated key → list of strings."""
    return {key: values[0] if len(values) == 1 else values for key, values in querydict.lists()}


def _request_data(request, *, side_effect_free: bool) -> dict:
    """The action's parameters; ValueError (→ 400) for unusable input, as in CKAN."""
    if request.method == "GET":
        if not side_effect_free:
            raise ValueError("Invalid request. Please use POST method for your request")
        data = _mixed(request.GET)
    elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = _mixed(request.POST)
        values = list(form.values())
        if len(values) == 1 and values[0] in ("1", "") and not request.FILES:
            # Old clients post the JSON document as the only form key.
            try:
                data = json.loads(next(iter(form)))
            except ValueError as exc:
                raise ValueError(f"Error decoding JSON data. Error: {exc!r}") from None
        else:
            data = form
        for key, upload in request.FILES.items():
            if isinstance(data, dict):
                data[key] = upload
    elif request.body:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"Error decoding JSON data. Error: {exc!r} "
                             f"JSON data extracted from the request: {request.body[:200]!r}") from None
    else:
        data = _mixed(request.GET) if side_effect_free else {}
    if not isinstance(data, dict):
        raise ValueError(f"Request data JSON decoded to {data!r} but it needs to be a dictionary.")
    data.pop("callback", None)
    return data


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse(f"Bad request - {message}", safe=False, status=400)


def _rollback():
    if transaction.get_connection().in_atomic_block:
        transaction.set_rollback(True)


# CKAN's `__type` for errors that are not catalogue errors (bad input refused by the
# middleware, Django's 404/500), by HTTP status.
_TYPE_OF_STATUS = {400: "Validation Error", 403: "Authorization Error", 404: "Not Found Error",
                   409: "Validation Error", 413: "Validation Error"}


def _error_body(exc: ServiceError) -> dict:
    if isinstance(exc, ValidationError):
        return {**exc.errors, "__type": exc.type_name}
    type_name = getattr(exc, "type_name", None) or _TYPE_OF_STATUS.get(exc.status, "Internal Server Error")
    if type_name == "Search Query Error":
        return {"__type": type_name, "message": f"Search Query is invalid: {(exc.message,)!r}"}
    if not isinstance(exc, CatalogueError):
        return {"__type": type_name, "message": exc.message}
    prefix = {"Not Found Error": "Not found", "Authorization Error": "Access denied"}.get(type_name, "")
    message = f"{prefix}: {exc.message}" if prefix and exc.message else (prefix or exc.message)
    return {"__type": type_name, "message": message}


def _help_url(name: str) -> str:
    return f"{settings.SITE_URL}/api/3/action/help_show?name={name}"


def error_response(request, error: ServiceError) -> JsonResponse:
    """Any ServiceError as CKAN's error document `{"help", "success": false, "error"}` with
    the error's status: the one mapping of the shared error class to CKAN's format."""
    name = (request.resolver_match.kwargs.get("name") if request.resolver_match else None) or \
        request.path_info.rstrip("/").rsplit("/", 1)[-1]
    return JsonResponse({"help": _help_url(name), "success": False, "error": _error_body(error)},
                        status=error.status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action_view(request, name: str, api_version: str | None = None):
    found = action_get(name)
    if found is None:
        return _bad_request(f"Action name not known: {name}")
    help_url = _help_url(name)
    try:
        data = _request_data(request, side_effect_free=found.side_effect_free)
    except ValueError as exc:
        return _bad_request(f"JSON Error: {exc}")
    context = ActionContext(actor=actor_from_request(request), request=request, api_version=3)
    try:
        result = found.func(context, data)
    except ServiceError as exc:
        _rollback()
        return error_response(request, exc)
    except Exception:
        _rollback()
        logger.exception("Action %s failed", name)
        return JsonResponse({"help": help_url, "success": False, "error": {
            "__type": "Internal Server Error", "message": "Internal Server Error"}}, status=500)
    return JsonResponse({"help": help_url, "success": True, "result": result}, safe=False)


@require_http_methods(["GET"])
def api_version_view(request, version: int = 3):
    """`/api/3`: the API version, as CKAN answers it."""
    return JsonResponse({"version": version})
