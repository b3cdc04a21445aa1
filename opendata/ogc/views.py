"""HTTP endpoints of the OGC API – Features service under `/ogc/` (OGC 17-069r4, Part 1:
Core, with the conformance classes GeoJSON, HTML and OpenAPI 3.0; Part 2: CRS by
reference; Part 3: queryables, simple property filters and CQL2 filters).

Each view validates its parameters (`params`), reads through `selectors`, and answers in
the encoding `f`/Accept asked for: JSON (GeoJSON for features) or HTML. Feature
collections are glued from the strings PostGIS rendered, never re-serialised in Python.
Bad parameters answer 400 and unknown collections or features 404, both with
`{"code": …, "description": …}`.
"""
import json
from datetime import UTC, datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularSwaggerView

from ..conf import opendata_setting
from . import selectors
from .crs import DEFAULT_CRS, SUPPORTED_CRS
from .http import JSON, NotFound, collection_or_404, error_response, json_response, ogc_view, view_url
from .openapi import CONFORMANCE_CLASSES, OPENAPI_MEDIA_TYPE, openapi_document
from .params import format_choose, item_query_crs, items_query_parse, params_check_known
from .queryables import queryables_properties, queryables_schema

__all__ = ["api", "collection", "collections", "conformance", "error_response", "item", "items", "landing",
           "queryables"]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
GEOJSON = "application/geo+json"
HTML = "text/html"
# OGC API – Common's link relations, sent beside Part 1's short names.
REL_CONFORMANCE = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
REL_DATA = "http://www.opengis.net/def/rel/ogc/1.0/data"
REL_ITEMS = "items"
REL_QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
SCHEMA_JSON = "application/schema+json"
REL_TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
# Parameters of an items request that the paging links do not copy (they set their own).
_PAGING = ("limit", "offset", "f")


def _self_and_alternate(request, name: str, *args, fmt: str, json_type: str = JSON,
                        query: dict | None = None) -> list[dict]:
    query = query or {}
    json_link = {"href": view_url(request, name, *args, **{"f": "json", **query}), "type": json_type,
                 "title": _("als JSON")}
    html_link = {"href": view_url(request, name, *args, **{"f": "html", **query}), "type": HTML,
                 "title": _("als HTML")}
    if fmt == "html":
        return [{"rel": "self", **html_link}, {"rel": "alternate", **json_link}]
    return [{"rel": "self", **json_link}, {"rel": "alternate", **html_link}]


def _check_simple(request) -> str:
    params_check_known(request.GET, {"f"})
    return format_choose(request)


def _service_title() -> str:
    return opendata_setting("SITE_TITLE")


# --- capabilities -------------------------------------------------------------------------

@ogc_view
def landing(request):
    fmt = _check_simple(request)
    links = [
        *_self_and_alternate(request, "ogc-landing", fmt=fmt),
        {"rel": "service-desc", "type": OPENAPI_MEDIA_TYPE, "title": _("API-Beschreibung (OpenAPI 3.0)"),
         "href": view_url(request, "ogc-api")},
        {"rel": "service-doc", "type": HTML, "title": _("API-Dokumentation"),
         "href": view_url(request, "ogc-api", f="html")},
        {"rel": "conformance", "type": JSON, "title": _("Konformitätsklassen"),
         "href": view_url(request, "ogc-conformance")},
        {"rel": REL_CONFORMANCE, "type": JSON, "title": _("Konformitätsklassen"),
         "href": view_url(request, "ogc-conformance")},
        {"rel": "data", "type": JSON, "title": _("Sammlungen"), "href": view_url(request, "ogc-collections")},
        {"rel": REL_DATA, "type": JSON, "title": _("Sammlungen"), "href": view_url(request, "ogc-collections")},
    ]
    data = {
        "title": _("%(site)s – OGC API Features") % {"site": _service_title()},
        "description": _("Meldungen, Zuständigkeitsgebiete und Geodaten der offenen Datensätze als "
                         "OGC API – Features (GeoJSON, HTML, OpenAPI 3.0)."),
        "links": links,
    }
    if fmt == "html":
        return render(request, "opendata/ogc/landing.html", {"data": data, "links": links})
    return json_response(data)


@ogc_view
def conformance(request):
    fmt = _check_simple(request)
    data = {"conformsTo": CONFORMANCE_CLASSES}
    if fmt == "html":
        return render(request, "opendata/ogc/conformance.html", {
            "data": data, "links": _self_and_alternate(request, "ogc-conformance", fmt=fmt)})
    return json_response(data)


@ogc_view
def api(request):
    fmt = _check_simple(request)
    if fmt == "html":
        swagger = SpectacularSwaggerView.as_view(url=view_url(request, "ogc-api", f="json"),
                                                 title=_("%(site)s – OGC API Features") % {"site": _service_title()})
        return swagger(request)
    landing_url = request.build_absolute_uri(reverse("ogc-landing")).rstrip("/")
    document = openapi_document(
        server_url=landing_url, title=_("%(site)s – OGC API Features") % {"site": _service_title()},
        description=_("OGC API – Features, Teil 1: Kern, mit GeoJSON, HTML und OpenAPI 3.0."),
        # One statement per ingested dataset (its queryables come from its features' keys).
        collection_queryables={c.id: queryables_properties(selectors.ogc_collection_queryables(collection=c))
                               for c in selectors.ogc_collection_list()},
    )
    return json_response(document, OPENAPI_MEDIA_TYPE)


