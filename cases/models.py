"""Case data: the case (Vorgang), its departments, history, messages and attachments.

Everything here is private: contact data, form contents, messages and attachments are shown
only to the clerks of the case's departments (`cases.selectors`) and to the citizen holding
the tracking link or owning the case. Attachments live in the private storage
(`STORAGES["private"]`), never under MEDIA_URL.
"""
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from routing_rules.models import Department

__all__ = ["Case", "CaseDepartment", "CaseEvent", "CaseLink", "CaseMessage", "CaseAttachment", "ReferenceCounter"]


def _token() -> str:
    return secrets.token_urlsafe(16)


def _private_storage():
    # Lazy (config.storage): follows STORAGES["private"], the local disk or the private bucket.
    from config.storage import private_storage

    return private_storage


def _attachment_upload_to(instance, filename):
    # No client file name on disk: it is kept in original_name only.
    return f"cases/{instance.case_id}/{secrets.token_hex(8)}"


class ReferenceCounter(models.Model):
    """The last reference number given per prefix and year (incremented with UPDATE … RETURNING,
    which holds the row lock until commit; numbers of rolled-back cases are skipped)."""

    prefix = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="cases_counter_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Case(models.Model):
    """One request of a citizen to one service, from filing to closing."""

    class Channel(models.TextChoices):
        WEB = "web", _("Online")
        PHONE = "phone", _("Telefon (115)")
        COUNTER = "counter", _("Schalter")
        LETTER = "letter", _("Brief")
        EMAIL = "email", _("E-Mail")
        API = "api", _("Schnittstelle")

    service = models.SlugField(_("Leistung"), max_length=60)
    reference = models.CharField(_("Vorgangsnummer"), max_length=32, unique=True, editable=False)
    tracking_token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    submission_key = models.CharField(max_length=100, unique=True, null=True, blank=True, editable=False)
    status = models.CharField(_("Status"), max_length=40)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="lead_cases",
                                   verbose_name=_("federführender Fachbereich"))
    title = models.CharField(_("Betreff"), max_length=200, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    data = models.JSONField(_("Formularinhalt"), default=dict, blank=True)
    form_version = models.CharField(_("Formularversion"), max_length=60, blank=True)
    contact_name = models.CharField(_("Name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    contact_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="cases", verbose_name=_("Konto"))
    channel = models.CharField(_("Eingangskanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # The citizen's choice in the account (or on the tracking page): whether status and
    # message emails go out for this case. Mails to departments do not depend on it.
    notify_citizen = models.BooleanField(_("E-Mail-Benachrichtigungen an Bürger/in"), default=True, db_default=True)
    language = models.CharField(max_length=10, default="de")
    due_date = models.DateField(_("fällig am"), null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="duplicates", verbose_name=_("zusammengeführt mit"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set once when an open case passed its due date and its departments were told
    # (`cases.escalation`); never cleared, so a case is escalated at most once.
    escalated_at = models.DateTimeField(_("eskaliert am"), null=True, blank=True)
    # Incremented by every write: the ETag of a case and the guard of concurrent edits.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("Vorgang")
        verbose_name_plural = _("Vorgänge")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["department", "status", "due_date"], name="cases_inbox_idx"),
            models.Index(fields=["department", "-created_at"], name="cases_inbox_new_idx"),
            # The inbox's first page, newest first: lead OR participating department cannot use the
            # index above, so PostgreSQL walks this one and stops after a page of matches.
            models.Index(fields=["-created_at", "-id"], name="cases_inbox_recent_idx"),
            models.Index(fields=["service", "status"], name="cases_service_status_idx"),
            # The hourly escalation run looks only at cases not yet escalated.
            models.Index(fields=["due_date"], condition=models.Q(escalated_at__isnull=True),
                         name="cases_escalation_due_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseDepartment(models.Model):
    """A department working on a case: the lead (one per case) or a participant, each with
    its own state."""

    class Role(models.TextChoices):
        LEAD = "lead", _("federführend")
        PARTICIPANT = "participant", _("beteiligt")

    class State(models.TextChoices):
        OPEN = "open", _("offen")
        DONE = "done", _("erledigt")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="case_participations")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "department"], name="cases_one_row_per_department")]
        indexes = [models.Index(fields=["department", "state"], name="cases_participation_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.department_id} ({self.role})"


class CaseEvent(models.Model):
    """One entry of a case's history; `note_public` is shown to the citizen, `note_internal`
    never is."""

    class Kind(models.TextChoices):
        CREATED = "created", _("eingegangen")
        STATUS = "status", _("Status geändert")
        MESSAGE = "message", _("Nachricht")
        DEPARTMENT = "department", _("Fachbereich")
        ASSIGN = "assign", _("Zuständigkeit geändert")
        NOTE = "note", _("interne Notiz")
        MERGE = "merge", _("zusammengeführt")
        LINK = "link", _("Verknüpfung")
        ESCALATION = "escalation", _("Frist überschritten")
        DELIVERY = "delivery", _("an das Fachverfahren übermittelt")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40, blank=True)
    note_public = models.TextField(blank=True)
    note_internal = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class CaseLink(models.Model):
    """Two related cases (e.g. the same concern filed twice, both kept open): a symmetric
    relation stored once, with the smaller id first (`cases.services.case_link_add`)."""

    first = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_as_first")
    second = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_as_second")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="cases_link_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="cases_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ↔ {self.second_id}"


class CaseMessage(models.Model):
    """A message between the department and the citizen."""

    class Direction(models.TextChoices):
        TO_CITIZEN = "to_citizen", _("an Bürger/in")
        FROM_CITIZEN = "from_citizen", _("von Bürger/in")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=14, choices=Direction.choices)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.direction}"


class CaseAttachment(models.Model):
    """A file of a case (with the case or with a message), kept in the private storage."""

    class UploadedBy(models.TextChoices):
        CITIZEN = "citizen", _("Bürger/in")
        STAFF = "staff", _("Verwaltung")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(CaseMessage, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(storage=_private_storage, upload_to=_attachment_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.CharField(max_length=8, choices=UploadedBy.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
