"""The Content-Security-Policy of every page (django-csp), in one place.

Pages load scripts, styles, fonts and data from our own origin only (German public-sector
pages load no third-party assets), plus the map tiles of settings.FRONTEND["TILE_URL"] when a
city sets one (MapLibre fetches raster tiles with fetch(), hence connect-src as well as img-src).
The one inline script of the page frame (`frontend/base.html`) carries the per-request
nonce. Inline *styles* stay allowed: templates set bar widths with `style=""` and MapLibre
writes style attributes; styles cannot run code, scripts are what the policy guards. Every map
(MapLibre GL JS) is an ES module from our origin with its worker beside it (worker-src 'self').

Exceptions, each narrower than switching the policy off:
- the admin (GeoDjango's map widget: inline script and OpenLayers from cdn.jsdelivr.net,
  Django's own choice) and the Swagger UI pages (inline start-up script) get
  `RELAXED_SCRIPTS` by path, because their views are not ours to decorate.
"""
from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
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
_ADMIN_EXTRA = {"script-src": [SELF, UNSAFE_INLINE, "https://cdn.jsdelivr.net"],
                "style-src": [SELF, UNSAFE_INLINE, "https://cdn.jsdelivr.net"]}
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
        if request.path.startswith("/admin/"):
            parts.replace = {**(parts.replace or {}), **_ADMIN_EXTRA}
        elif request.path.startswith(_RELAXED_PATHS):
            parts.replace = {**(parts.replace or {}), **RELAXED_SCRIPTS}
        return parts
