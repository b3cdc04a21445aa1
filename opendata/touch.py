"""`dataset_touch`: the one write that follows a change made outside the catalogue services
(the admin, the geodata ingest, the generated exports): bump the dataset's
`metadata_modified`, refresh its search index row and send `dataset_changed` after commit.

A module of its own below `opendata.services` so that the geodata ingest, which the
services call, can touch a dataset without importing them back.
"""
from django.utils import timezone

from .models import Dataset
from .search.index import search_index_update
from .signals import dataset_changed_on_commit

__all__ = ["dataset_touch"]


def dataset_touch(*, dataset: Dataset) -> None:
    """After a change made outside these services (the admin): bump metadata_modified
    and refresh the search index."""
    Dataset.objects.filter(pk=dataset.pk).update(metadata_modified=timezone.now())
    search_index_update(dataset_ids=[dataset.pk])
    dataset_changed_on_commit(dataset_id=dataset.pk)
