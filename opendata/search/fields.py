"""Fields and values of the search syntax (opendata.search.query): which `field:value`
terms exist and how each becomes a Django Q object, plus Solr dates and date math.

Term kinds: "exact" (`field:value`, `field:"quoted"`), "prefix" (`field:pre*`) and "any"
(`field:*`). Multi-valued fields (tags, groups, resource fields) become
`id IN (subquery)` conditions, so negation and OR never duplicate rows. String fields
match exactly as stored, like Solr string fields; tags and resource formats ignore case;
title/notes/author/maintainer match substrings (Solr tokenises them; close enough).
"""
import calendar
import re
import uuid
from datetime import UTC, datetime, time, timedelta

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ..errors import SearchQueryError
from ..models import Dataset, Resource
from ..vocabularies import frequency_normalize

__all__ = [
    "ANNOTATED", "FIELDS", "RANGE_FIELDS", "TEXT_CONFIGS", "counts_annotate", "datetime_parse", "extras_q",
    "range_exact_q", "range_q", "text_phrase_q", "text_search_query",
]

# Full-text search uses German stemming and unstemmed words side by side (see index.py).
TEXT_CONFIGS = ("german", "simple")


def text_search_query(text: str, *, search_type: str = "websearch") -> SearchQuery:
    """A tsquery matching `text` under both text configurations."""
    query = None
    for config in TEXT_CONFIGS:
        part = SearchQuery(text, config=config, search_type=search_type)
        query = part if query is None else query | part
    return query


def text_phrase_q(text: str) -> Q:
    """Datasets whose full-text index holds the words of `text` in this order (a quoted
    phrase; tsquery `<->`)."""
    return Q(search_vector=text_search_query(text, search_type="phrase"))


def _through(field: str):
    return getattr(Dataset, field).through.objects


def _ids(queryset, column="dataset_id"):
    return queryset.values(column)


# --- field handlers ----------------------------------------------------------------------------
# Each returns a Q for one `field:value` term; `kind` is "exact", "prefix" or "any".

def _string(path: str, *, iexact: bool = False):
    def build(value: str, kind: str) -> Q:
        if kind == "any":
            return ~Q(**{path: ""})
        if kind == "prefix":
            return Q(**{f"{path}__istartswith": value})
        return Q(**{f"{path}__iexact" if iexact else path: value})
    return build


def _contains(path: str):
    def build(value: str, kind: str) -> Q:
        if kind == "any":
            return ~Q(**{path: ""})
        return Q(**{f"{path}__icontains": value})
    return build


def _multi(through_field: str, path: str, *, iexact: bool = False):
    """tags / groups: a dataset matches if one of its related rows matches."""
    def build(value: str, kind: str) -> Q:
        rows = _through(through_field)
        if kind == "any":
            return Q(id__in=_ids(rows.all()))
        if kind == "prefix":
            return Q(id__in=_ids(rows.filter(**{f"{path}__istartswith": value})))
        return Q(id__in=_ids(rows.filter(**{f"{path}__iexact" if iexact else path: value})))
    return build


def _resource(path: str, *, contains: bool = False):
    def build(value: str, kind: str) -> Q:
        rows = Resource.objects.all()
        if kind == "any":
            rows = rows.exclude(**{path: ""})
        elif kind == "prefix":
            rows = rows.filter(**{f"{path}__istartswith": value})
        else:
            rows = rows.filter(**{f"{path}__icontains" if contains else f"{path}__iexact": value})
        return Q(id__in=_ids(rows, "package_id"))
    return build


def _uuid(path: str):
    def build(value: str, kind: str) -> Q:
        if kind == "any":
            return ~Q(**{f"{path}__isnull": True})
        try:
            return Q(**{path: uuid.UUID(value)})
        except ValueError:
            return Q(pk__in=[])
    return build


def _bool(path: str, *, true_value=True):
    def build(value: str, kind: str) -> Q:
        if kind == "any":
            return Q()
        return Q(**{path: (value.lower() == "true") == true_value})
    return build


def _constant(match_value: str | None):
    """Fields every one of our datasets has with one value (type, site_id)."""
    def build(value: str, kind: str) -> Q:
        return Q() if kind == "any" or match_value is None or value == match_value else Q(pk__in=[])
    return build


def _text(value: str, kind: str) -> Q:
    if kind == "any":
        return Q()
    if kind == "prefix":
        lexeme = re.sub(r"[^\w]", "", value.lower())
        if not lexeme:
            return Q()
        return Q(search_vector=text_search_query(f"{lexeme}:*", search_type="raw"))
    return Q(search_vector=text_search_query(value))


def extras_q(key: str):
    def build(value: str, kind: str) -> Q:
        if kind == "any":
            return Q(**{"extras__has_key": key})
        if kind == "prefix":
            return Q(**{f"extras__{key}__istartswith": value})
        return Q(**{f"extras__{key}": value})
    return build


