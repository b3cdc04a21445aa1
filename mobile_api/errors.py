"""Errors of the field-crew API and their HTTP answers.

`ActionNotAllowed` → 409 with the allowed actions, `IdempotencyKeyReused` → 422,
`SyncExpired` → 410 (the delta-sync log no longer reaches back to `since`: load everything),
`VersionMismatch` → 412 (answered by the view, with the current task). Everything else goes
to the project's handler (`reporter.api.errors`: 400 for input, 413/415 for photos, …).
Every error rolls the request's transaction back, so nothing half-written stays behind.
"""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from reporter.api.errors import exception_handler as project_exception_handler
from reporter.workflow import TransitionNotAllowed

from .actions import actions_allowed

__all__ = ["ActionNotAllowed", "VersionMismatch", "IdempotencyKeyReused", "SyncExpired", "exception_handler"]


class ActionNotAllowed(Exception):
    """The action is not possible in the task's current status (HTTP 409)."""

    def __init__(self, *, action: str, current: str):
        self.action, self.current = action, current
        self.allowed = actions_allowed(current)
        super().__init__(f"{action} in {current}")


class VersionMismatch(Exception):
    """`If-Match` named an older version of the task (HTTP 412)."""

    def __init__(self, *, expected: int, current: int):
        self.expected, self.current = expected, current
        super().__init__(f"version {expected} != {current}")


class IdempotencyKeyReused(Exception):
    """The `Idempotency-Key` was used before for a request with other content (HTTP 422)."""


class SyncExpired(Exception):
    """`since` is older than the retained delta-sync log (HTTP 410 Gone): the app must drop
    its sync token and load its whole task list again (a request without `since`)."""

    def __init__(self, *, days: int):
        self.days = int(days)
        super().__init__(f"since older than {days} days")


def exception_handler(exc, context):
    if isinstance(exc, TransitionNotAllowed):  # a race the row lock rules out; answered like our own check
        exc = ActionNotAllowed(action=str(exc.requested), current=exc.current)
    if isinstance(exc, ActionNotAllowed):
        set_rollback()
        return Response({"detail": _("Die Aktion „%(action)s“ ist im Status „%(status)s“ nicht möglich.") % {
            "action": exc.action, "status": exc.current}, "current": exc.current, "allowed": exc.allowed},
            status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IdempotencyKeyReused):
        set_rollback()
        message = _("Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet.")
        return Response({"detail": message, "errors": {"Idempotency-Key": [message]}},
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, SyncExpired):
        message = ngettext(
            "since: Der letzte Abgleich ist älter als %(days)s Tag; die Änderungen seitdem sind nicht mehr bekannt. "
            "Bitte die Aufgabenliste ohne since vollständig neu laden.",
            "since: Der letzte Abgleich ist älter als %(days)s Tage; die Änderungen seitdem sind nicht mehr bekannt. "
            "Bitte die Aufgabenliste ohne since vollständig neu laden.", exc.days) % {"days": exc.days}
        return Response({"detail": message, "errors": {"since": [message]}}, status=status.HTTP_410_GONE)
    return project_exception_handler(exc, context)
