"""The Content-Security-Policy of every page (django-csp), in one place.

Pages load scripts, styles, fonts and data from our own origin only (German public-sector
pages load no third-party assets), plus the map tiles of settings.FRONTEND["TILE_URL"] when a
city sets one (MapLibre fetches raster tiles with fetch(), hence connect-src as well as img-src).
The one inline script of the page frame (`frontend/base.html`) carries the per-request
nonce. Inline *styles* stay allowed: templates set bar widths with `style=""` and MapLibre
writes style attributes; styles cannot run code, scripts are what the policy guards. Every map
(MapLibre GL JS) is an ES module from our origin with its worker beside it (worker-src 'self').

The admin runs under the same policy: its geometry maps are OpenLayers from our origin,
started from JSON options by a script file (config.admin_widgets), not GeoDjango's inline
script with OpenLayers from cdn.jsdelivr.net.

The one exception, narrower than switching the policy off: the Swagger UI pages (inline
start-up script) get `RELAXED_SCRIPTS` by path, because their views are not ours to decorate.

The header of a response without a nonce (every JSON answer, every page without the frame's
inline script) is the same string for the same policy parts; django-csp builds it anew for
each response (a deep copy of the policy through `dataclasses.asdict`, then `build_policy`:
a tenth of the CPU of a till check, measured with cProfile). `_policy_header` keeps the
built strings, keyed by the parts themselves, so a changed setting (tests, a TILE_URL) builds
a new one.
"""
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings

from .storage import object_storage_origins

__all__ = ["ContentSecurityPolicyMiddleware", "POLICY", "RELAXED_SCRIPTS"]

POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "worker-src": [SELF],
    "manifest-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

# Replaces script-src (a nonce would make browsers ignore 'unsafe-inline').
RELAXED_SCRIPTS = {"script-src": [SELF, UNSAFE_INLINE]}
_RELAXED_PATHS = ("/api/docs/", "/ogc/api")


def _tile_origin() -> str | None:
    url = getattr(settings, "FRONTEND", {}).get("TILE_URL", "")
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.hostname:
        # "{s}.tile.example.org" means any subdomain.
        return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return None


def _policy() -> dict:
    policy = {name: list(values) for name, values in POLICY.items()}
    tiles = _tile_origin()
    if tiles:
        policy["img-src"].append(tiles)
        policy["connect-src"].append(tiles)
    # Photos on object storage: public derivatives and presigned originals (config.storage).
    policy["img-src"].extend(object_storage_origins(settings.STORAGES))
    return policy


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with our policy and the path exceptions above."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:  # no report-only policy: ours is enforced
            return parts
        parts.config = _policy()
        if request.path.startswith(_RELAXED_PATHS):
            parts.replace = {**(parts.replace or {}), **RELAXED_SCRIPTS}
        return parts

    def process_response(self, request, response):
        """django-csp 4.0's `process_response`, building the headers through `_policy_header`
        (module docstring); the rest as there: the debug pages, exemptions, excluded prefixes,
        the report-only header, and no nonce after the header is written."""
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, exempt in ((False, HEADER, "_csp_exempt"),
                                            (True, HEADER_REPORT_ONLY, "_csp_exempt_ro")):
            parts = self.get_policy_parts(request=request, response=response, report_only=report_only)
            value = _policy_header(parts, report_only=report_only)
            if not value or header in response or getattr(response, exempt, False) is not False:
                continue
            setting = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = value
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


# Built headers by their parts (repr: the parts are dicts of lists); bounded, few ever exist.
_HEADERS: dict[tuple[str, bool], str] = {}
_HEADERS_MAX = 64


def _policy_header(parts: PolicyParts, *, report_only: bool) -> str:
    """`build_policy` of `parts`, kept when they carry their policy (not read from settings
    by `build_policy`) and no nonce."""
    if parts.nonce is not None or parts.config is None:  # a new nonce each time; settings may change
        return build_policy(config=parts.config, update=parts.update, replace=parts.replace, nonce=parts.nonce,
                            report_only=report_only)
    key = (repr((parts.config, parts.update, parts.replace)), report_only)
    header = _HEADERS.get(key)
    if header is None:
        if len(_HEADERS) >= _HEADERS_MAX:
            _HEADERS.clear()
        header = _HEADERS[key] = build_policy(config=parts.config, update=parts.update, replace=parts.replace,
                                              report_only=report_only)
    return header
