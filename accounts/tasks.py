"""Celery tasks of the citizen account: `email_login_tokens_prune_task` (beat, hourly) deletes
expired email login links."""
from celery import shared_task

from .services import email_login_tokens_prune


@shared_task
def email_login_tokens_prune_task() -> int:
    return email_login_tokens_prune()
