"""What the DCAT catalogue shows: active, public datasets (never private or deleted ones),
ordered by name so pages stay stable while a harvester walks them.

A catalogue page costs a fixed number of queries whatever its size: one aggregate
(count and last modification), one for the page's datasets with their organisations, and
one prefetch each for tags, groups and resources (`opendata.selectors.dataset_queryset`).
"""
import math
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet

from ..errors import NotFound
from ..models import Dataset
from ..selectors import dataset_queryset

__all__ = ["CatalogPage", "catalog_page_get", "dcat_dataset_get", "dcat_datasets_public"]


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalogue: its datasets and what Hydra says about the paging."""

    datasets: list
    page: int
    per_page: int
    # Datasets matching the filter (hydra:totalItems).
    total: int
    # Last change of any public dataset (the catalogue's dct:modified), None if empty.
    modified: datetime | None

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def dcat_datasets_public() -> QuerySet:
    """Active public datasets, ready for the graph builder (relations prefetched)."""
    return dataset_queryset().filter(state=Dataset.State.ACTIVE, private=False)


def catalog_page_get(*, page: int, per_page: int, modified_since: datetime | None = None) -> CatalogPage | None:
    """Page `page` (from 1) of the catalogue, optionally only datasets modified at or after
    `modified_since`; None if the page is past the last one."""
    matching = Q(metadata_modified__gte=modified_since) if modified_since else Q()
    totals = Dataset.objects.filter(state=Dataset.State.ACTIVE, private=False).aggregate(
        total=Count("pk", filter=matching), modified=Max("metadata_modified"))
    result = CatalogPage(datasets=[], page=page, per_page=per_page, total=totals["total"],
                         modified=totals["modified"])
    if page > result.last_page:
        return None
    if result.total:
        offset = (page - 1) * per_page
        queryset = dcat_datasets_public().filter(matching).order_by("name")
        result.datasets.extend(queryset[offset:offset + per_page])
    return result


def dcat_dataset_get(*, name: str) -> Dataset:
    """The active public dataset with this name; NotFound otherwise (also for private or
    deleted ones, which the catalogue does not admit exist)."""
    dataset = dcat_datasets_public().filter(name=name).first()
    if dataset is None:
        raise NotFound()
    return dataset