def _rfc3339(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _collection_dict(request, collection: selectors.Collection, *, fmt: str, with_self: bool) -> dict:
    links = []
    if with_self:
        links += _self_and_alternate(request, "ogc-collection", collection.id, fmt=fmt)
    else:
        links.append({"rel": "self", "type": JSON, "title": collection.title,
                      "href": view_url(request, "ogc-collection", collection.id, f="json")})
    links += [
        {"rel": REL_ITEMS, "type": GEOJSON, "title": _("Objekte als GeoJSON"),
         "href": view_url(request, "ogc-items", collection.id, f="json")},
        {"rel": REL_ITEMS, "type": HTML, "title": _("Objekte als HTML"),
         "href": view_url(request, "ogc-items", collection.id, f="html")},
        {"rel": REL_QUERYABLES, "type": SCHEMA_JSON, "title": _("Abfragbare Eigenschaften"),
         "href": view_url(request, "ogc-queryables", collection.id)},
        # OGC API – Tiles (20-057 /req/geodata-tilesets/tilesets-list): the vector tiles.
        {"rel": REL_TILESETS_VECTOR, "type": JSON, "title": _("Vektorkacheln"),
         "href": view_url(request, "ogc-tilesets", collection.id)},
        {"rel": "describedby", "type": "application/vnd.mapbox.tile+json", "title": _("TileJSON"),
         "href": view_url(request, "ogc-tileset", collection.id, "WebMercatorQuad", f="tilejson")},
    ]
    # Part 2 (/req/crs/fc-md-crs-list, /req/crs/fc-md-storageCrs): the CRS offered, the stored one.
    data = {"id": collection.id, "title": collection.title, "description": collection.description,
            "keywords": collection.keywords, "links": links, "itemType": "feature", "crs": list(SUPPORTED_CRS),
            "storageCrs": CRS84}
    extent = {}
    if collection.bbox:
        extent["spatial"] = {"bbox": [list(collection.bbox)], "crs": CRS84}
    if collection.interval:
        extent["temporal"] = {"interval": [[_rfc3339(collection.interval[0]), _rfc3339(collection.interval[1])]],
                              "trs": GREGORIAN}
    if extent:
        data["extent"] = extent
    if collection.temporal_property:
        data["temporalProperty"] = collection.temporal_property
    return data


@ogc_view
def collections(request):
    fmt = _check_simple(request)
    found = selectors.ogc_collection_list()
    data = {
        "links": _self_and_alternate(request, "ogc-collections", fmt=fmt),
        "collections": [_collection_dict(request, c, fmt=fmt, with_self=False) for c in found],
    }
    if fmt == "html":
        rows = [{"collection": c, "data": d} for c, d in zip(found, data["collections"], strict=True)]
        return render(request, "opendata/ogc/collections.html", {"data": data, "rows": rows,
                                                                 "links": data["links"]})
    return json_response(data)


@ogc_view
def collection(request, collection_id: str):
    fmt = _check_simple(request)
    found = collection_or_404(collection_id, with_extent=True)
    data = _collection_dict(request, found, fmt=fmt, with_self=True)
    if fmt == "html":
        return render(request, "opendata/ogc/collection.html", {"data": data, "collection": found,
                                                                "links": data["links"]})
    return json_response(data)


# --- data -----------------------------------------------------------------------------------

def _timestamp() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@ogc_view
def items(request, collection_id: str):
    found = collection_or_404(collection_id)
    query = items_query_parse(request.GET,
                              queryables=lambda: selectors.ogc_collection_queryables(collection=found))
    fmt = format_choose(request)
    page = selectors.ogc_feature_page(collection=found, query=query)

    # Links keep the client's filters and state limit/offset explicitly (§7.15.2 permits
    # servers to choose the paging mechanism; next/prev are what clients follow).
    kept = {k: request.GET[k] for k in sorted(request.GET) if k not in _PAGING}
    json_type = GEOJSON

    def page_url(offset: int, f: str) -> str:
        return view_url(request, "ogc-items", collection_id, **{**kept, "limit": query.limit, "offset": offset, "f": f})

    links = _self_and_alternate(request, "ogc-items", collection_id, fmt=fmt, json_type=json_type,
                                query={**kept, "limit": query.limit, "offset": query.offset})
    links.append({"rel": "collection", "type": JSON, "title": found.title,
                  "href": view_url(request, "ogc-collection", collection_id, f="json")})
    links.append({"rel": REL_QUERYABLES, "type": SCHEMA_JSON, "title": _("Abfragbare Eigenschaften"),
                  "href": view_url(request, "ogc-queryables", collection_id)})
    paging = []
    if query.offset + page.number_returned < page.number_matched:
        paging.append(("next", query.offset + query.limit, _("nächste Seite")))
    if query.offset > 0:
        paging.append(("prev", max(0, min(query.offset, page.number_matched) - query.limit), _("vorige Seite")))
    for rel, offset, title in paging:
        links.append({"rel": rel, "type": json_type if fmt == "json" else HTML, "title": title,
                      "href": page_url(offset, fmt)})

    stamp = _timestamp()
    if fmt == "html":
        features = json.loads(f"[{page.features_json}]")
        columns = []
        for feature in features:
            for key in feature["properties"] or {}:
                if key not in columns:
                    columns.append(key)
        rows = [{"id": feat["id"], "geometry_type": (feat["geometry"] or {}).get("type", ""),
                 "values": [(feat["properties"] or {}).get(col) for col in columns]} for feat in features]
        response = render(request, "opendata/ogc/items.html", {
            "collection": found, "links": links, "columns": columns, "rows": rows, "page": page,
            "query": query, "time_stamp": stamp, "first": query.offset + 1 if page.number_returned else 0,
            "last": query.offset + page.number_returned,
            "next": next((link for link in links if link["rel"] == "next"), None),
            "prev": next((link for link in links if link["rel"] == "prev"), None),
        })
        response["Link"] = _link_header(links)
        return response
    head = json.dumps({"type": "FeatureCollection", "numberMatched": page.number_matched,
                       "numberReturned": page.number_returned, "timeStamp": stamp, "links": links},
                      ensure_ascii=False)
    body = f'{head[:-1]}, "features": [{page.features_json}]}}'
    return _with_crs(HttpResponse(body, content_type=GEOJSON, headers={"Link": _link_header(links)}),
                     query.crs.uri)


def _link_header(links: list[dict]) -> str:
    """The links as an HTTP Link header (RFC 8288), for clients that read the headers
    only (a HEAD request, a non-JSON encoding): Part 3 /req/queryables/get-queryables-uris
    asks a filterable resource for its queryables link there. Titles stay out (free text
    with commas and semicolons is where simple parsers trip); a relation type that is a URI
    is quoted (RFC 8288 §3.3: ":" and "/" are no token characters). `_url` percent-encodes
    commas in the query, so every href is one field of the list."""
    return ", ".join(f'<{link["href"]}>; rel="{link["rel"]}"; type="{link["type"]}"' for link in links)


def _with_crs(response: HttpResponse, uri: str) -> HttpResponse:
    """Part 2 /req/crs/ogc-crs-header: the CRS of the geometries, in angle brackets."""
    response["Content-Crs"] = f"<{uri}>"
    return response


@ogc_view
def item(request, collection_id: str, feature_id: str):
    crs = item_query_crs(request.GET)
    fmt = format_choose(request)
    found = collection_or_404(collection_id)
    # The HTML page's map draws CRS84; `crs` applies to the GeoJSON.
    crs = DEFAULT_CRS if fmt == "html" else crs
    feature = selectors.ogc_feature_get(collection=found, feature_id=feature_id, crs=crs)
    if feature is None:
        raise NotFound(_("Das Objekt „%(fid)s“ gibt es in der Sammlung „%(id)s“ nicht.")
                        % {"fid": feature_id, "id": collection_id})
    links = _self_and_alternate(request, "ogc-item", collection_id, feature_id, fmt=fmt, json_type=GEOJSON)
    links.append({"rel": "collection", "type": JSON, "title": found.title,
                  "href": view_url(request, "ogc-collection", collection_id, f="json")})
    if fmt == "html":
        data = json.loads(feature)
        return render(request, "opendata/ogc/item.html", {
            "collection": found, "feature": data, "links": links,
            "properties": list((data["properties"] or {}).items()),
            "geometry_json": json.dumps(data["geometry"]),
        })
    body = f'{feature[:-1]}, "links": {json.dumps(links, ensure_ascii=False)}}}'
    return _with_crs(HttpResponse(body, content_type=GEOJSON), crs.uri)


@ogc_view
def queryables(request, collection_id: str):
    """The collection's queryables as JSON Schema (Part 3, /req/queryables/get-response)."""
    fmt = _check_simple(request)
    found = collection_or_404(collection_id)
    schema = queryables_schema(selectors.ogc_collection_queryables(collection=found),
                               schema_id=view_url(request, "ogc-queryables", collection_id),
                               title=found.title)
    if fmt == "html":
        links = _self_and_alternate(request, "ogc-queryables", collection_id, fmt=fmt, json_type=SCHEMA_JSON)
        links.append({"rel": "collection", "type": JSON, "title": found.title,
                      "href": view_url(request, "ogc-collection", collection_id, f="json")})
        return render(request, "opendata/ogc/queryables.html", {
            "collection": found, "links": links, "properties": list(schema["properties"].items())})
    return json_response(schema, SCHEMA_JSON)
