"""The test server's state: one SQLite file in the state directory.

SQLite in WAL mode, one connection per request thread, writes serialised by a process-wide
lock, so the threaded server keeps each request's writes in one transaction and a restart
finds everything (submissions, events, replies, pending callbacks) as it was.
"""

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Store", "SCHEMA"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    client_id TEXT PRIMARY KEY, secret TEXT NOT NULL, role TEXT NOT NULL, scopes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, client_id TEXT NOT NULL, scopes TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS destinations (
    destination_id TEXT PRIMARY KEY, status TEXT NOT NULL, services TEXT NOT NULL,
    encryption_kid TEXT NOT NULL, signature_kid TEXT NOT NULL,
    callback_url TEXT, callback_secret TEXT);
CREATE TABLE IF NOT EXISTS destination_keys (
    destination_id TEXT NOT NULL, kid TEXT NOT NULL, jwk TEXT NOT NULL, PRIMARY KEY (destination_id, kid));
CREATE TABLE IF NOT EXISTS submissions (
    submission_id TEXT PRIMARY KEY, destination_id TEXT NOT NULL, case_id TEXT NOT NULL,
    sender_client_id TEXT NOT NULL, service_type TEXT NOT NULL, announced TEXT NOT NULL,
    callback_url TEXT, callback_secret TEXT, status TEXT NOT NULL,
    encrypted_data TEXT, encrypted_metadata TEXT, created_at REAL NOT NULL, submitted_at REAL);
CREATE TABLE IF NOT EXISTS attachments (
    owner_id TEXT NOT NULL, attachment_id TEXT NOT NULL, content TEXT NOT NULL,
    PRIMARY KEY (owner_id, attachment_id));
CREATE TABLE IF NOT EXISTS replies (
    reply_id TEXT PRIMARY KEY, submission_id TEXT NOT NULL, case_id TEXT NOT NULL,
    destination_id TEXT NOT NULL, announced TEXT NOT NULL, status TEXT NOT NULL,
    encrypted_data TEXT, encrypted_metadata TEXT, created_at REAL NOT NULL, submitted_at REAL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL, subject TEXT NOT NULL,
    event TEXT NOT NULL, token TEXT NOT NULL, jti TEXT NOT NULL UNIQUE, created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS events_case ON events (case_id, seq);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, secret TEXT NOT NULL, body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL, done_at REAL, last_error TEXT);
"""


class Store:
    """Access to the SQLite state file; ``read()`` and ``write()`` give a connection in a transaction."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        with self._write_lock:
            self._connection().executescript(SCHEMA)  # executescript commits by itself

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def read(self):
        """A connection for reads (autocommit; each statement sees committed data)."""
        yield self._connection()

    @contextmanager
    def write(self):
        """A connection inside ``BEGIN IMMEDIATE … COMMIT``; rolled back on any exception."""
        conn = self._connection()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @staticmethod
    def dumps(value) -> str:
        """JSON text for a column."""
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
