"""Callbacks (webhooks) from the test server, queued in the state file and sent by one thread.

A callback is written to the ``outbox`` table in the same transaction as the change it
announces, then POSTed with the ``callback-authentication`` (hex HMAC-SHA512 over
``"<timestamp>.<body>"`` with the receiver's callback secret) and ``callback-timestamp``
headers. Anything but a 2xx answer is retried with exponential backoff (2 s, 4 s, … capped at
5 minutes, at most 12 attempts); pending callbacks survive a restart of the server.
"""

import json
import logging
import threading
import time

import requests

from fitconnect_dev import crypto
from fitconnect_dev.store import Store

__all__ = ["callback_enqueue", "CallbackSender"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12


def callback_enqueue(db, *, url: str | None, secret: str | None, payload: dict) -> None:
    """Queue one callback inside the caller's transaction; nothing when no URL is configured."""
    if not url or not secret:
        return
    db.execute("INSERT INTO outbox (url, secret, body, next_at) VALUES (?, ?, ?, ?)",
               (url, secret, json.dumps(payload, separators=(",", ":")), time.time()))


class CallbackSender(threading.Thread):
    """Daemon thread that delivers due callbacks from the outbox."""

    def __init__(self, store: Store, *, poll_seconds: float = 0.5):
        super().__init__(name="callback-sender", daemon=True)
        self.store = store
        self.poll_seconds = poll_seconds
        self.wake = threading.Event()

    def run(self) -> None:
        while True:
            self.wake.wait(self.poll_seconds)
            self.wake.clear()
            try:
                self.deliver_due()
            except Exception:  # never let the thread die
                log.exception("callback delivery failed")

    def deliver_due(self) -> None:
        """Send every due callback once and record the outcome."""
        with self.store.read() as db:
            due = db.execute(
                "SELECT * FROM outbox WHERE done_at IS NULL AND attempts < ? AND next_at <= ? ORDER BY id",
                (MAX_ATTEMPTS, time.time())).fetchall()
        for row in due:
            body = row["body"].encode()
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "callback-authentication": crypto.callback_sign(row["secret"], timestamp, body),
                "callback-timestamp": str(timestamp),
            }
            error = None
            try:
                response = requests.post(row["url"], data=body, headers=headers, timeout=10)
                if not 200 <= response.status_code < 300:
                    error = f"HTTP {response.status_code}"
            except requests.RequestException as exc:
                error = str(exc)[:500]
            with self.store.write() as db:
                if error is None:
                    db.execute("UPDATE outbox SET attempts = attempts + 1, done_at = ?, last_error = NULL WHERE id = ?",
                               (time.time(), row["id"]))
                else:
                    delay = min(2 ** (row["attempts"] + 1), 300)
                    db.execute("UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?",
                               (time.time() + delay, error, row["id"]))
                    log.warning("callback %s to %s failed (%s); retry in %s s", row["id"], row["url"], error, delay)
