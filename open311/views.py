"""HTTP endpoints of Open311 GeoReport v2 under /open311/v2/ (wiki.open311.org/GeoReport_v2).

Every resource exists as `.json` and `.xml`; the suffix chooses the format of the answer,
errors included. Views parse the parameters (`params`), read through `selectors` or call
one service, and return a `formats.Document`; `_open311_view` renders it and turns errors
into the Open311 error document with the matching HTTP status:

- 400: a missing or invalid parameter, a place outside the city (naming the responsible
  authority), an answer the category's questions do not allow;
- 403: POST without a valid `api_key`;
- 404: an unknown service code, service request or token;
- 413/415: a photo (`media`) that is too large or not an image.

Reads run outside the request transaction (ATOMIC_REQUESTS); a POST writes in the one
transaction of `services.service_request_create`, so an error leaves nothing behind.
"""
from functools import wraps

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.errors import ServiceError
from reporter.photos import PhotoError
from reporter.services import ReportInputError

from . import params, selectors, serializers, services
from .errors import Open311Error
from .formats import Document, document_render, errors_document

__all__ = ["discovery", "services_list", "service_definition", "requests", "request_detail", "token",
           "error_response"]


# report_create's field names → the Open311 parameters they came from.
_PARAMETER_OF_FIELD = {"photos": "media", "answers": "attribute"}


def _input_errors(exc: ReportInputError) -> list[tuple[int, str]]:
    """The service's per-field messages, named by the Open311 parameter they came from."""
    errors = []
    for key, messages in exc.errors.items():
        for message in messages:
            if key.startswith("answers."):
                errors.append((400, f"attribute[{key.removeprefix('answers.')}]: {message}"))
            elif key == "location":
                errors.append((400, str(message)))
            else:
                errors.append((400, f"{_PARAMETER_OF_FIELD.get(key, key)}: {message}"))
    return errors


def _errors_document(error: ServiceError) -> Document:
    if isinstance(error, Open311Error):
        return errors_document(error.errors)
    return errors_document([(error.status, error.message)])


def error_response(request, error: ServiceError):
    """Any ServiceError as Open311's error document, in the format the path's suffix names
    (`.xml`, otherwise JSON): the one mapping of the shared error class to Open311."""
    fmt = "xml" if request.path_info.rstrip("/").endswith(".xml") else "json"
    return document_render(_errors_document(error), fmt=fmt)


def _open311_view(*methods):
    """Allow `methods`, render the returned Document in the URL's format, map errors."""
    def decorate(view):
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapper(request, *args, fmt: str, **kwargs):
            try:
                document = view(request, *args, **kwargs)
            except Open311Error as exc:
                document = errors_document(exc.errors)
            except ReportInputError as exc:
                document = errors_document(_input_errors(exc))
            except PhotoError as exc:
                document = errors_document([(exc.status, f"media: {exc.message}")])
            except ServiceError as exc:
                document = _errors_document(exc)
            return document_render(document, fmt=fmt)
        return transaction.non_atomic_requests(wrapper)
    return decorate


@_open311_view("GET", "HEAD")
def discovery(request):
    """Service Discovery."""
    return Document(root="discovery", data=serializers.discovery_data())


@_open311_view("GET", "HEAD")
def services_list(request):
    """GET Service List: one service per active category."""
    return Document(root="services", item="service",
                    data=[serializers.service_data(c) for c in selectors.service_list()])


@_open311_view("GET", "HEAD")
def service_definition(request, service_code: str):
    """GET Service Definition: the category's questions as attributes."""
    category = selectors.service_get(code=service_code)
    if category is None:
        raise Open311Error((404, _("service_code „%(code)s“ ist unbekannt.") % {"code": service_code}))
    return Document(root="service_definition", data=serializers.service_definition_data(category))


def _service_requests_document(rows, status: int = 200) -> Document:
    return Document(root="service_requests", item="request", status=status, data=rows)


def _request_create(request) -> Document:
    client = selectors.client_get_by_key(raw_key=request.POST.get("api_key") or request.GET.get("api_key", ""))
    if client is None:
        raise Open311Error((403, _("api_key fehlt oder ist ungültig.")))
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Open311Error((400, _("service_code fehlt.")))
    category = selectors.service_get(code=code)
    if category is None:
        raise Open311Error((404, _("service_code „%(code)s“ ist unbekannt.") % {"code": code}))
    data = params.service_request_input_parse(category=category, params=request.POST, files=request.FILES)
    report = services.service_request_create(client=client, data=data,
                                             language=(translation.get_language() or "de")[:2])
    return _service_requests_document([serializers.service_request_created_data(report)], status=201)


@csrf_exempt  # authorised by api_key, never by a cookie
@_open311_view("GET", "HEAD", "POST")
def requests(request):
    """GET Service Requests (public, filtered) and POST Service Request (with api_key)."""
    if request.method == "POST":
        return _request_create(request)
    filters = params.request_filter_parse(request.GET)
    rows = selectors.service_request_list(filters=filters)
    return _service_requests_document([serializers.service_request_data(r) for r in rows])


@_open311_view("GET", "HEAD")
def request_detail(request, service_request_id: str):
    """GET Service Request: one public request (as a list of one, like the spec)."""
    row = selectors.service_request_get(pk=int(service_request_id)) if service_request_id.isdigit() else None
    if row is None:
        raise Open311Error((404, _("Meldung „%(id)s“ nicht gefunden.") % {"id": service_request_id}))
    return _service_requests_document([serializers.service_request_data(row)])


@_open311_view("GET", "HEAD")
def token(request, token: str):
    """GET request id from a token (our tracking token)."""
    service_request_id = selectors.service_request_id_by_token(token=token)
    if service_request_id is None:
        raise Open311Error((404, _("Token nicht gefunden.")))
    return _service_requests_document([serializers.token_data(token=token, service_request_id=service_request_id)])
