"""The hook registry through which services plug into the portal (the Wagtail hooks pattern).

An app registers a function for a hook name in its module `portal_hooks.py`; the portal asks
for every function registered under a name with `get_hooks(name)` and calls them. The hook
modules of all INSTALLED_APPS are imported lazily, on the first `get_hooks` call, so adding an
app to INSTALLED_APPS is the only change needed for its hooks to take effect. The portal
never imports a service; a service imports only this module and `portal.catalogue`.

    from portal import hooks
    from portal.catalogue import Service

    @hooks.register("register_service")
    def anliegen_service():
        return Service(slug="anliegen", ...)

Hook names and their contracts (a hook function takes no arguments unless said otherwise):

``register_service``
    Returns one `portal.catalogue.Service`, the description of a service in the catalogue
    (`/leistungen/`, `GET /api/v1/services/`, the downloads `/leistungen.json` and
    `/leistungen.csv`). The slug is unique among all services (system check `portal.E001`).
    Everything in a Service is public: the catalogue is published as open data unchanged
    (the downloads), so no separate open-data hook exists; a service that must stay out of
    the catalogue does not register.

``register_navigation_item``
    Returns one `portal.catalogue.NavigationItem` (or None to show nothing, e.g. behind a
    feature switch), an entry of the header navigation of the citizen pages, sorted by
    `order`. The header is built from these items only; no entry is written in a template.

``register_case_type``
    Returns one `cases.types.CaseType`: the case workflow of the service with the same slug
    (reference prefix, statuses and labels, closed statuses, transitions, SLA in working
    days, the citizen's overall status). The slug and the prefix are unique (system checks
    `cases.E001`…); `cases` reads it through `cases.types.case_type_get(slug)`.

``register_inbox_source``
    Returns one `portal.inbox.InboxSource` (usually: the hook is the subclass itself): a
    service's items in the back-office inbox `/sachbearbeitung/`. Its `kind` is unique (the
    first registration wins); `services()` names the service slugs it lists (the inbox's
    service filter offers them); `items(user=, filters=, today=)` returns a queryset built with
    `portal.inbox.inbox_values` (the same columns for every source, so the inbox joins them
    with UNION ALL), already limited to the user's departments (`routing_rules.access`) and to
    the filter's tab, service, departments and search text; `status_label`, `url`, `badges`
    dress the rows of one page; `actions` and `act(...)` are the bulk actions it supports
    (errors per item; the inbox runs all of them in one transaction and rolls back on any).

``register_delivery_route``
    Returns one `cases.delivery.DeliveryRoute` (the hook may be the subclass itself): a way
    from a new case to a department's specialist system (e.g. FIT-Connect). The first route
    whose `takes(department=, service=)` is true carries the case; none: the back office.

``register_filings_sql``
    Returns the SQL of a relation with the columns `service` (a catalogue slug), `created_at`,
    `closed_at` (timestamptz, NULL while open), `online` (filed online) and `counted` (false for
    duplicates): every filing of the service, for statistics in aggregate only (the OZG
    monitor's key figures, `ozgmonitor.figures`). The SQL is written by the service, never
    built from input; the portal joins all of them with UNION ALL.

``register_case_actions``
    Takes `case` and `user` (keyword arguments: a case the clerk may see, and the clerk) and
    returns an iterable of `cases.actions.CaseAction` (label, url, description) — usually
    empty for other services' cases: a service's own actions on the shared case work screen
    (e.g. the Sozialcard's "Entscheiden" → its decision page). No database queries.

``register_account_section``, ``register_account_export``, ``register_account_erase``
    The citizen account (`accounts`). A section hook takes the request and returns an
    `accounts.sections.AccountSection` (or None) for the page `/konto/`; an export hook takes the
    user and returns `(key, data)` (JSON-ready) for the download of all my data (DSGVO Art. 15);
    an erase hook takes the user before the account is deleted (DSGVO Art. 17) and anonymises
    that service's data of the user (cases are kept, without the person), inside the deletion's
    transaction. The account never imports a service.

``register_periodic_tasks``
    Returns {name: beat entry} (`{"task": "<dotted task name>", "schedule": timedelta|crontab}`):
    the app's periodic tasks, merged into the beat schedule by `config.celery.beat_schedule`
    (a name twice is an error). Every app owns its entries; settings hold none.

``register_demo_data``
    A function `(*, stdout)` that loads the app's demo data idempotently (called by `manage.py
    load_demo` after the demo city, in its transaction; one line of output to `stdout`).

Hooks are called on every request that needs them: keep them cheap and free of database
queries. Functions are returned in registration order within the same `order` (see
`register`); the discovery order of hook modules is the order of INSTALLED_APPS.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

__all__ = ["HOOK_MODULE", "get_hooks", "register", "register_temporarily"]

#: The module each app may provide with its hook registrations.
HOOK_MODULE = "portal_hooks"

_registry: dict[str, list[tuple[int, Callable]]] = {}
_discovered = False


def register(name: str, fn: Callable | None = None, *, order: int = 0):
    """Register `fn` for the hook `name`; lower `order` comes first. Usable as a decorator
    (`@register("register_service")`) or as a call (`register("register_service", fn)`);
    returns `fn` unchanged."""
    if fn is None:
        def decorator(func: Callable) -> Callable:
            return register(name, func, order=order)
        return decorator
    _registry.setdefault(name, []).append((order, fn))
    return fn


def _discover() -> None:
    """Import `<app>.portal_hooks` of every installed app that has one, once per process."""
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        module = f"{config.name}.{HOOK_MODULE}"
        # find_spec: a missing hook module is normal; an error inside one is a bug and raises,
        # on every call until fixed (hence the flag is set only after all imported).
        if find_spec(module) is not None:
            import_module(module)
    _discovered = True


def get_hooks(name: str) -> list[Callable]:
    """The functions registered for `name`, sorted by `order` (stable within one order)."""
    _discover()
    return [fn for _order, fn in sorted(_registry.get(name, []), key=lambda entry: entry[0])]


@contextmanager
def register_temporarily(name: str, fn: Callable, *, order: int = 0) -> Iterator[Callable]:
    """Register `fn` for `name` inside a `with` block and remove it on exit (for tests)."""
    _discover()  # so that discovery on first use inside the block cannot reorder the list
    entry = (order, fn)
    _registry.setdefault(name, []).append(entry)
    try:
        yield fn
    finally:
        _registry[name].remove(entry)
