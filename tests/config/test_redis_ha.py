"""config.redis_ha against real Redis Sentinel (tests/fixtures_sentinel.py): a task published
through the Sentinel URL list runs on a real worker, also after a failover; the cache and
redbeat's lock follow the master."""
import contextlib
import signal
import time
from datetime import timedelta
from types import SimpleNamespace

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from accounts.models import EmailLoginToken
from accounts.tasks import email_login_tokens_prune_task
from config.celery import app as celery_app
from config.redis_ha import PUBLISH_RETRY_SENTINEL, cache_from_env, celery_from_env, sentinel_hosts
from tests.fixtures_worker import celery_worker_running


def _env(monkeypatch, **values) -> environ.Env:
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return environ.Env()


def test_sentinel_url_list_is_parsed():
    assert sentinel_hosts("sentinel://10.0.0.1:26379;sentinel://10.0.0.2/3") == (
        [("10.0.0.1", 26379), ("10.0.0.2", 26379)], 3)
    assert sentinel_hosts("redis://127.0.0.1:6379/0") is None
    with pytest.raises(ImproperlyConfigured, match="Not a Sentinel URL: 'redis://x'"):
        sentinel_hosts("sentinel://a:1;redis://x")


def test_plain_redis_keeps_short_publish_retries(monkeypatch):
    conf = celery_from_env(_env(monkeypatch, CELERY_BROKER_URL="redis://127.0.0.1:6379/0"))
    assert conf["TASK_PUBLISH_RETRY_POLICY"]["max_retries"] == 2
    assert "master_name" not in conf["BROKER_TRANSPORT_OPTIONS"]
    assert "BEAT_SCHEDULER" not in conf


def test_unknown_scheduler_is_refused(monkeypatch):
    # "redbeat" alone would reach Celery's command line as a class path (a module): refused.
    with pytest.raises(ImproperlyConfigured, match="CELERY_BEAT_SCHEDULER must be empty or one of "
                       "celery.beat:PersistentScheduler, redbeat.RedBeatScheduler, not 'redbeat'"):
        celery_from_env(_env(monkeypatch, CELERY_BEAT_SCHEDULER="redbeat"))


@contextlib.contextmanager
def _celery_conf(conf: dict):
    """The app's configuration set to `conf` (celery_from_env's names) for the block."""
    names = {name.lower(): value for name, value in conf.items()}
    saved = {name: celery_app.conf.get(name) for name in names}
    celery_app.conf.update(names)
    try:
        yield
    finally:
        celery_app.conf.update(saved)


def _wait(predicate, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.2)


def _expired_token(name: str) -> EmailLoginToken:
    return EmailLoginToken.objects.create(email=f"{name}@example.org", token_hash=name.ljust(64, "0"),
                                          created_at=timezone.now() - timedelta(days=1))


@pytest.mark.django_db(transaction=True)
def test_task_runs_through_sentinel_and_after_a_failover(redis_sentinel, tmp_path, monkeypatch):
    url = redis_sentinel.url(3)
    conf = celery_from_env(_env(monkeypatch, CELERY_BROKER_URL=url,
                                CELERY_BROKER_SENTINEL_MASTER=redis_sentinel.master_name))
    assert conf["BROKER_TRANSPORT_OPTIONS"]["master_name"] == redis_sentinel.master_name
    assert conf["TASK_PUBLISH_RETRY_POLICY"] == PUBLISH_RETRY_SENTINEL
    with _celery_conf(conf), celery_worker_running(
            broker_url=url, tmp_path=tmp_path, env={"CELERY_BROKER_SENTINEL_MASTER": redis_sentinel.master_name}):
        first = _expired_token("first")
        email_login_tokens_prune_task.delay()
        _wait(lambda: not EmailLoginToken.objects.filter(pk=first.pk).exists(), "the first task")

        old = redis_sentinel.master_port()
        redis_sentinel.sentinel().execute_command("SENTINEL", "FAILOVER", redis_sentinel.master_name)
        new = redis_sentinel.wait_for_new_master(old)
        assert new != old

        second = _expired_token("second")
        # Published through the Sentinels to the new master; the worker reconnects there too.
        email_login_tokens_prune_task.delay()
        _wait(lambda: not EmailLoginToken.objects.filter(pk=second.pk).exists(), "the task after the failover")


