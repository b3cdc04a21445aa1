"""The base of every rate limit: counts per client address (`config.client_ip`) in the shared
cache (Redis), and a cache outage lets requests through with a warning instead of failing
them — filing a report or logging in matters more than counting it.
"""
import logging

from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from .client_ip import client_ip

__all__ = ["ClientRateThrottle"]

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    """`SimpleRateThrottle` keyed by `client_ip` and tolerant of cache outages. Usable from
    plain Django views too: `allow_request(request, None)` with an `HttpRequest`."""

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            logger.warning("Rate limit %s not checked, cache unavailable: %s", self.scope, exc)
            return True
