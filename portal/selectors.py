"""Reads over the registered services and navigation items (see `portal.hooks`).

Nothing here touches the database: a catalogue is a handful of services, so search and
grouping run in Python over the hook results, in the active language.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import hooks
from .catalogue import Lebenslage, NavigationItem, Service
from .conf import leika_key_overrides

__all__ = [
    "lebenslage_list", "navigation_item_list", "service_list", "service_list_grouped", "service_titles",
    "service_url",
]


def _registered_services() -> list[Service]:
    """Every registered Service, with the configured LeiKa key applied."""
    overrides = leika_key_overrides()
    services = []
    for hook in hooks.get_hooks("register_service"):
        service = hook()
        if service.slug in overrides:
            service = dataclasses.replace(service, leika_key=overrides[service.slug])
        services.append(service)
    return services


def service_titles() -> dict:
    """Every registered service's title (lazily translated) by slug: what cases, the inbox and
    the notifications call a service."""
    return {service.slug: service.title for service in _registered_services()}


def _fold(text: str) -> str:
    """Lower case without diacritics, so that "mangel" finds "Mängel" (ß stays, casefold makes it ss)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _search_text(service: Service) -> str:
    """The words a service is found by, in the active language and the site's (German) one."""
    def texts() -> Iterable[str]:
        yield service.slug
        for value in (service.title, service.short_description, service.audience, *service.keywords,
                      *(lage.title for lage in service.lebenslagen)):
            yield str(value)
            with translation.override(settings.LANGUAGE_CODE):
                yield str(value)
    return _fold(" ".join(texts()))


def service_list(*, query: str | None = None, lebenslage: str | None = None) -> list[Service]:
    """The registered services, sorted by order and title; `query`: every word must occur in a
    service's texts or keywords (case and accents ignored); `lebenslage`: a Lebenslage slug.
    Inputs are expected validated (see `portal.forms`)."""
    services = _registered_services()
    if lebenslage:
        services = [s for s in services if any(lage.slug == lebenslage for lage in s.lebenslagen)]
    words = _fold(query or "").split()
    if words:
        services = [s for s in services if all(word in _search_text(s) for word in words)]
    return sorted(services, key=lambda s: (s.order, _fold(str(s.title))))


def lebenslage_list() -> list[Lebenslage]:
    """Every Lebenslage some registered service names, once per slug, sorted by order and title."""
    found: dict[str, Lebenslage] = {}
    for service in _registered_services():
        for lage in service.lebenslagen:
            found.setdefault(lage.slug, lage)
    return sorted(found.values(), key=lambda lage: (lage.order, _fold(str(lage.title))))


def service_list_grouped(services: list[Service]) -> list[tuple[Lebenslage, list[Service]]]:
    """`services` grouped by Lebenslage (a service in several groups appears in each), groups
    in Lebenslage order, services in their given order; empty groups left out."""
    groups: dict[str, tuple[Lebenslage, list[Service]]] = {}
    for service in services:
        for lage in service.lebenslagen:
            groups.setdefault(lage.slug, (lage, []))[1].append(service)
    return sorted(groups.values(), key=lambda group: (group[0].order, _fold(str(group[0].title))))


def service_url(service: Service) -> str:
    """The path of a service's start page."""
    return reverse(service.url_name)


def navigation_item_list() -> list[NavigationItem]:
    """The header navigation's items from the `register_navigation_item` hooks, by order."""
    items = [item for hook in hooks.get_hooks("register_navigation_item") if (item := hook()) is not None]
    return sorted(items, key=lambda item: item.order)
