"""The back-office inbox: every item of every service in the clerk's departments, one list.

A service plugs in with the hook `register_inbox_source` (see `portal.hooks`): the function
returns an `InboxSource`, which lists the service's items as a queryset of `COLUMNS`
(`inbox_values` builds it), already limited to the user's departments and to the filter.
The portal never imports a service; this module reads the registry, holds the filter
(`InboxFilter`) and runs the query:

- the page: one `UNION ALL` of every source's rows, each branch ordered and limited to
  offset + page size (PostgreSQL orders and limits each parenthesised branch, so a first
  page reads 25 rows per source from the indexes, not 100,000), then ordered and cut again;
- the tab counts: one aggregate per source over the same filter without the tab, summed;
  the count of the current tab is the paginator's count (no further COUNT query). A source
  may give leaner rows for it (`count_items`: no joins for names and titles, a scope that
  suits reading every row);
- bulk actions: `inbox_act` checks that every selected item is in the user's inbox (else
  nothing is done: `InboxItemNotFound`) and lets each source act on its items, all inside
  one transaction: any error rolls everything back and is reported per item.

Status labels, links and badges are filled in Python for the rows of the page only.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import models, transaction
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import hooks
from .selectors import service_titles

__all__ = [
    "HOOK", "COLUMNS", "COUNT_COLUMNS", "TABS", "SORTS", "InboxAction", "InboxActError", "InboxFilter",
    "InboxItemNotFound", "InboxRow", "InboxSource", "default_sort",
    "inbox_values", "inbox_count_values", "inbox_flag", "inbox_sources", "inbox_source_get", "inbox_services",
    "inbox_counts", "inbox_items",
    "inbox_rows", "inbox_act", "inbox_item_parse",
]

HOOK = "register_inbox_source"

#: The columns every source returns, in this order (the UNION ALL matches them by position).
COLUMNS = ("item_kind", "item_id", "item_reference", "item_title", "item_service", "item_status",
           "item_department_id", "item_department", "item_created_at", "item_due_date", "item_is_open", "item_is_new")
#: The columns the tab counts read (`inbox_count_values`).
COUNT_COLUMNS = ("item_id", "item_due_date", "item_is_open", "item_is_new")
_OUTPUT_FIELDS = {
    "item_kind": models.CharField(), "item_id": models.BigIntegerField(), "item_reference": models.CharField(),
    "item_title": models.CharField(), "item_service": models.CharField(), "item_status": models.CharField(),
    "item_department_id": models.BigIntegerField(), "item_department": models.CharField(),
    "item_created_at": models.DateTimeField(), "item_due_date": models.DateField(),
    "item_is_open": models.BooleanField(), "item_is_new": models.BooleanField(),
}

#: Tabs (the GET parameter `ansicht`, as in the report queue): which items each shows.
#: "neu": new, not yet accepted; "offen": not closed; "ueberfaellig": open and due before
#: today; "alle": everything, closed too.
TABS = ("offen", "neu", "ueberfaellig", "alle")
_UP = (F("item_kind").asc(), F("item_id").asc())
_DOWN = (F("item_kind").desc(), F("item_id").desc())
#: Sort keys (the GET parameter `sortierung`) → ORDER BY over COLUMNS; kind and id break ties
#: in the direction of the sort (so "eingang" is exactly "-eingang" reversed).
SORTS = {
    "-eingang": (F("item_created_at").desc(), *_DOWN),
    "eingang": (F("item_created_at").asc(), *_UP),
    "faellig": (F("item_due_date").asc(nulls_last=True), F("item_created_at").asc(), *_UP),
    "-faellig": (F("item_due_date").desc(nulls_last=True), F("item_created_at").desc(), *_DOWN),
    "nummer": (F("item_reference").asc(), *_UP),
    "-nummer": (F("item_reference").desc(), *_DOWN),
    "status": (F("item_status").asc(), F("item_created_at").desc(), *_DOWN),
    "leistung": (F("item_service").asc(), F("item_created_at").desc(), *_DOWN),
}


def default_sort(tab: str) -> str:
    """Newest first; the overdue tab: the longest overdue first."""
    return "faellig" if tab == "ueberfaellig" else "-eingang"


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows; `department_ids` are already checked against the user's
    departments (empty: all of them), `kind` and `service` against the registered sources."""

    tab: str = "offen"
    kind: str = ""
    service: str = ""
    department_ids: tuple[int, ...] = ()
    search: str = ""
    sort: str = ""  # "" → default_sort(tab)

    @property
    def order(self) -> tuple:
        return SORTS.get(self.sort) or SORTS[default_sort(self.tab)]


