"""Rendering Open311 documents as JSON or XML (GeoReport v2, "Format Support").

A document is plain data — dicts, lists, strings, numbers, booleans, None — with a root
tag and, when it is a list, the tag of its items. JSON is that data as it is; XML is built
with `xml.etree.ElementTree` (which escapes `&`, `<`, `>` and quotes) after removing the
characters XML 1.0 cannot carry at all (control characters such as U+000B), so every
answer parses. Lists nested inside an item are wrapped the way the spec's examples do:
`<endpoints><endpoint>…`, `<formats><format>…`, `<attributes><attribute>…`,
`<values><value>…`. None becomes an empty element, booleans `true`/`false`.
"""
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.http import HttpResponse

__all__ = ["Document", "FORMATS", "CONTENT_TYPES", "document_render", "errors_document"]

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The media types named in Service Discovery (`formats`).
FORMATS = ["text/xml", "application/json"]

_LIST_ITEM_TAGS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
# Everything outside XML 1.0's Char production (§2.2).
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Document:
    """What a view answers: `data` under `root` (list items under `item`), with an HTTP status."""

    root: str
    data: dict | list
    item: str = ""
    status: int = 200


def errors_document(errors: list[tuple[int, str]]) -> Document:
    """The Open311 error document for (code, description) pairs; the status is the first code."""
    return Document(root="errors", item="error", status=errors[0][0],
                    data=[{"code": code, "description": description} for code, description in errors])


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _append(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for child in value:
            _append(element, _LIST_ITEM_TAGS[tag], child)
    else:
        element.text = _text(value)


def _xml(document: Document) -> bytes:
    root = ET.Element(document.root)
    if isinstance(document.data, list):
        for item in document.data:
            _append(root, document.item, item)
    else:
        for key, value in document.data.items():
            _append(root, key, value)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def document_render(document: Document, *, fmt: str) -> HttpResponse:
    """The HTTP response for `document` in `fmt` ("json" or "xml"), UTF-8."""
    if fmt == "xml":
        body = _xml(document)
    else:
        body = json.dumps(document.data, ensure_ascii=False).encode()
    # CORS headers (anyone may read from a browser application) come from django-cors-headers
    # (CORS_URLS_REGEX in the settings), like for every other open interface.
    return HttpResponse(body, status=document.status, content_type=CONTENT_TYPES[fmt])
