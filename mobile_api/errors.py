"""Errors of the field-crew API (`config.errors.ServiceError` subclasses, answered by the
project's one exception handler).

`ActionNotAllowed` → 409 with the allowed actions, `IdempotencyKeyReused` → 422,
`SyncExpired` → 410 (the delta-sync log no longer reaches back to `since`: load everything),
`VersionMismatch` → 412 (answered by the view, with the current task). Every error rolls the
request's transaction back, so nothing half-written stays behind.
"""
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.errors import ServiceError

from .actions import actions_allowed

__all__ = ["ActionNotAllowed", "VersionMismatch", "IdempotencyKeyReused", "SyncExpired"]


class ActionNotAllowed(ServiceError):
    """The action is not possible in the task's current status (HTTP 409)."""

    status = 409
    code = "action_not_allowed"

    def __init__(self, *, action: str, current: str):
        self.action, self.current = action, current
        self.allowed = actions_allowed(current)
        super().__init__(_("Die Aktion „%(action)s“ ist im Status „%(status)s“ nicht möglich.") % {
            "action": action, "status": current})

    def body_extra(self) -> dict:
        return {"current": self.current, "allowed": self.allowed}


class VersionMismatch(ServiceError):
    """`If-Match` named an older version of the task (HTTP 412)."""

    status = 412
    code = "version_mismatch"

    def __init__(self, *, expected: int, current: int):
        self.expected, self.current = expected, current
        super().__init__(f"version {expected} != {current}")


class IdempotencyKeyReused(ServiceError):
    """The `Idempotency-Key` was used before for a request with other content (HTTP 422)."""

    status = 422
    code = "idempotency_key_reused"

    def __init__(self, key: str = ""):
        self.key = key
        super().__init__(_("Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet."))

    def body_extra(self) -> dict:
        return {"errors": {"Idempotency-Key": [self.message]}}


class SyncExpired(ServiceError):
    """`since` is older than the retained delta-sync log (HTTP 410 Gone): the app must drop
    its sync token and load its whole task list again (a request without `since`)."""

    status = 410
    code = "sync_expired"

    def __init__(self, *, days: int):
        self.days = int(days)
        super().__init__(ngettext(
            "since: Der letzte Abgleich ist älter als %(days)s Tag; die Änderungen seitdem sind nicht mehr bekannt. "
            "Bitte die Aufgabenliste ohne since vollständig neu laden.",
            "since: Der letzte Abgleich ist älter als %(days)s Tage; die Änderungen seitdem sind nicht mehr bekannt. "
            "Bitte die Aufgabenliste ohne since vollständig neu laden.", self.days) % {"days": self.days})

    def body_extra(self) -> dict:
        return {"errors": {"since": [self.message]}}
