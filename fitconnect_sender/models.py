"""FIT-Connect data: where a department receives a service's cases, and each case's submission.

`FitConnectDestination`: per department and service slug, the destination id at the
Zustelldienst (set by an administrator; clerks see only their departments' rows).
`FitConnectSubmission`: one per case, a small state machine that stores the result of every
step the moment it succeeds (announced attachment ids before the submission is created, the
remote submission and case ids right after), so that a worker that dies, a broker that loses
the task or a network that drops an answer resumes from the stored step and never creates or
submits a second submission. `FitConnectAttempt`: every attempt with its step and outcome.
`FitConnectReply`: each reply (Rückkanal) of a specialist system, recorded once with the message
it became. `FitConnectReplyKey`: the sender's own key pairs for replies (generated once; the
private half never leaves this table: not in the admin, not in a log, not in `__str__`).
"""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from routing_rules.models import Department

__all__ = ["FitConnectDestination", "FitConnectSubmission", "FitConnectAttempt", "FitConnectReply",
           "FitConnectReplyKey"]


class FitConnectDestination(models.Model):
    """The FIT-Connect destination (a specialist system's inbox) of one department for one service."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="fitconnect_destinations",
                                   verbose_name=_("Fachbereich"))
    service = models.SlugField(_("Leistung"), max_length=60,
                               help_text=_("Kurzname der Leistung (z. B. „anliegen“)."))
    destination_id = models.UUIDField(_("Destination-ID"),
                                      help_text=_("Die ID des Zustellpunkts im FIT-Connect-Zustelldienst."))
    is_active = models.BooleanField(_("aktiv"), default=True, db_default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("FIT-Connect-Zustellpunkt")
        verbose_name_plural = _("FIT-Connect-Zustellpunkte")
        constraints = [models.UniqueConstraint(fields=["department", "service"], name="fitconnect_one_per_service")]

    def __str__(self) -> str:
        return f"{self.department} / {self.service} → {self.destination_id}"


class FitConnectSubmission(models.Model):
    """The way of one case through the Zustelldienst.

    States in order: `pending` (stored with the case, attachment ids announced), `created`
    (the Zustelldienst gave submission and case id), `submitted` (data and metadata sent),
    then `accepted` or `rejected` by the specialist system. `failed`: given up (a key that
    does not verify, a missing LeiKa key, too many attempts); a clerk works the case in the
    back office.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("wartet auf Versand")
        CREATED = "created", _("angelegt")
        SUBMITTED = "submitted", _("übermittelt")
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        FAILED = "failed", _("fehlgeschlagen")

    #: States in which the sending task still has work to do.
    SENDING = (State.PENDING, State.CREATED)
    #: States in which the event log may still bring an answer.
    WAITING = (State.SUBMITTED,)

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="fitconnect_submission",
                                verbose_name=_("Vorgang"))
    destination_id = models.UUIDField(_("Destination-ID"))
    state = models.CharField(_("Zustand"), max_length=10, choices=State.choices, default=State.PENDING)
    # CaseAttachment pk (as text) -> the attachment id announced for it (UUIDv4), fixed before
    # the submission is created so that a resumed upload uses the announced ids.
    announced_attachments = models.JSONField(default=dict, blank=True)
    # Attachment ids the Zustelldienst has confirmed (204).
    uploaded_attachments = models.JSONField(default=list, blank=True)
    submission_id = models.UUIDField(_("Submission-ID"), null=True, blank=True, unique=True)
    remote_case_id = models.UUIDField(_("Case-ID (FIT-Connect)"), null=True, blank=True)
    # The `jti` of every event-log entry already applied (each is applied once).
    events_applied = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FIT-Connect-Einreichung")
        verbose_name_plural = _("FIT-Connect-Einreichungen")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="fitconnect_state_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.state}"


class FitConnectAttempt(models.Model):
    """One step tried against the Zustelldienst and how it ended (never personal data)."""

    class Outcome(models.TextChoices):
        OK = "ok", _("erfolgreich")
        RETRY = "retry", _("vorübergehender Fehler, neuer Versuch")
        FAILED = "failed", _("dauerhafter Fehler")

    submission = models.ForeignKey(FitConnectSubmission, on_delete=models.CASCADE, related_name="attempt_log")
    step = models.CharField(_("Schritt"), max_length=40)
    outcome = models.CharField(_("Ergebnis"), max_length=8, choices=Outcome.choices)
    detail = models.TextField(_("Einzelheiten"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.step}: {self.outcome}"


class FitConnectReply(models.Model):
    """One reply of the specialist system to a submission, applied once (`reply_id` unique).

    `accepted`: decrypted, verified and turned into a message to the citizen (`message`);
    `rejected`: it could not be read or verified, the clerks got an internal note.
    `decision`: the payload of the accept-reply / reject-reply event (authentication tags or
    problem types — never content), kept to post it again if the first post got lost;
    `answered_at`: when the Zustelldienst took that event.
    """

    class State(models.TextChoices):
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("zurückgewiesen")

    submission = models.ForeignKey(FitConnectSubmission, on_delete=models.CASCADE, related_name="replies")
    reply_id = models.UUIDField(_("Reply-ID"), unique=True)
    state = models.CharField(_("Zustand"), max_length=10, choices=State.choices)
    message = models.ForeignKey("cases.CaseMessage", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    decision = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FIT-Connect-Antwort")
        verbose_name_plural = _("FIT-Connect-Antworten")

    def __str__(self) -> str:
        return f"{self.reply_id}: {self.state}"


class FitConnectReplyKey(models.Model):
    """A key pair of the sender: `encryption` (RSA-OAEP-256; its public half goes into every
    submission's `replyChannel.fitConnect`) or `signature` (PS512; signs accept/reject-reply)."""

    class Use(models.TextChoices):
        ENCRYPTION = "encryption", _("Verschlüsselung")
        SIGNATURE = "signature", _("Signatur")

    use = models.CharField(max_length=10, choices=Use.choices, unique=True)
    kid = models.CharField(max_length=64, unique=True)
    # The private JWK (RSA 4096). Never shown, logged or exported.
    private_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.use} {self.kid}"

    def __repr__(self) -> str:
        return f"<FitConnectReplyKey {self.use} {self.kid}>"


def attachment_id_new() -> str:
    """A fresh attachment id (UUIDv4, as the metadata schema asks)."""
    return str(uuid.uuid4())
