"""Dataset search in PostgreSQL/PostGIS: what CKAN's `package_search` does with Solr.

`dataset_search` takes validated parameters (`SearchParams`) and returns the matching
datasets (one page, ready for dictization), the total count and facet counts.

- `q`: free text. Without Lucene syntax (`field:`, `^`, `~`, `*`, brackets, backslash,
  `&&`, `||`) it is one websearch query over the full-text index (quoted phrases,
  `-word`, `or`); with it, it is parsed like `fq` (luqum, opendata.search.query) and its
  bare words and phrases are full-text terms. All words must match (Solr dismax's `mm` is
  stricter only for longer queries; we state this approximation plainly).
- `fq`: Solr filter syntax (opendata.search.query).
- `sort`: comma-separated "<field> asc|desc"; `score` is the full-text rank
  (ts_rank_cd); `id` is appended as the last key so paging is stable.
- `ext_bbox`: minx,miny,maxx,maxy in EPSG:4326 (lon/lat); datasets whose spatial extent
  intersects the box (ckanext-spatial's spatial_query). Datasets without extent never match.
"""
import re
from dataclasses import dataclass, field

from django.contrib.gis.geos import Polygon
from django.contrib.postgres.search import SearchRank
from django.db.models import F, Value
from django.db.models.functions import Lower

from ..auth import Actor
from ..errors import SearchQueryError
from ..models import Dataset
from ..selectors import dataset_queryset, dataset_visible_q
from .facets import FACET_FIELDS, facets_count
from .query import counts_annotate, query_parse, text_search_query

__all__ = ["FACET_FIELDS", "SearchParams", "SearchResult", "bbox_parse", "dataset_search", "sort_parse"]

DEFAULT_SORT = "score desc, metadata_modified desc"
# What makes `q` a Lucene query rather than websearch text: field, boost, fuzzy, prefix,
# range, escape, `&&`, `||`. Not `?`, `!`, `/`, `+` or parentheses alone: in free text typed
# into the portal ("Müll?") they are punctuation.
_LUCENE_SYNTAX = re.compile(r"[:^~*\[\]{}\\]|&&|\|\|")
# Control characters PostgreSQL cannot take in text (NUL) or no query means (C0 but tab,
# newline, carriage return).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_SORT_FIELDS = {
    "id": "id",
    "name": "name",
    "title": "title",
    "title_string": "title_lower",
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "num_resources": "num_resources",
    "num_tags": "num_tags",
    "score": "score",
}


@dataclass
class SearchParams:
    q: str = ""
    fq: str = ""
    sort: str = ""
    rows: int = 10
    start: int = 0
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = 50
    facet_mincount: int = 1
    include_private: bool = False
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class SearchResult:
    count: int
    datasets: list
    facets: dict
    sort: str


def bbox_parse(value: str) -> tuple[float, float, float, float]:
    """ext_bbox "minx,miny,maxx,maxy" (lon/lat, EPSG:4326) → floats, or SearchQueryError."""
    try:
        parts = tuple(float(p) for p in str(value).split(","))
    except ValueError:
        raise SearchQueryError(f"Wrong bounding box provided: {value}") from None
    if len(parts) != 4:
        raise SearchQueryError(f"Wrong bounding box provided: {value}")
    minx, miny, maxx, maxy = parts
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise SearchQueryError(f"Wrong bounding box provided: {value}")
    return parts


def sort_parse(sort: str) -> list[tuple[str, bool]]:
    """"name asc, metadata_modified desc" → [("name", False), ("metadata_modified", True)]."""
    keys = []
    for clause in (sort or DEFAULT_SORT).split(","):
        parts = clause.split()
        if not parts:
            continue
        if parts[0] not in _SORT_FIELDS:
            raise SearchQueryError(f"can not sort on undefined field: {parts[0]}")
        direction = parts[1].lower() if len(parts) > 1 else "asc"
        if direction not in ("asc", "desc") or len(parts) > 2:
            raise SearchQueryError(f"Can't determine a Sort Order (asc or desc) in sort spec '{clause.strip()}'")
        keys.append((parts[0], direction == "desc"))
    if not keys:
        raise SearchQueryError(f"Invalid sort: '{sort}'")
    return keys


def dataset_search(*, actor: Actor, params: SearchParams) -> SearchResult:
    """Run a package_search; raises SearchQueryError for malformed q/fq/sort."""
    for name in ("q", "fq", "sort"):
        if _CONTROL.search(getattr(params, name) or ""):
            raise SearchQueryError(f"{name} contains a control character")
    sort_keys = sort_parse(params.sort)
    base = counts_annotate(Dataset.objects.all()).filter(dataset_visible_q(actor=actor,
                                                                    include_private=params.include_private))
    rank_query = None
    q_text = (params.q or "").strip()
    if q_text and q_text not in ("*:*", '""', "''"):
        if _LUCENE_SYNTAX.search(q_text):
            parsed = query_parse(q_text)
            base = base.filter(parsed.q)
            if parsed.text_terms:
                rank_query = text_search_query(" ".join(parsed.text_terms))
        else:
            rank_query = text_search_query(q_text)
            base = base.filter(search_vector=rank_query)
    if params.fq:
        base = base.filter(query_parse(params.fq).q)
    if params.bbox is not None:
        box = Polygon.from_bbox(params.bbox)
        box.srid = 4326
        base = base.filter(spatial__intersects=box)

    count = base.count()
    ordered = base.annotate(
        score=SearchRank(F("search_vector"), rank_query, cover_density=True) if rank_query else Value(1.0),
        title_lower=Lower("title"),
    )
    ordering = [f"-{_SORT_FIELDS[name]}" if desc else _SORT_FIELDS[name] for name, desc in sort_keys]
    ordered = ordered.order_by(*ordering, "id")
    page_ids = list(ordered.values_list("id", flat=True)[params.start:params.start + params.rows]) \
        if params.rows else []
    by_id = {d.id: d for d in dataset_queryset().filter(id__in=page_ids)} if page_ids else {}
    datasets = [by_id[i] for i in page_ids]
    facets = facets_count(base=base, fields=params.facet_fields, limit=params.facet_limit,
                          mincount=params.facet_mincount) if params.facet_fields else {}
    return SearchResult(count=count, datasets=datasets, facets=facets, sort=params.sort or DEFAULT_SORT)
