"""The HTTP plumbing shared by the OGC API views (Features in `views`, Tiles in
`tiles.views`): the view decorator that maps errors to OGC exceptions, the 404 error, the
collection lookup that raises it, absolute URLs of our views, and JSON responses.

One owner for how an OGC request fails: `error_response` is also what `config.errors`
answers for any error under `/ogc/` (a 404 of the URL resolver, a 400 of the input guard).
"""
import json
from functools import wraps
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.errors import ServiceError

from . import selectors
from .errors import NotFound, OgcError

__all__ = ["JSON", "NotFound", "collection_or_404", "error_response", "json_response", "ogc_view", "view_url"]

JSON = "application/json"


# OGC API exception codes for errors that are not the service's own, by HTTP status.
_CODE_OF_STATUS = {400: "InvalidParameterValue", 404: "NotFound", 405: "MethodNotAllowed",
                   413: "PayloadTooLarge", 500: "ServerError"}


def error_response(request, error: ServiceError) -> JsonResponse:
    """Any ServiceError as an OGC API exception `{"code", "description"}` (OGC 17-069r4
    §7.5.1): the one mapping of the shared error class to OGC API."""
    code = error.code if isinstance(error, OgcError) else \
        _CODE_OF_STATUS.get(error.status, "InvalidParameterValue" if error.status < 500 else "ServerError")
    return JsonResponse({"code": code, "description": error.message}, status=error.status,
                        json_dumps_params={"ensure_ascii": False})


def ogc_view(view):
    """GET/HEAD only; parameter errors → 400, unknown things → 404, as JSON exceptions.
    Read-only, so outside ATOMIC_REQUESTS' transaction (two round trips less a request)."""
    @transaction.non_atomic_requests
    @require_http_methods(["GET", "HEAD"])
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except ServiceError as exc:
            return error_response(request, exc)
        if not response.has_header("Vary"):  # tiles say themselves what they vary on
            response["Vary"] = "Accept, Accept-Language"
        # CORS headers: django-cors-headers (CORS_URLS_REGEX), as for every open interface.
        return response
    return wrapper


def view_url(request, name: str, /, *args, **query) -> str:
    """The absolute URL of view `name` with `query` (positional-only names: a query
    parameter may be called "name", e.g. a simple property filter)."""
    base = request.build_absolute_uri(reverse(name, args=args))
    query = {k: v for k, v in query.items() if v is not None}
    return f"{base}?{urlencode(query)}" if query else base


def json_response(data, content_type: str = JSON) -> HttpResponse:
    """`data` as JSON (UTF-8, not ASCII-escaped) with `content_type`."""
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)


def collection_or_404(collection_id: str, *, with_extent: bool = False) -> selectors.Collection:
    """The collection named `collection_id`, or NotFound."""
    found = selectors.ogc_collection_get(collection_id=collection_id, with_extent=with_extent)
    if found is None:
        raise NotFound(_("Die Sammlung „%(id)s“ gibt es nicht.") % {"id": collection_id})
    return found
