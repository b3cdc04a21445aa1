"""Which case status means what on the FIT-Connect route: a service declares it.

The specialist system answers each submission with accept or reject (the event log); the
case types (`cases.types.CaseType`) do not know FIT-Connect, so a service that wants its
cases moved declares the statuses with the hook ``register_fitconnect_statuses``:

    from portal import hooks
    from fitconnect_sender.statuses import FitConnectStatuses

    @hooks.register("register_fitconnect_statuses")
    def meldebescheinigung_fitconnect_statuses():
        return FitConnectStatuses(service="meldebescheinigung", submitted="delivered",
                                  accepted="in_progress", rejected="rejected")

Each field is a status of the service's case type, or "" to leave the status alone. A
status change the case type's transitions do not allow from the current status is not
made; the case gets an internal note instead (so a clerk who already moved the case on is
never overruled). Without a declaration the case keeps its status and the citizen gets a
message and the clerks an internal note.
"""
from __future__ import annotations

from dataclasses import dataclass

from portal import hooks

__all__ = ["HOOK", "FitConnectStatuses", "statuses_for"]

HOOK = "register_fitconnect_statuses"


@dataclass(frozen=True)
class FitConnectStatuses:
    """The statuses of `service`'s cases after submit, accept and reject."""

    service: str
    submitted: str = ""
    accepted: str = ""
    rejected: str = ""


def statuses_for(service: str) -> FitConnectStatuses:
    """The declaration of `service` (the first one registered), or one that changes nothing."""
    for fn in hooks.get_hooks(HOOK):
        declared = fn()
        if isinstance(declared, FitConnectStatuses) and declared.service == service:
            return declared
    return FitConnectStatuses(service=service)
