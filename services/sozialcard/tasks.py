"""Celery task of the Sozialcard: `sozialcard_datasets_task` (beat, nightly) rebuilds the open
datasets of the partners and of the check counts (`dataset`)."""
from celery import shared_task

from .dataset import sozialcard_datasets_rebuild


@shared_task(name="sozialcard.tasks.sozialcard_datasets_task", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def sozialcard_datasets_task() -> str:
    """Rebuild the datasets; returns which files were rewritten."""
    return sozialcard_datasets_rebuild()
