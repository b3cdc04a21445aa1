"""`ProbeMiddleware`: `/healthz`, `/readyz` and `/metrics`, answered before anything else.

It is the first entry of MIDDLEWARE, so a probe needs no allowed `Host` (Kubernetes and Docker
probe by address), is never redirected to https, opens no session, starts no transaction
(`ATOMIC_REQUESTS` would need the database before `/healthz` could answer), passes no CSRF
check, login or rate limit, and is not counted in the request metrics.

- `GET /healthz` — liveness: 200 `{"status": "ok"}` whenever the process answers; it touches
  no dependency, so a database outage never gets a healthy node restarted.
- `GET /readyz` — readiness: 200 when every check of `health.probes` passed, else 503; the
  body names each check with `status` (`ok`/`fail`), `ms` and, on failure, `error` (the
  exception's class name only).
- `GET /metrics` — Prometheus text format (`health.metrics`), only for clients in
  `METRICS_ALLOWED_NETWORKS` (the client address as `config.client_ip` sees it) or with
  `Authorization: Bearer <METRICS_TOKEN>`; others get 403. Neither set: nobody.

Other methods than GET and HEAD answer 405. Bodies never hold personal data or settings.
"""
import hmac
import ipaddress
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from config.client_ip import client_ip

from . import metrics, probes
from .conf import health_setting

__all__ = ["ProbeMiddleware", "metrics_allowed"]

_NO_STORE = "no-store"


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {exc}") from exc


def metrics_allowed(request) -> bool:
    """Whether `request` may read /metrics (allowed network or the bearer token)."""
    token = health_setting("METRICS_TOKEN")
    if token:
        scheme, _sep, offered = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(offered.strip().encode(), token.encode()):
            return True
    networks = _networks(tuple(health_setting("METRICS_ALLOWED_NETWORKS")))
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in network for network in networks)


def _healthz(request):
    return JsonResponse({"status": "ok"})


def _readyz(request):
    ready, checks = probes.readiness_run()
    return JsonResponse({"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503)


def _metrics(request):
    if not metrics_allowed(request):
        # LocaleMiddleware has not run: the language comes from the request here.
        with translation.override(translation.get_language_from_request(request)):
            message = _("Die Metriken sind nur für freigegebene Netze oder mit Zugangstoken abrufbar.")
        return HttpResponse(message + "\n", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.metrics_exposition(), content_type=metrics.CONTENT_TYPE_LATEST)


_PROBES = {"/healthz": _healthz, "/readyz": _readyz, "/metrics": _metrics}


class ProbeMiddleware:
    """Answers the probe paths itself; every other request goes on unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = _PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = probe(request)
        response["Cache-Control"] = _NO_STORE
        return response
