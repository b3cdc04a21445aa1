"""The base of every rate limit: counts per client address (`config.client_ip`) in the shared
cache (Redis), and a cache outage lets requests through with a warning instead of failing
them — filing a report or logging in matters more than counting it.

`WindowRateThrottle` is DRF's sliding window (at most N requests in any period of the rate's
length, refused requests not counted) in one Redis round trip, for endpoints that must not
wait: DRF's `SimpleRateThrottle` reads the whole history, trims it in Python and writes it back
(two round trips, a pickled list of up to N timestamps, and with Django's RedisCache a new
redis-py client per call). Here the history is a sorted set of timestamps, trimmed, added to,
counted and given its expiry in one MULTI/EXEC; a refused request is taken out again (a
second round trip, only when refusing). On a cache that is not Redis (the tests' local-memory
cache) it falls back to DRF's own implementation.
"""
import logging
import math
import secrets

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from .client_ip import client_ip

__all__ = ["ClientRateThrottle", "WindowRateThrottle"]

logger = logging.getLogger(__name__)

# One redis-py client per connection pool of Django's RedisCache (it makes a new one per call).
_clients: dict[int, tuple[object, object]] = {}


def _redis_client(cache):
    """The redis-py client behind `cache` (django-redis or Django's RedisCache), or None when
    the cache is no Redis."""
    if cache is default_cache:  # the proxy DRF's throttles hold: the backend behind it
        cache = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(cache, RedisCache):
        pool = cache._cache._get_connection_pool(write=True)
        kept = _clients.get(id(pool))
        if kept is None or kept[0] is not pool:
            kept = _clients[id(pool)] = (pool, cache._cache._client(connection_pool=pool))
        return kept[1]
    client = getattr(cache, "client", None)  # django_redis.cache.RedisCache
    if client is not None and hasattr(client, "get_client"):
        return client.get_client(write=True)
    return None


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


class WindowRateThrottle(SimpleRateThrottle):
    """`SimpleRateThrottle` in one Redis round trip (module docstring), tolerant of cache
    outages. Subclasses give `scope`, the rate and `get_cache_key`; `allow_key(key)` checks a
    key directly (for plain Django views)."""

    cache_format = "throttle-window_%(scope)s_%(ident)s"  # a sorted set, not DRF's pickled list

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        return True if key is None else self.allow_key(key)

    def allow_key(self, key: str) -> bool:
        """Whether one more request under `key` is within the rate (and count it if so)."""
        if self.rate is None:
            return True
        self.key, self.retry_after = key, None
        try:
            client = _redis_client(self.cache)
            if client is None:
                return self._allow_in_cache()
            return self._allow_in_redis(client)
        except (RedisError, OSError) as exc:
            logger.warning("Rate limit %s not checked, cache unavailable: %s", self.scope, exc)
            return True

    def _allow_in_cache(self) -> bool:
        """DRF's own sliding window on any cache (`SimpleRateThrottle.allow_request` after its key)."""
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def _allow_in_redis(self, client) -> bool:
        key, now = self.cache.make_key(self.key), self.timer()
        member = f"{now:.6f}-{secrets.token_hex(4)}"  # unique even for two requests at one instant
        pipe = client.pipeline(transaction=True)
        pipe.zremrangebyscore(key, "-inf", now - self.duration)
        pipe.zadd(key, {member: now})
        pipe.zcard(key)
        pipe.zrange(key, 0, 0, withscores=True)
        pipe.expire(key, math.ceil(self.duration))
        _trimmed, _added, count, oldest, _expiry = pipe.execute()
        if count <= self.num_requests:
            return True
        client.zrem(key, member)  # refused requests do not count (as in DRF)
        self.retry_after = max(0.0, oldest[0][1] + self.duration - now) if oldest else float(self.duration)
        return False

    def wait(self):
        """Seconds until the oldest counted request leaves the window (Retry-After)."""
        if getattr(self, "retry_after", None) is not None:
            return self.retry_after
        return super().wait()
