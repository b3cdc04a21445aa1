"""Data of the field-crew API: crew tokens, idempotency keys and the task-list log for delta sync.

`TaskListInterval`, `CrewMemberInterval` (migration 0002) and `TaskChange` (migration 0005)
are written by PostgreSQL triggers, not by Python: every write path — services, the admin,
`QuerySet.update()`, raw SQL — moves a report in or out of a crew's task list or changes
what a crew sees of it, and every one of them must be recorded for the delta sync to be
exact. Their timestamps come from the database clock (`clock_timestamp()`).
"""
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CrewToken", "IdempotencyKey", "TaskListInterval", "CrewMemberInterval", "TaskChange", "TOKEN_KEYWORD"]

# `Authorization: Crew <token>`. A keyword of its own: DRF's TokenAuthentication ("Token") of
# the staff API and the open-data API tokens never accept a crew token, and vice versa.
TOKEN_KEYWORD = "Crew"
# Visible start of every crew token, so a leaked one is easy to recognise (secret scanners).
TOKEN_PREFIX = "smc_"


class CrewToken(models.Model):
    """A revocable login of one crew member on one device. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="crew_tokens",
                             verbose_name=_("Benutzer"))
    name = models.CharField(_("Gerät/Bezeichnung"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # First characters of the token, so people can tell their tokens apart.
    prefix = models.CharField(_("Anfang"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Trupp-Token")
        verbose_name_plural = _("Trupp-Tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} – {self.name or self.prefix}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @staticmethod
    def digest(raw_token: str) -> str:
        """Hex SHA-256 of a token: what is stored and looked up."""
        return hashlib.sha256(raw_token.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        """A new raw token: the prefix and 256 random bits, URL-safe."""
        return TOKEN_PREFIX + secrets.token_urlsafe(32)


class IdempotencyKey(models.Model):
    """The first successful answer to a request sent with an `Idempotency-Key` header (per user).

    A repeated request with the same key and the same content gets this answer again and
    changes nothing; the same key with other content is refused (422). Failed requests are
    rolled back together with their key, so they may be retried with it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # SHA-256 over method, path, fields and uploaded files' contents.
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Idempotenzschlüssel")
        verbose_name_plural = _("Idempotenzschlüssel")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"


class TaskListInterval(models.Model):
    """A report was in a crew's task list from `entered_at` until `left_at` (open: still is).

    In the list means: open status, assigned to the crew, the crew active and of the report's
    department. Plain ids, no foreign keys: the log outlives deleted reports and crews, so a
    client still learns that such a task left its list.
    """

    crew_id = models.BigIntegerField()
    report_id = models.BigIntegerField()
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["crew_id", "left_at"]), models.Index(fields=["report_id", "left_at"])]

    def __str__(self) -> str:
        return f"report {self.report_id} in crew {self.crew_id}: {self.entered_at} – {self.left_at or '…'}"


class CrewMemberInterval(models.Model):
    """A user was a member of a crew from `joined_at` until `left_at` (open: still is)."""

    crew_id = models.BigIntegerField()
    user_id = models.BigIntegerField()
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["user_id", "left_at"])]

    def __str__(self) -> str:
        return f"user {self.user_id} in crew {self.crew_id}: {self.joined_at} – {self.left_at or '…'}"


class TaskChange(models.Model):
    """The last moment something a crew sees of a report changed besides the report row's
    `updated_at`: a history entry (status change, note, assignment, escalation), a photo
    (processed by the worker, moderated, deleted), or a write to the report that left
    `updated_at` alone (`QuerySet.update()`). The delta sync sends such a task again.

    One row per report (upserted); a plain id, no foreign key, like the task-list log.
    """

    report_id = models.BigIntegerField(primary_key=True)
    changed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"report {self.report_id} changed {self.changed_at}"
