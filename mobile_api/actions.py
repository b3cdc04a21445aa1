"""The crew's actions on a task and the report status each one leads to.

The actions are a thin layer over the report workflow (`reporter.workflow`): an action is
allowed when the workflow allows its target status from the current one, or when it only
adds a note (same status).

| action                   | from                       | to                                      |
|--------------------------|----------------------------|-----------------------------------------|
| accept                   | submitted / open           | open (internal note "angenommen")       |
| start                    | submitted / open           | in progress                             |
| done                     | submitted / open / in pr.  | resolved                                |
| cannot_fix               | submitted / open / in pr.  | not fixable (a note is required)        |
| needs_other_department   | submitted / open / in pr.  | open (in progress → open), crew removed |
"""
from reporter.models import Report
from reporter.workflow import transitions_allowed

__all__ = ["ACTIONS", "NOTE_REQUIRED", "action_target", "actions_allowed"]

S = Report.Status
ACTIONS = ("accept", "start", "done", "cannot_fix", "needs_other_department")
# A reason is needed: the department (and for cannot_fix the reporter) must learn why.
NOTE_REQUIRED = frozenset({"cannot_fix", "needs_other_department"})

_TARGETS = {
    "accept": {S.SUBMITTED: S.OPEN, S.OPEN: S.OPEN},
    "start": {S.SUBMITTED: S.IN_PROGRESS, S.OPEN: S.IN_PROGRESS},
    "done": {s: S.RESOLVED for s in Report.OPEN_STATUSES},
    "cannot_fix": {s: S.NOT_FIXABLE for s in Report.OPEN_STATUSES},
    "needs_other_department": {S.SUBMITTED: S.SUBMITTED, S.OPEN: S.OPEN, S.IN_PROGRESS: S.OPEN},
}


def action_target(*, action: str, status: str) -> str | None:
    """The status `action` leads to from `status`, or None if it is not allowed there."""
    target = _TARGETS.get(action, {}).get(status)
    if target is None:
        return None
    if target != status and target not in transitions_allowed(status):
        return None
    return str(target)


def actions_allowed(status: str) -> list[str]:
    """The actions a crew may take on a task in `status`, in the order of ACTIONS."""
    return [a for a in ACTIONS if action_target(action=a, status=status) is not None]
