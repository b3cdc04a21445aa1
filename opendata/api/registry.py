"""The registry of Action API functions, like Wagtail's hooks: `@action("package_show",
side_effect_free=True)` registers a function `(context, data_dict) -> result`.

`side_effect_free` actions (CKAN's term) accept GET with query parameters; the others
need a POST. Action modules register on import (opendata.api.views imports them).
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from ..auth import Actor

__all__ = ["Action", "ActionContext", "action", "action_get", "action_names"]


@dataclass
class ActionContext:
    """What an action knows about the request: who asks, and through which API version."""

    actor: Actor
    request: HttpRequest | None = None
    api_version: int = 3


@dataclass(frozen=True)
class Action:
    name: str
    func: Callable[[ActionContext, dict], Any]
    side_effect_free: bool

    @property
    def help(self) -> str:
        return (self.func.__doc__ or "").strip()


_ACTIONS: dict[str, Action] = {}


def action(name: str, *, side_effect_free: bool = False):
    """Register the decorated function as the action `name`."""
    def register(func):
        _ACTIONS[name] = Action(name=name, func=func, side_effect_free=side_effect_free)
        return func
    return register


def action_get(name: str) -> Action | None:
    return _ACTIONS.get(name)


def action_names() -> list[str]:
    return sorted(_ACTIONS)
