"""Redis for the broker, the cache and beat: one Redis, or Redis Sentinel for failover.

A URL list `sentinel://host:port;sentinel://host:port[/db]` (kombu's syntax) names the
Sentinels of a Redis master group instead of one Redis; the group's name comes from
`CELERY_BROKER_SENTINEL_MASTER` (default `mymaster`).

- Broker: `CELERY_BROKER_URL` — kombu's `sentinel://` transport with `master_name` in the
  transport options. The result backend likewise when `CELERY_RESULT_BACKEND` is set (we
  keep no results by default).
- Cache: `CACHE_URL` — `redis://…` is Django's own RedisCache as before; `sentinel://…`
  needs a client that asks the Sentinels for the master, which Django's backend cannot:
  django-redis' SentinelConnectionFactory (a well-kept package; no home-made failover).
  `CACHE_SENTINEL_MASTER` names its group (default: the broker's). Reads go to the master
  too: django-redis' SentinelClient would read from a replica, and a rate-limit counter or a
  login lockout read there lags its last increment (asynchronous replication), most of all
  during a failover. The cache holds small, hot keys; the master serves their reads easily.
- Publishing: with Sentinel, `CELERY_TASK_PUBLISH_RETRY_POLICY` waits up to ~7 s, long
  enough for a failover (Sentinel's down-after period plus the promotion); a plain Redis keeps
  ~1 s so that a web request never hangs on a dead broker (the outbox re-queues; see
  `config.queueing`). redis-py turns the READONLY answer of a demoted master into a
  connection error, so the retry reconnects through the Sentinels to the new master.
- Beat: `CELERY_BEAT_SCHEDULER=redbeat.RedBeatScheduler` — celery-redbeat keeps the schedule in Redis and runs
  a beat only while it holds a lock there, so a beat may be started on every node and one
  schedules at a time; another takes over within `REDBEAT_LOCK_TIMEOUT` seconds (60) after
  the holder died. Opt-in: a single machine (`make run`) keeps Celery's file scheduler.
"""
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

__all__ = ["celery_from_env", "cache_from_env", "sentinel_hosts"]

# Without Sentinel: ~0.9 s in all (0.2 + 0.7), a request is never held up long.
PUBLISH_RETRY_SINGLE = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
# With Sentinel: ~6.9 s in all (0.2 + 0.7 + 6 × 1.0), past a failover's detection and promotion.
PUBLISH_RETRY_SENTINEL = {"max_retries": 8, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 1.0}
REDBEAT = "redbeat.RedBeatScheduler"
SCHEDULERS = ("", "celery.beat:PersistentScheduler", REDBEAT)


def sentinel_hosts(url: str) -> tuple[list[tuple[str, int]], int] | None:
    """The (host, port) of every Sentinel and the db number of a `sentinel://…;…` URL list,
    None for any other URL."""
    if not url.startswith("sentinel://"):
        return None
    hosts, db = [], 0
    for part in url.split(";"):
        parsed = urlsplit(part.strip())
        if parsed.scheme != "sentinel" or not parsed.hostname:
            raise ImproperlyConfigured(f"Not a Sentinel URL: {part!r} (expected sentinel://host:port[/db]).")
        hosts.append((parsed.hostname, parsed.port or 26379))
        if parsed.path.strip("/"):
            db = int(parsed.path.strip("/"))
    return hosts, db


def celery_from_env(env) -> dict:
    """The CELERY_* settings of broker, result backend, publish retries and beat scheduler,
    keyed by their setting name without the prefix (settings add `CELERY_`)."""
    broker_url = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
    master = env.str("CELERY_BROKER_SENTINEL_MASTER", default="mymaster")
    # With acks_late, a task whose worker died stays unacknowledged in Redis until this many
    # seconds pass, then goes to another worker (Redis's default: 1 hour). It must exceed the
    # longest task's run time, or a long task is delivered twice while it still runs.
    transport = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)}
    sentinel = sentinel_hosts(broker_url)
    if sentinel:
        transport["master_name"] = master
    conf = {
        "BROKER_URL": broker_url,
        "BROKER_TRANSPORT_OPTIONS": transport,
        "RESULT_BACKEND": env.str("CELERY_RESULT_BACKEND", default="") or None,
        # Publishing must not hang a web request when Redis is down for good: the outbox row
        # is already committed, and beat re-queues it (notifications.tasks).
        "TASK_PUBLISH_RETRY_POLICY": PUBLISH_RETRY_SENTINEL if sentinel else PUBLISH_RETRY_SINGLE,
    }
    if conf["RESULT_BACKEND"] and sentinel_hosts(conf["RESULT_BACKEND"]):
        conf["RESULT_BACKEND_TRANSPORT_OPTIONS"] = {"master_name": master}
    # Celery's command line reads CELERY_BEAT_SCHEDULER itself (`celery beat --scheduler`), so
    # the variable holds a class path that both understand.
    scheduler = env.str("CELERY_BEAT_SCHEDULER", default="")
    if scheduler and scheduler not in SCHEDULERS:
        raise ImproperlyConfigured(f"CELERY_BEAT_SCHEDULER must be empty or one of {', '.join(SCHEDULERS[1:])}, "
                                   f"not {scheduler!r}.")
    if scheduler == REDBEAT:
        lock_timeout = env.int("REDBEAT_LOCK_TIMEOUT", default=60)
        conf |= {
            "BEAT_SCHEDULER": REDBEAT,
            # Beat wakes at least this often and extends its lock each time.
            "BEAT_MAX_LOOP_INTERVAL": max(1, lock_timeout // 4),
            "REDBEAT_LOCK_TIMEOUT": lock_timeout,
            "REDBEAT_KEY_PREFIX": "stadtmelder:redbeat",
        }
        if sentinel:
            hosts, db = sentinel
            conf |= {"REDBEAT_REDIS_URL": "redis-sentinel://",
                     "REDBEAT_REDIS_OPTIONS": {"sentinels": hosts, "service_name": master, "db": db,
                                               "socket_timeout": 1.0, "retry_period": 30}}
        else:
            conf |= {"REDBEAT_REDIS_URL": broker_url, "REDBEAT_REDIS_OPTIONS": {"retry_period": 30}}
    return conf


def cache_from_env(env) -> dict:
    """CACHES["default"]: Django's RedisCache for `redis://`; for a `sentinel://…;…` list,
    django-redis with one connection pool on the Sentinel group's master (reads included)."""
    url = env.str("CACHE_URL", default="redis://127.0.0.1:6379/1")
    sentinel = sentinel_hosts(url)
    if not sentinel:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    hosts, db = sentinel
    master = env.str("CACHE_SENTINEL_MASTER", default=env.str("CELERY_BROKER_SENTINEL_MASTER", default="mymaster"))
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        # One server, the master (`is_master`), asked of the Sentinels at every (re)connect: the
        # default client sends reads and writes to it. (SentinelClient would add a second pool
        # on the replicas for reads.)
        "LOCATION": f"redis://{master}/{db}?is_master=1",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "CONNECTION_FACTORY": "django_redis.pool.SentinelConnectionFactory",
            "CONNECTION_POOL_CLASS": "redis.sentinel.SentinelConnectionPool",
            "SENTINELS": hosts,
            "SOCKET_CONNECT_TIMEOUT": 1.0,
            "SOCKET_TIMEOUT": 1.0,
            # A rate-limit counter that cannot be read during a failover is not worth a 500.
            "IGNORE_EXCEPTIONS": True,
        },
    }