@dataclass(frozen=True)
class InboxAction:
    """A bulk action a source supports: `key` (the posted value), `label`, and which further
    inputs it needs ("department": a target department, "reason": a text)."""

    key: str
    label: str | Promise
    needs: frozenset = field(default_factory=frozenset)


class InboxItemNotFound(Exception):
    """A selected item is not in the user's inbox (another department's, or none at all)."""

    def __init__(self, items: Iterable[str]):
        self.items = sorted(items)
        super().__init__(", ".join(self.items))


class InboxSource(ABC):
    """One service's (or one back office's) items in the inbox. Subclass and implement:

    - `kind`: unique, `[a-z]`, the prefix of the selection values "<kind>:<pk>" and of the
      filter `art`; `label` / `label_plural`: "Meldung" / "Meldungen" (lazy translations);
    - `services()`: the service slugs (`portal.catalogue.Service.slug`) of its items;
    - `items(user=, filters=, today=)`: a queryset built by `inbox_values` (the COLUMNS),
      limited to the user's departments (`routing_rules.access`) and to `filters` (tab,
      service when it is one of `services()`, department_ids, search); unordered;
    - `status_label(service, status)`, `url(pk)`: the clerk's status label and work screen;
    - `badges(pks)`: short notes per item of a page (e.g. unread messages), one query;
    - `count_items(user=, filters=, today=)` (optional): the rows of `items()` for the tab
      counts, built by `inbox_count_values` (COUNT_COLUMNS only); None: `items()` is counted;
    - `actions` and `act(...)`: the bulk actions (see `InboxAction`); `act` raises nothing
      for an item it cannot handle but returns {pk: message}.
    """

    kind: str = ""
    label: str | Promise = ""
    label_plural: str | Promise = ""
    actions: tuple[InboxAction, ...] = ()

    @abstractmethod
    def services(self) -> list[str]:
        """See the class docstring."""

    @abstractmethod
    def items(self, *, user, filters: InboxFilter, today: date) -> QuerySet:
        """See the class docstring."""

    def status_label(self, service: str, status: str) -> str:
        return status

    @abstractmethod
    def url(self, pk: int) -> str:
        """See the class docstring."""

    def badges(self, pks: list[int]) -> dict[int, list[str]]:
        return {}

    def count_items(self, *, user, filters: InboxFilter, today: date) -> QuerySet | None:
        return None

    def act(self, *, user, action: str, pks: list[int], department=None, reason: str = "") -> dict[int, str]:
        return {}


def inbox_values(queryset: QuerySet, **columns) -> QuerySet:
    """`queryset` as the rows of the inbox: `columns` maps every name of COLUMNS without the
    "item_" prefix (kind, id, reference, …) to an expression or a field name; each is cast to
    one type so that the branches of the UNION ALL agree."""
    return _values(queryset, COLUMNS, columns, caller="inbox_values")


def inbox_count_values(queryset: QuerySet, **columns) -> QuerySet:
    """`queryset` as the rows the tab counts read (`InboxSource.count_items`): `columns` maps
    id, due_date, is_open and is_new (COUNT_COLUMNS) as in `inbox_values`. Without the other
    columns the query has none of the joins the page needs for names and titles."""
    return _values(queryset, COUNT_COLUMNS, columns, caller="inbox_count_values")


def _values(queryset: QuerySet, names: tuple[str, ...], columns: dict, *, caller: str) -> QuerySet:
    missing = {name.removeprefix("item_") for name in names} - set(columns)
    if missing:
        raise TypeError(f"{caller}: missing columns {sorted(missing)}")
    expressions = {}
    for name in names:
        value = columns[name.removeprefix("item_")]
        value = F(value) if isinstance(value, str) else value
        expressions[name] = Cast(value, _OUTPUT_FIELDS[name])
    return queryset.values(**expressions)


