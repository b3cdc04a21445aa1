"""Idempotent writes: the `Idempotency-Key` header (per user) of the crew API's POSTs.

The key is claimed with `INSERT … ON CONFLICT DO NOTHING` in the request's transaction,
before anything else is written: a second request with the same key waits on the unique
index until the first one commits (then it gets the stored answer) or rolls back (then it
does the work itself). The answer is stored in the same transaction as the work, so a
key is either unused or carries the answer of a write that happened exactly once.
"""
import hashlib
import json
import re

from django.db import connection

from .errors import IdempotencyKeyReused
from .models import IdempotencyKey

__all__ = ["KEY_PATTERN", "request_fingerprint", "idempotency_claim", "idempotency_store"]

# Printable ASCII without spaces, e.g. a UUID (what the crew web app sends).
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{8,200}$")


def request_fingerprint(*, method: str, path: str, fields: dict, files: dict) -> str:
    """SHA-256 over what decides a request's outcome: method, path, field values and file contents.

    `fields` maps names to values (str or lists of str); `files` maps names to lists of uploads.
    """
    def digest(upload) -> str:
        upload.seek(0)
        h = hashlib.sha256()
        for chunk in upload.chunks():
            h.update(chunk)
        upload.seek(0)
        return h.hexdigest()

    canonical = {
        "method": method.upper(),
        "path": path,
        "fields": {k: [str(x) for x in v] if isinstance(v, list | tuple) else [str(v)]
                   for k, v in sorted(fields.items()) if v not in (None, "", [])},
        "files": {k: [digest(u) for u in v] for k, v in sorted(files.items()) if v},
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def idempotency_claim(*, user, key: str, request_hash: str) -> tuple[IdempotencyKey, bool]:
    """Claim `key` for this request: (record, True) when it is new — do the work, then
    `idempotency_store` — or (record, False) with the stored answer of the first request.

    Raises `IdempotencyKeyReused` when the key was used for a request with other content.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO mobile_api_idempotencykey (user_id, key, request_hash, created_at) "
            "VALUES (%s, %s, %s, now()) ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
            [user.pk, key, request_hash],
        )
        row = cursor.fetchone()
    if row is not None:
        return IdempotencyKey(pk=row[0], user=user, key=key, request_hash=request_hash), True
    record = IdempotencyKey.objects.get(user=user, key=key)
    if record.request_hash != request_hash:
        raise IdempotencyKeyReused(key)
    return record, False


def idempotency_store(*, record: IdempotencyKey, status_code: int, body) -> None:
    """Keep the answer of the first request under its key (same transaction as the work)."""
    IdempotencyKey.objects.filter(pk=record.pk).update(status_code=status_code, response_body=body)
