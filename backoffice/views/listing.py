"""What the back office's lists (the inbox, the report queue) build alike from their GET
parameters: query strings with one change, the tab links with counts, the links of sortable
column headers and of the pager. Templates: `backoffice/includes/tabs.html`, `pager.html`."""
from urllib.parse import urlencode

__all__ = ["query_with", "tab_links", "sort_links", "page_links"]


def query_with(params, **changes) -> str:
    """The query string `params` with `changes` applied (None removes a key), starting with "?"."""
    merged = {k: v for k, v in params.items() if v not in ("", None)}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged) if merged else "?"


def tab_links(params, *, labels: dict, counts: dict, current: str) -> list[dict]:
    """One link per tab (GET parameter `ansicht`), with its count, back to the first page."""
    return [{"key": key, "label": label, "count": counts[key], "current": key == current,
             "url": query_with(params, ansicht=key, seite=None)} for key, label in labels.items()]


def sort_links(params, *, columns: dict, sort: str) -> dict:
    """For each column (name → (first click, second click) sort keys): the link of its header
    and its `aria-sort` when the list is sorted by it."""
    links = {}
    for column, (first, second) in columns.items():
        current = sort in (first, second)
        links[column] = {
            "url": query_with(params, sortierung=second if sort == first and first != second else first, seite=None),
            "aria_sort": ("descending" if sort.startswith("-") else "ascending") if current else None,
        }
    return links


def page_links(params, page) -> dict:
    """First, previous, next and last page of a `django.core.paginator.Page`."""
    return {"first": query_with(params, seite=1), "prev": query_with(params, seite=page.number - 1),
            "next": query_with(params, seite=page.number + 1),
            "last": query_with(params, seite=page.paginator.num_pages)}