def inbox_flag(condition: Q, *, negate: bool = False):
    """A boolean column for `is_open` / `is_new`: CASE WHEN `condition` (negated with
    `negate`). A condition that can match nothing (Q(pk__in=[]), e.g. no case types) is
    simply left out of the CASE."""
    return Case(When(condition, then=Value(not negate)), default=Value(negate), output_field=models.BooleanField())


def inbox_sources() -> list[InboxSource]:
    """Every registered source, in hook order (one per kind: the first wins)."""
    sources, kinds = [], set()
    for fn in hooks.get_hooks(HOOK):
        source = fn()
        if isinstance(source, InboxSource) and source.kind not in kinds:
            kinds.add(source.kind)
            sources.append(source)
    return sources


def inbox_source_get(kind: str) -> InboxSource | None:
    return next((s for s in inbox_sources() if s.kind == kind), None)


def inbox_services() -> list[str]:
    """The service slugs that have items in the inbox, each once, in source order."""
    return list(dict.fromkeys(slug for source in inbox_sources() for slug in source.services()))


def _sources_for(filters: InboxFilter) -> list[InboxSource]:
    return [s for s in inbox_sources() if (not filters.kind or s.kind == filters.kind)
            and (not filters.service or filters.service in s.services())]


def inbox_counts(*, user, filters: InboxFilter, today: date | None = None) -> dict[str, int]:
    """Items per tab for `filters` without its tab: one aggregate query per source, summed."""
    today = today or timezone.localdate()
    every = replace(filters, tab="alle")
    counts = dict.fromkeys(TABS, 0)
    for source in _sources_for(filters):
        rows = source.count_items(user=user, filters=every, today=today)
        if rows is None:
            rows = source.items(user=user, filters=every, today=today)
        found = rows.order_by().aggregate(
            offen=Count("item_id", filter=Q(item_is_open=True)),
            neu=Count("item_id", filter=Q(item_is_new=True)),
            ueberfaellig=Count("item_id", filter=Q(item_is_open=True, item_due_date__lt=today)),
            alle=Count("item_id"),
        )
        for tab in TABS:
            counts[tab] += found[tab]
    return counts


class _Items:
    """The inbox as a sliceable sequence for `django.core.paginator.Paginator`: `count()`
    is known (the tab count), a slice runs the UNION ALL for that page."""

    def __init__(self, *, user, filters: InboxFilter, today: date, count: int):
        self.user, self.filters, self.today, self._count = user, filters, today, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: slice) -> list[dict]:
        start, stop = key.start or 0, key.stop if key.stop is not None else self._count
        order = self.filters.order
        branches = [s.items(user=self.user, filters=self.filters, today=self.today).order_by(*order)
                    for s in _sources_for(self.filters)]
        if not branches or stop <= start:
            return []
        if len(branches) == 1:
            return list(branches[0][start:stop])
        # Each branch is cut at `stop`: no row beyond it can be on this page.
        first, *others = (branch[:stop] for branch in branches)
        return list(first.union(*others, all=True).order_by(*order)[start:stop])


def inbox_items(*, user, filters: InboxFilter, today: date | None = None, count: int) -> _Items:
    """The user's inbox for `filters`, to page through (`count`: from `inbox_counts`)."""
    return _Items(user=user, filters=filters, today=today or timezone.localdate(), count=count)


@dataclass(frozen=True)
class InboxRow:
    """One row of a page: the COLUMNS plus what the page shows about it."""

    kind: str
    kind_label: str
    pk: int
    reference: str
    title: str
    service: str
    service_label: str
    status: str
    status_label: str
    department_id: int
    department: str
    created_at: object
    due_date: date | None
    is_open: bool
    is_new: bool
    is_overdue: bool
    url: str
    badges: tuple = ()

    @property
    def key(self) -> str:
        """The selection value "<kind>:<pk>"."""
        return f"{self.kind}:{self.pk}"


