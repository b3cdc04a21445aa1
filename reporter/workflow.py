"""The report status workflow: which status may follow which.

submitted → open → in progress → resolved / not fixable / duplicate / referred;
staff can reopen any closed status (→ open). A reporter who says "not fixed" sends a
resolved or not fixable report back to submitted (`services.report_reopen_by_reporter`).
"""
from django.utils.translation import gettext as _

from config.errors import ServiceError

from .models import Report

__all__ = ["TRANSITIONS", "CLOSED_STATUSES", "transitions_allowed", "TransitionNotAllowed"]

S = Report.Status
CLOSED_STATUSES = frozenset({S.RESOLVED, S.NOT_FIXABLE, S.DUPLICATE, S.REFERRED})
_CLOSE = [S.RESOLVED, S.NOT_FIXABLE, S.DUPLICATE, S.REFERRED]

TRANSITIONS: dict[str, list[str]] = {
    S.SUBMITTED: [S.OPEN, S.IN_PROGRESS, *_CLOSE],
    S.OPEN: [S.IN_PROGRESS, *_CLOSE],
    S.IN_PROGRESS: [S.OPEN, *_CLOSE],
    **{closed: [S.OPEN] for closed in CLOSED_STATUSES},
}


class TransitionNotAllowed(ServiceError):
    """A status change the workflow does not allow (HTTP 409); `allowed` lists the options."""

    status = 409
    code = "transition_not_allowed"

    def __init__(self, *, current: str, requested: str):
        self.current = current
        self.requested = requested
        self.allowed = transitions_allowed(current)
        super().__init__(_("Statuswechsel von „%(a)s“ nach „%(b)s“ ist nicht erlaubt.") % {
            "a": current, "b": requested})

    def body_extra(self) -> dict:
        return {"current": self.current, "allowed": self.allowed}


def transitions_allowed(status: str) -> list[str]:
    """Statuses reachable from `status`."""
    return [str(s) for s in TRANSITIONS.get(status, [])]
