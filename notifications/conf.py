"""The outbox's settings, read from `settings.STADTMELDER` with defaults.

The same keys are documented in `config/settings.py`; the defaults here only matter when a
deployment's STADTMELDER dict leaves a key out.
"""
from datetime import timedelta

from config.app_settings import AppSettings

__all__ = ["notification_setting", "RETRY_BASE_DELAY", "RETRY_MAX_DELAY", "STALE_AFTER"]

DEFAULTS = {
    # Attempts per message (the first one included) before it is marked failed.
    "NOTIFICATION_MAX_ATTEMPTS": 8,
    # Seconds to wait for a webhook receiver (connect and read each).
    "WEBHOOK_TIMEOUT": 5.0,
}

# Backoff: 30 s after the first failure, doubling, at most 1 h. With 8 attempts the last one
# happens about 64 minutes after the first. The cap stays below the Redis transport's
# visibility timeout (1 h), so a scheduled retry is not redelivered while it waits.
RETRY_BASE_DELAY = timedelta(seconds=30)
RETRY_MAX_DELAY = timedelta(hours=1)
# A pending row never attempted this long after it was written lost its task (broker down
# at commit time, worker crash); beat queues it again.
STALE_AFTER = timedelta(minutes=2)


notification_setting = AppSettings("STADTMELDER", DEFAULTS)
