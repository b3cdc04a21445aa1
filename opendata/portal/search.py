"""Dataset search for the portal pages: the GET parameters of CKAN's `/dataset/` page turned
into a package_search (`opendata.search.dataset_search`, the Action API's engine), and its
result turned into what the templates show: facet checkboxes with counts, the active
filters with links that remove them, sort options and page links.

Parameters are CKAN's: `q` (free text, or the Solr field syntax package_search takes), one
repeatable parameter per facet (`organization`, `groups`, `tags`, `res_format`,
`license_id`), `sort` and `page` (from 1). Selected facet values are ANDed, also within one
facet, as on CKAN's `/dataset/` page; the count next to a value is therefore exactly the
number of results that ticking it leaves. Private datasets are included for members of
their organisation (CKAN's `ckan.search.default_include_private`).
"""
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..auth import Actor
from ..errors import SearchQueryError
from ..licenses import license_get
from ..search import SearchParams, dataset_search
from ..vocabularies import group_title_display

__all__ = [
    "DEFAULT_SORT", "FACETS", "NAME_SORT", "PAGE_SIZE", "SORTS", "PortalQuery", "PortalSearchPage",
    "facet_filter_query", "portal_query_parse", "portal_search", "solr_quote",
]

# (package_search facet field, label); the order is the order on the page.
FACETS = (
    ("organization", gettext_lazy("Organisation")),
    ("groups", gettext_lazy("Gruppe")),
    ("tags", gettext_lazy("Schlagwort")),
    ("res_format", gettext_lazy("Format")),
    ("license_id", gettext_lazy("Lizenz")),
)
FACET_FIELDS = tuple(name for name, _label in FACETS)

DEFAULT_SORT = "score desc, metadata_modified desc"
NAME_SORT = "title_string asc"
# package_search sort strings, as CKAN's /dataset/ page sends them.
SORTS = (
    (DEFAULT_SORT, gettext_lazy("Relevanz")),
    (NAME_SORT, gettext_lazy("Name (A–Z)")),
    ("metadata_modified desc", gettext_lazy("Zuletzt geändert")),
)

PAGE_SIZE = 20
# Facet values fetched per facet, and how many are shown before "more".
FACET_LIMIT = 50
FACET_VISIBLE = 10
Q_MAX_LENGTH = 500
VALUES_MAX = 20
PAGE_MAX = 100_000