def inbox_rows(values: list[dict], *, today: date | None = None) -> list[InboxRow]:
    """The rows of a page with labels, links and badges (one `badges` call per source)."""
    today = today or timezone.localdate()
    sources = {s.kind: s for s in inbox_sources()}
    titles = {slug: str(title) for slug, title in service_titles().items()}
    badges: dict[tuple[str, int], list[str]] = {}
    for kind, source in sources.items():
        pks = [v["item_id"] for v in values if v["item_kind"] == kind]
        if pks:
            badges.update({(kind, pk): notes for pk, notes in source.badges(pks).items()})
    status_labels: dict[tuple[str, str, str], str] = {}  # a page repeats few (kind, service, status)
    rows = []
    for v in values:
        source = sources.get(v["item_kind"])
        if source is None:  # unregistered while paging: nothing to link to
            continue
        label_key = (v["item_kind"], v["item_service"], v["item_status"])
        if label_key not in status_labels:
            status_labels[label_key] = str(source.status_label(v["item_service"], v["item_status"]))
        rows.append(InboxRow(
            kind=v["item_kind"], kind_label=str(source.label), pk=v["item_id"], reference=v["item_reference"],
            title=v["item_title"], service=v["item_service"],
            service_label=titles.get(v["item_service"], v["item_service"]), status=v["item_status"],
            status_label=status_labels[label_key],
            department_id=v["item_department_id"], department=v["item_department"], created_at=v["item_created_at"],
            due_date=v["item_due_date"], is_open=v["item_is_open"], is_new=v["item_is_new"],
            is_overdue=bool(v["item_is_open"] and v["item_due_date"] and v["item_due_date"] < today),
            url=source.url(v["item_id"]), badges=tuple(badges.get((v["item_kind"], v["item_id"]), ())),
        ))
    return rows


def inbox_item_parse(value: str) -> tuple[str, int] | None:
    """"<kind>:<pk>" → (kind, pk) for a registered kind, else None."""
    kind, _sep, pk = str(value).partition(":")
    if not pk.isdigit() or len(pk) > 18 or inbox_source_get(kind) is None:
        return None
    return kind, int(pk)


@dataclass(frozen=True)
class InboxActError:
    """A selected item a bulk action failed on: "<kind>:<pk>", e.g. "Vorgang TD-2026-000001", why."""

    item: str
    label: str
    message: str


def inbox_act(*, user, action: str, items: Iterable[tuple[str, int]], department=None,
              reason: str = "") -> tuple[int, list[InboxActError]]:
    """Run the bulk `action` on `items` ((kind, pk) pairs); returns (items done, errors).

    Every item must be in the user's inbox (any tab), else InboxItemNotFound and nothing is
    written. Each source acts on its own items; all of it is one transaction: an error on
    any item rolls back every item, so nothing is done half.
    """
    by_kind: dict[str, list[int]] = {}
    for kind, pk in items:
        pks = by_kind.setdefault(kind, [])
        if pk not in pks:
            pks.append(pk)
    today = timezone.localdate()
    every = InboxFilter(tab="alle")
    missing, references = [], {}
    for kind, pks in by_kind.items():
        source = inbox_source_get(kind)
        found = dict(source.items(user=user, filters=every, today=today).filter(item_id__in=pks)
                     .values_list("item_id", "item_reference")) if source else {}
        missing += [f"{kind}:{pk}" for pk in pks if pk not in found]
        references.update({(kind, pk): f"{source.label} {ref}" for pk, ref in found.items()})
    if missing:
        raise InboxItemNotFound(missing)
    errors: list[InboxActError] = []
    with transaction.atomic():
        for kind, pks in by_kind.items():
            source = inbox_source_get(kind)
            if action in {a.key for a in source.actions}:
                failed = source.act(user=user, action=action, pks=pks, department=department, reason=reason)
            else:
                message = _("Diese Aktion ist für %(kind)s nicht möglich.") % {"kind": source.label_plural}
                failed = dict.fromkeys(pks, message)
            errors += [InboxActError(item=f"{kind}:{pk}", label=references[kind, pk], message=failed[pk])
                       for pk in pks if pk in failed]
        if errors:
            transaction.set_rollback(True)
    done = 0 if errors else sum(len(pks) for pks in by_kind.values())
    return done, errors
