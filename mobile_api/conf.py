"""Settings of the field-crew API (`settings.MOBILE_API`), with defaults, like DRF's api_settings."""
from config.app_settings import AppSettings

__all__ = ["mobile_setting"]

DEFAULTS = {
    # Tasks per page of GET tasks (default and maximum).
    "PAGE_SIZE": 50,
    "MAX_PAGE_SIZE": 200,
    # Logins (POST auth/token) per client IP address, e.g. "10/minute"; empty disables the limit.
    "LOGIN_RATE": "10/minute",
    # The sync token is moved back by this many seconds: a write whose timestamp was taken in
    # Python just before its transaction got a transaction id is still picked up by the next
    # delta sync, and small clock differences between web servers do not lose changes. The
    # price is that a change may be sent twice (the client overwrites it with the same data).
    "SYNC_MARGIN_SECONDS": 2.0,
    # Before and after photos per transition (each kind).
    "PHOTOS_PER_KIND": 3,
    # Stored answers of Idempotency-Key requests are deleted after this many hours (beat task
    # mobile_api.tasks.mobile_api_prune_task): an app retries a change within minutes or days,
    # and after that the If-Match version still refuses a change made twice.
    "IDEMPOTENCY_TTL_HOURS": 48,
    # The delta-sync logs are kept this many days; a `since` older than that answers 410 Gone
    # and the app loads its whole list again.
    "SYNC_LOG_RETENTION_DAYS": 30,
}


mobile_setting = AppSettings("MOBILE_API", DEFAULTS)
