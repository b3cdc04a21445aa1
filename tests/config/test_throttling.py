"""`config.throttling.WindowRateThrottle`: DRF's sliding window (N requests in any period of
the rate's length, refused requests not counted, Retry-After until the oldest one leaves) on
a real Redis in one round trip, the same on the local-memory cache, and a cache outage lets
requests through."""
import os

import pytest
import redis
from django.core.cache import cache, caches

from config.throttling import WindowRateThrottle, _redis_client

# The helper's own Redis database (WORKER_TEST_BROKER_URL names it for each test run).
REDIS_URL = os.environ.get("WORKER_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


class ThreePerMinute(WindowRateThrottle):
    scope = "probe"
    rate = "3/min"


def _throttle(clock: list[float]) -> ThreePerMinute:
    throttle = ThreePerMinute()
    throttle.timer = lambda: clock[0]
    return throttle


@pytest.fixture
def redis_cache(settings):
    """The default cache on the real Redis, under a key prefix of this process (removed after)."""
    prefix = f"test-throttle-{os.getpid()}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)  # not the test's client: it may be patched
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["redis", "locmem"])
def cache_kind(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


def test_a_sliding_window_that_does_not_count_refusals(cache_kind):
    clock = [1_000.0]
    for second in (0, 10, 20):
        clock[0] = 1_000.0 + second
        assert _throttle(clock).allow_key("till-1") is True
    clock[0] = 1_030.0
    refused = _throttle(clock)
    assert refused.allow_key("till-1") is False
    assert refused.wait() == pytest.approx(30.0)  # the request of second 0 leaves at 60
    assert _throttle(clock).allow_key("till-2") is True  # another key counts apart
    clock[0] = 1_059.0
    assert _throttle(clock).allow_key("till-1") is False
    clock[0] = 1_060.5  # second 0 has left the window; the refusals were not counted
    assert _throttle(clock).allow_key("till-1") is True
    assert _throttle(clock).allow_key("till-1") is False


def test_on_redis_one_round_trip_for_an_allowed_request(redis_cache, monkeypatch):
    client = _redis_client(caches["default"])
    assert client is not None and _redis_client(cache) is client  # one client per pool, not one per call
    trips = []
    pipeline = client.pipeline

    def counting_pipeline(*args, **kwargs):
        pipe = pipeline(*args, **kwargs)
        execute = pipe.execute
        pipe.execute = lambda *a, **k: trips.append("pipeline") or execute(*a, **k)
        return pipe

    monkeypatch.setattr(client, "pipeline", counting_pipeline)
    monkeypatch.setattr(client, "execute_command", lambda *a, **k: trips.append(a[0]))
    clock = [2_000.0]
    assert _throttle(clock).allow_key("till-1") is True
    assert trips == ["pipeline"]
    client = redis.Redis.from_url(REDIS_URL)
    assert client.zcard(f"{redis_cache}:1:till-1") == 1 and 0 < client.ttl(f"{redis_cache}:1:till-1") <= 60
    client.close()


def test_a_cache_outage_lets_requests_through(settings, caplog):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    assert ThreePerMinute().allow_key("till-1") is True
    assert "Rate limit probe not checked, cache unavailable" in caplog.text
