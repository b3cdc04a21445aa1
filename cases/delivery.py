"""Delivery of a new case to the specialist system (Fachverfahren) of its department.

A case that no delivery route takes is worked in the back office (the inbox at
`/sachbearbeitung/`): that is the default route and needs no code. A delivery route (for
example FIT-Connect, `fitconnect_sender`) registers with the hook ``register_delivery_route``,
returning an instance of a `DeliveryRoute` subclass:

    from portal import hooks
    from cases.delivery import DeliveryRoute

    class FitConnectRoute(DeliveryRoute):
        key = "fitconnect"
        label = _("FIT-Connect")
        def takes(self, *, department, service): ...   # configured for this department?
        def enqueue(self, *, case): ...                # queue the delivery on commit

    hooks.register("register_delivery_route", FitConnectRoute)

`cases.services.case_create` calls `case_deliver(case)` inside the case's transaction: the
first route (hook order) that `takes` the lead department and the service gets the case, and
the case's history records which route carries it. `enqueue` must only queue work on commit
(`config.queueing.task_enqueue_on_commit`): nothing leaves the machine before the case is
stored, and a rolled-back case is never delivered. The route owns its own delivery records
(attempts, remote ids) and writes the answer of the specialist system back through
`cases.services` (status changes, messages with documents to the citizen).

`takes` runs on every filing: keep it to one indexed query at most.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from portal import hooks

__all__ = ["HOOK", "DeliveryRoute", "case_deliver", "delivery_route_for", "delivery_routes"]

HOOK = "register_delivery_route"


class DeliveryRoute(ABC):
    """A way from a stored case to a department's specialist system."""

    #: Stable identifier, stored in the case's history ("fitconnect").
    key: str = ""
    #: The clerk's name of the route (lazily translated).
    label: str = ""

    @abstractmethod
    def takes(self, *, department, service: str) -> bool:
        """True if this route is configured to carry cases of `service` for `department`."""

    @abstractmethod
    def enqueue(self, *, case) -> None:
        """Queue the delivery of `case` on commit of the running transaction."""


def delivery_routes() -> list[DeliveryRoute]:
    """Every registered route, in hook order (a hook may return a class or an instance)."""
    routes = []
    for fn in hooks.get_hooks(HOOK):
        route = fn() if callable(fn) else fn
        if isinstance(route, DeliveryRoute):
            routes.append(route)
    return routes


def delivery_route_for(*, department, service: str) -> DeliveryRoute | None:
    """The route that carries cases of `service` for `department`, or None (back office)."""
    for route in delivery_routes():
        if route.takes(department=department, service=service):
            return route
    return None


def case_deliver(case) -> DeliveryRoute | None:
    """Hand a just-created case to its delivery route (inside the case's transaction).

    Returns the route, or None when the case stays in the back office only. Writes one
    history entry naming the route, so that a clerk sees where the case went.
    """
    from .models import CaseEvent

    route = delivery_route_for(department=case.department, service=case.service)
    if route is None:
        return None
    route.enqueue(case=case)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.DELIVERY, details={"route": route.key})
    return route