def solr_quote(value: str) -> str:
    """A value as a quoted Solr term: `"…"` with backslashes and quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def facet_filter_query(selected: dict[str, list[str]]) -> str:
    """`fq` for the selected facet values: `tags:"a" organization:"b"` (all ANDed)."""
    return " ".join(f"{name}:{solr_quote(value)}" for name, values in selected.items() for value in values)


@dataclass
class PortalQuery:
    """The validated GET parameters of a search page; `errors` are messages for the user."""

    q: str = ""
    selected: dict[str, list[str]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT
    default_sort: str = DEFAULT_SORT
    page: int = 1
    errors: list[str] = field(default_factory=list)

    def params(self, *, page: int | None = None, without: tuple[str, str] | None = None,
               clear_filters: bool = False) -> list[tuple[str, str]]:
        """The query as GET parameters, with changes: another page, one facet value removed,
        or all filters removed. Changing filters goes back to page 1."""
        pairs = [("q", self.q)] if self.q else []
        if not clear_filters:
            for name, values in self.selected.items():
                pairs += [(name, v) for v in values if (name, v) != without]
        if self.sort != self.default_sort:
            pairs.append(("sort", self.sort))
        if page and page > 1:
            pairs.append(("page", str(page)))
        return pairs

    def url(self, path: str, **changes) -> str:
        query = urlencode(self.params(**changes))
        return f"{path}?{query}" if query else path


def portal_query_parse(data, *, facets: bool = True, default_sort: str = DEFAULT_SORT) -> PortalQuery:
    """Read q, the facet parameters (if `facets`), sort and page from a QueryDict."""
    query = PortalQuery(sort=default_sort, default_sort=default_sort)
    query.q = " ".join(data.get("q", "").split())
    if len(query.q) > Q_MAX_LENGTH:
        query.errors.append(_("Der Suchbegriff ist zu lang (höchstens %(max)d Zeichen).") % {"max": Q_MAX_LENGTH})
        query.q = query.q[:Q_MAX_LENGTH]
    if facets:
        for name in FACET_FIELDS:
            values = list(dict.fromkeys(v.strip() for v in data.getlist(name) if v.strip()))
            if len(values) > VALUES_MAX:
                message = _("Zu viele Filter auf einmal (höchstens %(max)d je Filter).")
                query.errors.append(message % {"max": VALUES_MAX})
                values = values[:VALUES_MAX]
            if values:
                query.selected[name] = values
    sort = data.get("sort", "").strip()
    if sort:
        if sort in dict(SORTS):
            query.sort = sort
        else:
            query.errors.append(_("Diese Sortierung gibt es nicht. Bitte wählen Sie eine aus der Liste."))
    page = data.get("page", "").strip()
    if page:
        if page.isdigit() and 1 <= int(page) <= PAGE_MAX:
            query.page = int(page)
        else:
            query.errors.append(_("Die Seitenzahl muss eine ganze Zahl ab 1 sein."))
    return query


@dataclass
class FacetValue:
    name: str
    display_name: str
    count: int
    checked: bool
    input_id: str


@dataclass
class FacetGroup:
    field: str
    label: str
    values: list[FacetValue]
    more: list[FacetValue]
    checked_count: int


@dataclass
class ActiveFilter:
    field: str
    label: str
    display_name: str
    remove_url: str


@dataclass
class PageLink:
    number: int | None  # None: an ellipsis
    url: str = ""
    current: bool = False


@dataclass
class Pagination:
    page: int
    pages: int
    links: list[PageLink]
    previous_url: str = ""
    next_url: str = ""


@dataclass
class DatasetItem:
    """A search result: the dataset (organisation, tags, groups, resources prefetched) and
    its distinct resource formats."""

    dataset: object
    formats: list[str]


@dataclass
class PortalSearchPage:
    query: PortalQuery
    count: int = 0
    items: list[DatasetItem] = field(default_factory=list)
    facets: list[FacetGroup] = field(default_factory=list)
    active_filters: list[ActiveFilter] = field(default_factory=list)
    pagination: Pagination | None = None
    sort_options: list[tuple[str, str, bool]] = field(default_factory=list)
    clear_url: str = ""
    first_page_url: str = ""
    error_detail: str = ""

    @property
    def errors(self) -> list[str]:
        return self.query.errors

    @property
    def first(self) -> int:
        return (self.query.page - 1) * PAGE_SIZE + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


def _display_name(field_name: str, value: str, facet_items: list[dict]) -> str:
    for item in facet_items:
        if item["name"] == value:
            return item["display_name"]
    if field_name == "license_id":
        license = license_get(value)
        return license.display_title if license else value
    return value


def _display_for_page(field_name: str, value: str, display_name: str) -> str:
    """Vocabulary labels in the active language: licence titles and the stock titles of theme groups."""
    if field_name == "license_id":
        license = license_get(value)
        return license.display_title if license else display_name
    if field_name == "groups":
        return group_title_display(name=value, title=display_name)
    return display_name


def _facet_groups(query: PortalQuery, facets: dict) -> list[FacetGroup]:
    groups = []
    for name, label in FACETS:
        items = facets.get(name, [])
        selected = query.selected.get(name, [])
        values = [FacetValue(item["name"], _display_for_page(name, item["name"], item["display_name"]), item["count"],
                             item["name"] in selected, "")
                  for item in items]
        present = {v.name for v in values}
        # A ticked value with no match left (e.g. after a new search text) stays visible, so it can be unticked.
        missing = [FacetValue(v, _display_for_page(name, v, _display_name(name, v, items)), 0, True, "")
                   for v in selected if v not in present]
        values = missing + values
        for index, value in enumerate(values):
            value.input_id = f"facet-{name}-{index}"
        groups.append(FacetGroup(name, str(label), values[:FACET_VISIBLE], values[FACET_VISIBLE:], len(selected)))
    return groups


def _pagination(query: PortalQuery, path: str, count: int) -> Pagination:
    pages = max(1, -(-count // PAGE_SIZE))
    page = query.page
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links, previous = [], 0
    for number in shown:
        if number - previous > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, query.url(path, page=number), number == page))
        previous = number
    return Pagination(
        page=page, pages=pages, links=links,
        previous_url=query.url(path, page=page - 1) if 1 < page <= pages else "",
        next_url=query.url(path, page=page + 1) if page < pages else "",
    )


def portal_search(*, actor: Actor, query: PortalQuery, path: str, base_fq: str = "",
                  facets: bool = True) -> PortalSearchPage:
    """One page of results for `query` (plus the fixed filter `base_fq`, e.g. an
    organisation), with facets if `facets`. A query with errors is not run."""
    result_page = PortalSearchPage(
        query=query,
        sort_options=[(value, str(label), value == query.sort) for value, label in SORTS],
        clear_url=query.url(path, clear_filters=True),
        first_page_url=query.url(path),
    )
    if query.errors:
        return result_page
    fq = " ".join(part for part in (base_fq, facet_filter_query(query.selected)) if part)
    params = SearchParams(
        q=query.q, fq=fq, sort=query.sort, rows=PAGE_SIZE, start=(query.page - 1) * PAGE_SIZE,
        facet_fields=list(FACET_FIELDS) if facets else [], facet_limit=FACET_LIMIT, include_private=True,
    )
    try:
        result = dataset_search(actor=actor, params=params)
    except SearchQueryError as error:
        query.errors.append(_("Die Suchanfrage konnte nicht verarbeitet werden. Prüfen Sie Anführungszeichen, "
                              "Klammern und Feldnamen (z. B. tags:verkehr)."))
        result_page.error_detail = error.message
        return result_page
    result_page.count = result.count
    result_page.items = [
        DatasetItem(d, sorted({r.format for r in d.resources.all() if r.format}, key=str.lower))
        for d in result.datasets
    ]
    if facets:
        result_page.facets = _facet_groups(query, result.facets)
        labels = dict(FACETS)
        result_page.active_filters = [
            ActiveFilter(name, str(labels[name]),
                         _display_for_page(name, value, _display_name(name, value, result.facets.get(name, []))),
                         query.url(path, without=(name, value)))
            for name, values in query.selected.items() for value in values
        ]
    result_page.pagination = _pagination(query, path, result.count)
    return result_page