def test_cache_follows_the_master(redis_sentinel, monkeypatch, settings):
    from django.core.cache import caches

    settings.CACHES = {"default": cache_from_env(_env(monkeypatch, CACHE_URL=redis_sentinel.url(4),
                                                      CELERY_BROKER_SENTINEL_MASTER=redis_sentinel.master_name))}
    cache = caches.create_connection("default")
    cache.set("sm:greeting", "hallo", timeout=60)
    # Reads go to the master: the value is there at once.
    assert cache.get("sm:greeting") == "hallo"
    # Replication is asynchronous: a failover keeps what the replica has (WAIT: acknowledged).
    assert cache.client.get_client().execute_command("WAIT", 1, 10_000) == 1
    old = redis_sentinel.master_port()
    redis_sentinel.kill(old)
    redis_sentinel.wait_for_new_master(old)
    # The replica had the key; the client found the new master through the Sentinels.
    _wait(lambda: cache.get("sm:greeting") == "hallo", "a cache read from the new master")
    cache.set("sm:after", "ja", timeout=60)
    _wait(lambda: cache.get("sm:after") == "ja", "a cache read after the failover")


def test_cache_reads_the_master_not_a_replica(redis_sentinel, monkeypatch, settings):
    """A rate-limit counter read back at once sees its last increment, even while the replica
    is paused (SIGSTOP: it neither answers nor replicates)."""
    from django.core.cache import caches

    settings.CACHES = {"default": cache_from_env(_env(monkeypatch, CACHE_URL=redis_sentinel.url(6),
                                                      CELERY_BROKER_SENTINEL_MASTER=redis_sentinel.master_name))}
    cache = caches.create_connection("default")
    master = redis_sentinel.master_port()
    (replica,) = set(redis_sentinel.redis_ports) - {master}
    reader = cache.client.get_client(write=False)
    assert reader.execute_command("ROLE")[0] == b"master"
    assert reader.connection_pool.get_master_address() == ("127.0.0.1", master)

    paused = redis_sentinel.processes[replica]
    paused.send_signal(signal.SIGSTOP)
    try:
        cache.set("sm:attempts", 0, timeout=60)
        for expected in (1, 2, 3):
            assert cache.incr("sm:attempts") == expected
            assert cache.get("sm:attempts") == expected
        cache.set("sm:greeting", "hallo", timeout=60)
        assert cache.get("sm:greeting") == "hallo"
    finally:
        paused.send_signal(signal.SIGCONT)


def test_redbeat_holds_one_lock_through_sentinel(redis_sentinel, monkeypatch):
    """Beats on two nodes: the one that took the lock in Redis (through the Sentinels) schedules,
    the other cannot take it while the first holds it."""
    from redbeat.schedulers import RedBeatScheduler, acquire_distributed_beat_lock, get_redis

    conf = celery_from_env(_env(monkeypatch, CELERY_BROKER_URL=redis_sentinel.url(5),
                                CELERY_BROKER_SENTINEL_MASTER=redis_sentinel.master_name,
                                CELERY_BEAT_SCHEDULER="redbeat.RedBeatScheduler", REDBEAT_LOCK_TIMEOUT="20"))
    assert conf["BEAT_SCHEDULER"] == "redbeat.RedBeatScheduler"
    cached = ("redbeat_redis", "redbeat_sentinel", "redbeat_conf")  # redbeat caches its client on the app
    with _celery_conf(conf):
        for attribute in cached:
            monkeypatch.delattr(celery_app, attribute, raising=False)
        try:
            first = RedBeatScheduler(app=celery_app, lazy=True)
            acquire_distributed_beat_lock(sender=SimpleNamespace(scheduler=first))
            assert first.lock.owned()
            client = get_redis(celery_app)
            assert client.connection_pool.service_name == redis_sentinel.master_name
            second = RedBeatScheduler(app=celery_app, lazy=True)
            assert second.lock_key == first.lock_key == "stadtmelder:redbeat:lock"
            assert client.lock(second.lock_key, timeout=20).acquire(blocking=False) is False
            first.close()
            assert client.lock(second.lock_key, timeout=20).acquire(blocking=False) is True
        finally:
            for attribute in cached:
                if hasattr(celery_app, attribute):
                    delattr(celery_app, attribute)
