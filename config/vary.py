"""Responses that vary on fewer request headers than the middleware assumes.

LocaleMiddleware adds `Vary: Accept-Language` to every response and django-cors-headers adds
`Vary: Origin` on the open interfaces, because in general either may change the answer. A
shared cache (Varnish, a CDN) then keeps one copy per language and per calling site. Some
answers are the same bytes for everybody — a vector tile has no text — and splitting their
cache only costs hits. A view says so with `vary_exactly(response, ...)`;
`ExactVaryMiddleware`, outside both middlewares, then writes that list back as the whole
`Vary` header after they patched theirs (and drops the Content-Language of an answer that
does not vary on the language: it has none).

Origin: with `CORS_ALLOW_ALL_ORIGINS` and without credentials the CORS answer to every origin
is `Access-Control-Allow-Origin: *`; only its absence on requests without an Origin header
(same-origin fetches, curl, GIS clients) would make a cached copy differ. So such a response
carries `*` whether or not the request had an Origin, and Origin stays out of Vary. With
any other CORS configuration the answer depends on the origin, and Origin is kept.
"""
import functools
import re

from corsheaders.conf import conf as cors_conf
from django.http import HttpResponseBase

__all__ = ["ExactVaryMiddleware", "vary_exactly", "vary_exactly_view"]

_ATTRIBUTE = "vary_exactly"
ACCESS_CONTROL_ALLOW_ORIGIN = "Access-Control-Allow-Origin"


def vary_exactly(response: HttpResponseBase, *headers: str) -> HttpResponseBase:
    """Mark `response` as varying on `headers` only (and on Origin where CORS needs it)."""
    setattr(response, _ATTRIBUTE, headers)
    response["Vary"] = ", ".join(headers)
    return response


def vary_exactly_view(*headers: str):
    """View decorator: `vary_exactly` on every response of the view, including the 304s and
    404s of decorators inside it (e.g. `condition`). Put it outermost."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            return vary_exactly(view(request, *args, **kwargs), *headers)
        return wrapped
    return decorator


def _cors_enabled(request, response) -> bool:
    # As corsheaders.middleware.CorsMiddleware.is_enabled (its signal aside, which we don't use).
    return ACCESS_CONTROL_ALLOW_ORIGIN in response or bool(re.match(cors_conf.CORS_URLS_REGEX, request.path_info))


class ExactVaryMiddleware:
    """Restore the `Vary` of responses marked by `vary_exactly` (see the module docstring).
    Sits before CorsMiddleware and LocaleMiddleware in MIDDLEWARE, so it sees their result."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        headers = getattr(response, _ATTRIBUTE, None)
        if headers is None:
            return response
        vary = list(headers)
        if _cors_enabled(request, response):
            if cors_conf.CORS_ALLOW_ALL_ORIGINS and not cors_conf.CORS_ALLOW_CREDENTIALS:
                response[ACCESS_CONTROL_ALLOW_ORIGIN] = "*"
            else:
                vary.append("Origin")
        if vary:
            response["Vary"] = ", ".join(vary)
        else:
            del response["Vary"]
        if "Accept-Language" not in vary:
            del response["Content-Language"]  # LocaleMiddleware's: an answer in no language has none
        return response
