"""Facet counts for package_search: for each requested field, how many matching datasets
have each value, one GROUP BY query per field.

Values are ordered by count (descending), then name, like Solr's `facet.sort=count`;
`limit` < 0 means no limit. `display_name` is the title for organisations and groups and
the licence title for licences, as in CKAN's `search_facets`.
"""
from django.db.models import Count, F, QuerySet

from ..errors import SearchQueryError
from ..licenses import license_get
from ..models import Dataset, Resource

__all__ = ["FACET_FIELDS", "facets_count"]


def _organization(ids):
    return (Dataset.objects.filter(id__in=ids)
            .values(value=F("owner_org__name"), display=F("owner_org__title"))
            .annotate(count=Count("id")))


def _groups(ids):
    return (Dataset.groups.through.objects.filter(dataset_id__in=ids)
            .values(value=F("group__name"), display=F("group__title"))
            .annotate(count=Count("dataset_id", distinct=True)))


def _tags(ids):
    return (Dataset.tags.through.objects.filter(dataset_id__in=ids)
            .values(value=F("tag__name"), display=F("tag__name"))
            .annotate(count=Count("dataset_id", distinct=True)))


def _res_format(ids):
    return (Resource.objects.filter(package_id__in=ids).exclude(format="")
            .values(value=F("format"), display=F("format"))
            .annotate(count=Count("package_id", distinct=True)))


def _column(column: str):
    def rows(ids):
        return (Dataset.objects.filter(id__in=ids).exclude(**{column: ""})
                .values(value=F(column), display=F(column))
                .annotate(count=Count("id")))
    return rows


FACET_FIELDS = {
    "organization": _organization,
    "groups": _groups,
    "tags": _tags,
    "res_format": _res_format,
    "license_id": _column("license_id"),
    "frequency": _column("frequency"),
}


def facets_count(*, base: QuerySet, fields: list[str], limit: int, mincount: int) -> dict:
    """{field: [{"name", "display_name", "count"}, …]} for the datasets in `base`."""
    unknown = [f for f in fields if f not in FACET_FIELDS]
    if unknown:
        raise SearchQueryError(f"undefined field {unknown[0]}")
    ids = base.values("id")
    result = {}
    for name in dict.fromkeys(fields):
        rows = FACET_FIELDS[name](ids).filter(count__gte=max(mincount, 1)).order_by("-count", "value")
        if limit >= 0:
            rows = rows[:limit]
        items = []
        for row in rows:
            display = row["display"]
            if name == "license_id":
                license = license_get(row["value"])
                display = license.title if license else row["value"]
            items.append({"count": row["count"], "display_name": display or row["value"], "name": row["value"]})
        result[name] = items
    return result
