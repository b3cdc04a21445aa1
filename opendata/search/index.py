"""The full-text index of datasets (`Dataset.search_vector`, GIN-indexed), built in SQL.

Weights: title A; name and tags B; notes and resource names/descriptions C. Every text
is indexed twice, with German stemming ("Baustellen" → "baustell") and unstemmed
("simple"), and queries are run against both (query.text_search_query), so German
inflections and exact tags/identifiers both match.

Called by every service that changes what is indexed, and by the test factories.
Updating the vector does not touch `metadata_modified`.
"""
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db.models import F, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Replace

from ..models import Dataset, Resource
from .fields import TEXT_CONFIGS

__all__ = ["search_index_update"]


def _vector(expression, weight: str):
    vector = None
    for config in TEXT_CONFIGS:
        part = SearchVector(expression, config=config, weight=weight)
        vector = part if vector is None else vector + part
    return vector


def search_index_update(*, dataset_ids) -> int:
    """Recompute the search vector of these datasets; returns the number updated."""
    tags = Subquery(
        Dataset.tags.through.objects.filter(dataset_id=OuterRef("pk"))
        .values("dataset_id")
        .annotate(text=StringAgg("tag__name", delimiter=" "))
        .values("text")
    )
    resources = Subquery(
        Resource.objects.filter(package_id=OuterRef("pk"))
        .values("package_id")
        .annotate(text=StringAgg("name", delimiter=" "))
        .values("text")
    )
    resource_descriptions = Subquery(
        Resource.objects.filter(package_id=OuterRef("pk"))
        .values("package_id")
        .annotate(text=StringAgg("description", delimiter=" "))
        .values("text")
    )
    # "strassen-baustellen" → "strassen baustellen": names are indexed as words too.
    name_words = Replace(Replace(F("name"), Value("-"), Value(" ")), Value("_"), Value(" "))
    vector = (
        _vector(F("title"), "A")
        + _vector(name_words, "B")
        + _vector(Coalesce(tags, Value(""), output_field=TextField()), "B")
        + _vector(F("notes"), "C")
        + _vector(Coalesce(resources, Value(""), output_field=TextField()), "C")
        + _vector(Coalesce(resource_descriptions, Value(""), output_field=TextField()), "C")
    )
    return Dataset.objects.filter(pk__in=list(dataset_ids)).update(search_vector=vector)
