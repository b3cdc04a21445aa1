"""Per-service actions on the clerks' case work screen, contributed through the hook
``register_case_actions`` (see `portal.hooks`): the core screen has one place for them and
never imports a service.

A hook function takes `case` and `user` (the clerk, already allowed to see the case) and
returns an iterable of `CaseAction` — usually none for other services' cases. The screen shows
them as links at the top of its side column ("Entscheiden" → the Sozialcard's decision page).
Hooks run on every view of the screen: no database queries in them.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from portal import hooks

__all__ = ["HOOK", "CaseAction", "case_actions"]

HOOK = "register_case_actions"


@dataclass(frozen=True)
class CaseAction:
    """A link on the case work screen: its text, its address, and an optional longer
    explanation (shown beside it)."""

    label: str | Promise
    url: str
    description: str | Promise = ""


def case_actions(*, case, user) -> list[CaseAction]:
    """Every `CaseAction` the ``register_case_actions`` hooks offer for `case` and `user`, in
    hook order (something that is not a CaseAction is left out)."""
    return [action for fn in hooks.get_hooks(HOOK) for action in (fn(case=case, user=user) or ())
            if isinstance(action, CaseAction)]
