"""Signals of the catalogue.

`dataset_changed(sender=Dataset, dataset_id=UUID)` is sent after the transaction that
created, updated, patched, deleted or touched a dataset has committed (never for a write
that was rolled back). Receivers read the dataset's current state themselves: the signal
only says *which* dataset changed. `opendata.upstream` listens to push the change to an
upstream CKAN.
"""
from functools import partial

from django.db import transaction
from django.dispatch import Signal

__all__ = ["dataset_changed", "dataset_changed_on_commit"]

dataset_changed = Signal()


def _send(dataset_id) -> None:
    from .models import Dataset

    dataset_changed.send(sender=Dataset, dataset_id=dataset_id)


def dataset_changed_on_commit(*, dataset_id) -> None:
    """Send `dataset_changed` for this dataset once the current transaction commits."""
    transaction.on_commit(partial(_send, dataset_id))
