"""HTTP endpoints of the DCAT-AP.de catalogue, as ckanext-dcat serves them.

- `/catalog.ttl`, `/catalog.rdf` (also `/catalog.xml`), `/catalog.jsonld`: the catalogue,
  `OPENDATA["DCAT_DATASETS_PER_PAGE"]` datasets per page (ckanext-dcat's
  `ckanext.dcat.datasets_per_page`, 100), `?page=N` from 1, `?modified_since=<ISO 8601
  date or timestamp>` for harvesting changes only (naive timestamps are UTC, as in CKAN);
  a malformed parameter answers 400, a page past the last one 404;
- `/catalog`: the same with content negotiation on `Accept` (Turtle by default);
- `/dataset/<name>.ttl|.rdf|.xml|.jsonld`: one dataset; 404 for unknown, private or
  deleted datasets.
"""
from datetime import UTC, datetime, time
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from ..conf import opendata_setting
from ..errors import NotFound
from .graph import catalog_graph, dataset_graph
from .namespaces import BINDINGS
from .selectors import catalog_page_get, dcat_dataset_get

__all__ = ["FORMATS", "catalog_negotiated", "catalog_view", "dataset_view"]

# URL suffix → (rdflib serializer, media type).
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
    "xml": ("pretty-xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}
# Media types /catalog negotiates, in the order of preference at equal quality.
_NEGOTIABLE = [("text/turtle", "ttl"), ("application/rdf+xml", "rdf"), ("application/ld+json", "jsonld"),
               ("application/x-turtle", "ttl"), ("application/xml", "rdf"), ("text/xml", "rdf")]
_JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in BINDINGS.items()}


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _serialize(graph, fmt: str) -> HttpResponse:
    serializer, media_type = FORMATS[fmt]
    if serializer == "json-ld":
        body = graph.serialize(format="json-ld", context=_JSONLD_CONTEXT, auto_compact=True)
    else:
        body = graph.serialize(format=serializer)
    return HttpResponse(body, content_type=f"{media_type}; charset=utf-8")


def _page_param(request) -> int:
    raw = request.GET.get("page", "1").strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(_("Der Parameter „page“ muss eine positive ganze Zahl sein."))
    return int(raw)


def _modified_since_param(request) -> datetime | None:
    raw = request.GET.get("modified_since", "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        value = datetime.combine(day, time.min) if day else None
    if value is None:
        raise ValueError(_("Der Parameter „modified_since“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein, "
                           "z. B. 2024-05-01 oder 2024-05-01T12:00:00Z."))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _catalog_response(request, fmt: str) -> HttpResponse:
    try:
        page_number = _page_param(request)
        modified_since = _modified_since_param(request)
    except ValueError as exc:
        return _plain(str(exc), 400)
    page = catalog_page_get(page=page_number, per_page=opendata_setting("DCAT_DATASETS_PER_PAGE"),
                            modified_since=modified_since)
    if page is None:
        return _plain(_("Diese Seite des Katalogs gibt es nicht."), 404)
    kept = [(key, value) for key, value in request.GET.items() if key != "page"]

    def page_url(number: int) -> str:
        return f"{settings.SITE_URL}{request.path}?{urlencode([*kept, ('page', number)])}"

    return _serialize(catalog_graph(page=page, page_url=page_url), fmt)


@transaction.non_atomic_requests
@require_http_methods(["GET", "HEAD"])
def catalog_view(request, fmt: str):
    """`/catalog.<fmt>`: one page of the catalogue."""
    return _catalog_response(request, fmt)


def _negotiate(accept: str) -> str | None:
    """The format for an Accept header (RFC 9110 quality values), None if none fits."""
    if not accept.strip():
        return "ttl"
    best, best_q = None, 0.0
    for item in accept.split(","):
        media_type, *params = [part.strip() for part in item.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        for rank, (candidate, fmt) in enumerate(_NEGOTIABLE):
            major = candidate.split("/", 1)[0]
            if media_type.lower() in (candidate, "*/*", f"{major}/*"):
                # Exact matches beat wildcards; among equals, our preference order.
                score = quality + (0.001 if media_type.lower() == candidate else 0) - rank * 1e-5
                if quality > 0 and score > best_q:
                    best, best_q = fmt, score
    return best


@transaction.non_atomic_requests
@require_http_methods(["GET", "HEAD"])
@vary_on_headers("Accept")
def catalog_negotiated(request):
    """`/catalog`: the catalogue in the format the client accepts."""
    fmt = _negotiate(request.headers.get("Accept", ""))
    if fmt is None:
        return _plain(_("Verfügbare Formate: text/turtle, application/rdf+xml, application/ld+json."), 406)
    return _catalog_response(request, fmt)


@transaction.non_atomic_requests
@require_http_methods(["GET", "HEAD"])
def dataset_view(request, name: str, fmt: str):
    """`/dataset/<name>.<fmt>`: one public dataset."""
    try:
        dataset = dcat_dataset_get(name=name)
    except NotFound:
        return _plain(_("Datensatz nicht gefunden."), 404)
    return _serialize(dataset_graph(dataset=dataset), fmt)
