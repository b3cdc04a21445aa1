"""Input that no endpoint can use is refused once, where it enters.

`InputGuardMiddleware` answers 400 before any view runs when the path, the query string, a
form field or a JSON body carries a C0 control character (U+0000–U+001F) or DEL: PostgreSQL
text cannot hold NUL, and no other control character is meaningful in our input. Tab, CR and
LF are allowed in body values (multi-line descriptions), never in the path or query string.
A body above DATA_UPLOAD_MAX_MEMORY_SIZE (files excluded) answers 413. The answer's format
follows the path (`config.errors.error_response`): CKAN's, Open311's or OGC's error document,
JSON for other `/api/` paths, an HTML page elsewhere.
"""

import json
import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .errors import ServiceError, error_response

__all__ = ["InputGuardMiddleware", "has_control_characters"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, LF and CR allowed
_JSON = re.compile(r"^application/([\w.+-]+\+)?json$")
_FORM = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control_characters(value: str, *, body: bool = False) -> bool:
    """Whether `value` holds a control character (`body`: tab, CR and LF allowed)."""
    return bool((_CONTROL_IN_BODY if body else _CONTROL).search(value))


def _json_strings(value):
    """Every key and string value of a decoded JSON document, depth first."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from (k for k in item if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class InputGuardMiddleware:
    """Refuse control characters in path, query string, form fields and JSON bodies (400),
    and bodies above the configured size (413), before any view sees them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            place = self._control_character_place(request)
        except RequestDataTooBig:
            return error_response(
                request, ServiceError(_("Die Anfrage ist zu groß."), status=413, code="request_too_large")
            )
        except (TooManyFieldsSent, MultiPartParserError):
            return error_response(
                request, ServiceError(_("Die Formulardaten der Anfrage sind ungültig."), status=400, code="bad_request")
            )
        if place:
            return error_response(request, ServiceError(place, status=400, code="control_character"))
        return self.get_response(request)

    def _control_character_place(self, request) -> str:
        """The message naming where a control character was found ("" if nowhere)."""
        if has_control_characters(request.path_info):
            return _("Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) in der Adresse.")
        for key, values in request.GET.lists():
            if has_control_characters(key) or any(has_control_characters(v) for v in values):
                return _("Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) im Parameter „%(name)s“.") % {
                    "name": _CONTROL.sub("", key)
                }
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return ""
        content_type = (request.content_type or "").lower()
        if content_type in _FORM:
            for key, values in request.POST.lists():
                if has_control_characters(key, body=True) or any(has_control_characters(v, body=True) for v in values):
                    return _("Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) im Feld „%(name)s“.") % {
                        "name": _CONTROL.sub("", key)
                    }
        elif _JSON.match(content_type):
            try:
                document = json.loads(request.body)
            except (ValueError, RecursionError):
                return ""  # the view answers unreadable JSON in its own protocol's words
            if any(has_control_characters(s, body=True) for s in _json_strings(document)):
                return _("Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) im JSON-Inhalt.")
        return ""
