"""The sections of the account page `/konto/`, contributed by services through hooks.

A function registered for ``register_account_section`` takes the request and returns an
`AccountSection` or None; the page renders each section's template with its context, sorted
by `order`. The account app never imports a service.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise

from portal import hooks

__all__ = ["AccountSection", "account_sections"]


@dataclass(frozen=True)
class AccountSection:
    """One section of `/konto/`: a heading, the template drawing its body, that template's
    context, and its position (lower first; "Meine Daten" is 1000)."""

    title: str | Promise
    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100


def account_sections(request) -> list[AccountSection]:
    """The sections every ``register_account_section`` hook returns for `request`, sorted."""
    sections = [section for fn in hooks.get_hooks("register_account_section")
                if (section := fn(request)) is not None]
    return sorted(sections, key=lambda section: section.order)