FIELDS = {
    "text": _text,
    "id": _uuid("id"),
    "name": _string("name"),
    "title": _contains("title"),
    "notes": _contains("notes"),
    "author": _contains("author"),
    "author_email": _string("author_email", iexact=True),
    "maintainer": _contains("maintainer"),
    "maintainer_email": _string("maintainer_email", iexact=True),
    "url": _string("url"),
    "version": _string("version"),
    "license_id": _string("license_id"),
    "frequency": lambda value, kind: _string("frequency")(frequency_normalize(value) or value, kind),
    "contributor_id": _string("contributor_id"),
    "state": _string("state"),
    "owner_org": _uuid("owner_org_id"),
    "organization": _string("owner_org__name"),
    "tags": _multi("tags", "tag__name", iexact=True),
    "groups": _multi("groups", "group__name"),
    "res_format": _resource("format"),
    "res_name": _resource("name", contains=True),
    "res_description": _resource("description", contains=True),
    "res_url": _resource("url"),
    "res_type": _resource("resource_type"),
    "private": _bool("private"),
    "capacity": lambda value, kind: Q() if kind == "any" else Q(private=(value == "private")),
    "type": _constant("dataset"),
    "dataset_type": _constant("dataset"),
    "site_id": _constant(None),
}
# Fields with ranges; the value is converted before comparison.
RANGE_FIELDS = {
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "num_resources": "num_resources",
    "num_tags": "num_tags",
    "temporal_start": "temporal_start",
    "temporal_end": "temporal_end",
}
# Range fields that are annotations (counts_annotate), not columns.
ANNOTATED = {"num_resources", "num_tags"}


# --- values: dates and numbers -------------------------------------------------------------------

_DATE_MATH = re.compile(r"([+-])(\d+)(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)S?|/(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)S?")


def _round(dt: datetime, unit: str) -> datetime:
    if unit == "SECOND":
        return dt.replace(microsecond=0)
    if unit == "MINUTE":
        return dt.replace(second=0, microsecond=0)
    if unit == "HOUR":
        return dt.replace(minute=0, second=0, microsecond=0)
    dt = dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "MONTH":
        return dt.replace(day=1)
    if unit == "YEAR":
        return dt.replace(month=1, day=1)
    return dt


def _shift(dt: datetime, unit: str, n: int) -> datetime:
    """dt moved by n units; months and years keep the day, clamped to the month's end."""
    if unit in ("YEAR", "MONTH"):
        months = dt.year * 12 + dt.month - 1 + (n * 12 if unit == "YEAR" else n)
        year, month = divmod(months, 12)
        last_day = calendar.monthrange(year, month + 1)[1]
        return dt.replace(year=year, month=month + 1, day=min(dt.day, last_day))
    return dt + timedelta(**{unit.lower() + "s": n})


def datetime_parse(value: str) -> datetime:
    """Solr date syntax → aware UTC datetime: ISO 8601 (Z or offset; date-only is
    midnight UTC), or NOW with date math (`NOW-1DAY/DAY`)."""
    text = value.strip()
    if text.upper().startswith("NOW"):
        dt = timezone.now().astimezone(UTC)
        rest = text[3:].upper()
        pos = 0
        for match in _DATE_MATH.finditer(rest):
            if match.start() != pos:
                break
            pos = match.end()
            if match.group(4):
                dt = _round(dt, match.group(4))
            else:
                n = int(match.group(2)) * (1 if match.group(1) == "+" else -1)
                dt = _shift(dt, match.group(3), n)
        if pos != len(rest):
            raise SearchQueryError(f"Invalid Date Math String:'{value}'")
        return dt
    parsed = parse_datetime(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if parsed is None:
        day = parse_date(text)
        if day is None:
            raise SearchQueryError(f"Invalid Date String:'{value}'")
        parsed = datetime.combine(day, time.min)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _range_value(field: str, value: str):
    if value == "*":
        return None
    if field in ("num_resources", "num_tags"):
        try:
            return int(value)
        except ValueError:
            raise SearchQueryError(f"Invalid Number: {value}") from None
    dt = datetime_parse(value)
    return dt.date() if field in ("temporal_start", "temporal_end") else dt


def range_q(field: str, low: str, high: str, inclusive: tuple[bool, bool]) -> Q:
    path = RANGE_FIELDS[field]
    q = Q()
    lo, hi = _range_value(field, low), _range_value(field, high)
    if lo is not None:
        q &= Q(**{f"{path}__{'gte' if inclusive[0] else 'gt'}": lo})
    if hi is not None:
        q &= Q(**{f"{path}__{'lte' if inclusive[1] else 'lt'}": hi})
    return q


def range_exact_q(field: str, value: str, kind: str) -> Q:
    path = RANGE_FIELDS[field]
    if kind == "any":
        return Q(**{f"{path}__isnull": False})
    exact = _range_value(field, value)
    if isinstance(exact, datetime) and not re.search(r"T\d", value) and not value.upper().startswith("NOW"):
        # A date without time matches the whole (UTC) day.
        return Q(**{f"{path}__gte": exact, f"{path}__lt": exact + timedelta(days=1)})
    return Q(**{path: exact})


def counts_annotate(queryset):
    """Add `num_resources` and `num_tags` (correlated subqueries), which range queries
    and sorting on those fields need."""
    resources = Subquery(
        Resource.objects.filter(package_id=OuterRef("pk")).values("package_id")
        .annotate(n=Count("id")).values("n"), output_field=IntegerField())
    tags = Subquery(
        Dataset.tags.through.objects.filter(dataset_id=OuterRef("pk")).values("dataset_id")
        .annotate(n=Count("id")).values("n"), output_field=IntegerField())
    return queryset.annotate(num_resources=Coalesce(resources, Value(0)), num_tags=Coalesce(tags, Value(0)))
