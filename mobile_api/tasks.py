"""Celery tasks of the field-crew API.

`mobile_api_prune_task` (beat, daily): deletes stored Idempotency-Key answers after
MOBILE_API["IDEMPOTENCY_TTL_HOURS"] and the delta-sync log rows older than
MOBILE_API["SYNC_LOG_RETENTION_DAYS"] (see `services.idempotency_keys_prune`,
`services.sync_log_prune`).
"""
from celery import shared_task

from .services import idempotency_keys_prune, sync_log_prune

__all__ = ["mobile_api_prune_task"]


@shared_task
def mobile_api_prune_task() -> dict[str, int]:
    """Prune idempotency keys and the sync log; returns the numbers of deleted rows."""
    return {"idempotency_keys": idempotency_keys_prune(), **sync_log_prune()}
