"""Defect reports, their photos, status history and supporters.

Personal data (reporter name, email, phone), original photos and EXIF data are private:
public serializers list their fields explicitly and never include them.
"""
import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Crew", "PublicPhoto", "PublicReport", "PublicStatusChange", "Report", "ReportOwnership", "ReportPhoto",
           "StatusChange", "Support", "TrackedReport", "tracking_token_new"]


def tracking_token_new() -> str:
    """A public, unguessable tracking token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


class Crew(models.Model):
    """A field crew (Bautrupp, Außendienst) of one department; reports are assigned to crews.

    A crew member (a user in `members`) sees and changes only the open reports assigned to
    one of their crews.
    """

    department = models.ForeignKey(
        "routing_rules.Department", on_delete=models.CASCADE, related_name="crews", verbose_name=_("Fachbereich")
    )
    name = models.CharField(_("Name"), max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="crews", verbose_name=_("Mitglieder")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("Trupp")
        verbose_name_plural = _("Trupps")
        ordering = ["department__name", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "name"], name="crew_unique_name_per_department")]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("eingegangen")
        OPEN = "open", _("offen")
        IN_PROGRESS = "in_progress", _("in Bearbeitung")
        RESOLVED = "resolved", _("erledigt")
        NOT_FIXABLE = "not_fixable", _("nicht behebbar")
        DUPLICATE = "duplicate", _("Dublette")
        REFERRED = "referred", _("an andere Behörde abgegeben")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        APP = "app", _("App")
        API = "api", _("API")
        PHONE = "phone", _("Telefon")
        FIELD = "field", _("Außendienst")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("ungeprüft")
        APPROVED = "approved", _("freigegeben")
        HIDDEN = "hidden", _("verborgen")

    tracking_token = models.CharField(max_length=32, unique=True, default=tracking_token_new, editable=False)
    # Chosen by the client per draft (e.g. a UUID), so a report re-sent after a lost
    # connection or from the offline queue is stored once.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # WGS 84, (lon, lat)
    location = models.PointField(_("Ort"), srid=4326, spatial_index=True)
    address = models.CharField(_("Adresse"), max_length=300, blank=True)
    location_text = models.CharField(_("Ortsbeschreibung"), max_length=500, blank=True)
    category = models.ForeignKey(
        "routing_rules.Category", on_delete=models.PROTECT, related_name="reports", verbose_name=_("Kategorie")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    # The text shown publicly: set by moderation (the original stays in `description`).
    public_description = models.TextField(_("öffentliche Beschreibung"), blank=True)
    answers = models.JSONField(_("Antworten"), default=dict, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    moderation = models.CharField(
        _("Moderation"), max_length=20, choices=Moderation.choices, default=Moderation.PENDING
    )
    department = models.ForeignKey(
        "routing_rules.Department", on_delete=models.PROTECT, related_name="reports", verbose_name=_("Fachbereich")
    )
    routing_explanation = models.JSONField(_("Zuständigkeitsbegründung"), default=dict)
    channel = models.CharField(_("Kanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # Language for messages to the reporter (de/en).
    language = models.CharField(_("Sprache"), max_length=5, default="de")
    # Private contact data: never in public output.
    reporter_name = models.CharField(_("Name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("E-Mail"), blank=True)
    reporter_phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    # The reporter's choice (in their citizen account): status emails to reporter_email.
    notify_reporter = models.BooleanField(_("Status-E-Mails an Meldende"), default=True, db_default=True)
    supporter_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    # Field work: the crew doing it, since when, and the service-level due date (the
    # category's target in working days, see reporter.service_levels).
    crew = models.ForeignKey(
        Crew, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports", verbose_name=_("Trupp")
    )
    assigned_at = models.DateTimeField(_("zugewiesen am"), null=True, blank=True)
    due_date = models.DateField(_("fällig am"), null=True, blank=True, db_index=True)
    # Set when the overdue report was escalated to the department's lead (once).
    escalated_at = models.DateTimeField(_("eskaliert am"), null=True, blank=True)
    # Optimistic concurrency (ETag / If-Match): every write through a service increments it.
    version = models.PositiveIntegerField(_("Version"), default=1)

    OPEN_STATUSES = (Status.SUBMITTED, Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["crew", "status"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReportOwnership(models.Model):
    """A report in a citizen account ("Mein Konto"): filed while logged in, or claimed by
    opening its tracking link while logged in. The account sees only what the tracking link
    shows; reports stay anonymous to the public and to the open data."""

    class How(models.TextChoices):
        FILED = "filed", _("gemeldet")
        CLAIMED = "claimed", _("über den Verfolgungslink übernommen")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ownerships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_ownerships")
    how = models.CharField(_("Herkunft"), max_length=8, choices=How.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Meldung im Bürgerkonto")
        verbose_name_plural = _("Meldungen im Bürgerkonto")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="reporter_ownership_once_per_user")]
        indexes = [models.Index(fields=["user", "-created_at"], name="reporter_ownership_user_idx")]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.user_id} ({self.how})"


def _original_upload_to(instance, filename):
    return f"originals/{instance.report_id}/{secrets.token_hex(8)}"


def _public_upload_to(instance, filename):
    return f"reports/{instance.report_id}/{secrets.token_hex(8)}.jpg"


def _private_storage():
    # Lazy (config.storage): follows STORAGES["private"], the local disk or the private bucket.
    from config.storage import private_storage

    return private_storage


class ReportPhoto(models.Model):
    class Processing(models.TextChoices):
        PENDING = "pending", _("wartet")
        DONE = "done", _("verarbeitet")
        FAILED = "failed", _("fehlgeschlagen")

    class Moderation(models.TextChoices):
        PENDING = "pending", _("ungeprüft")
        APPROVED = "approved", _("freigegeben")
        REJECTED = "rejected", _("abgelehnt")

    class Kind(models.TextChoices):
        REPORT = "report", _("Meldung")
        BEFORE = "before", _("vorher")
        AFTER = "after", _("nachher")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPORT)
    # Original upload with all metadata: private storage, never served.
    original = models.FileField(storage=_private_storage, upload_to=_original_upload_to)
    content_type = models.CharField(max_length=50)
    original_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    # EXIF GPS position (WGS 84) of the original: private.
    exif_location = models.PointField(srid=4326, null=True, blank=True)
    # Metadata-free, orientation-applied, resized derivatives (public once approved).
    image = models.ImageField(upload_to=_public_upload_to, blank=True)
    thumbnail = models.ImageField(upload_to=_public_upload_to, blank=True)
    processing = models.CharField(max_length=10, choices=Processing.choices, default=Processing.PENDING)
    processing_error = models.TextField(blank=True)
    moderation = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")
        ordering = ["report", "id"]

    @property
    def is_public(self) -> bool:
        return self.processing == self.Processing.DONE and self.moderation == self.Moderation.APPROVED


class StatusChange(models.Model):
    """One entry of a report's history: a status change and/or a note."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Report.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Report.Status.choices)
    note_public = models.TextField(_("öffentliche Notiz"), blank=True)
    note_internal = models.TextField(_("interne Notiz"), blank=True)
    # Re-routing and moderation are recorded here too (kind), with their details.
    kind = models.CharField(max_length=20, default="status")
    details = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Verlaufseintrag")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "id"]


class Support(models.Model):
    """A "me too" for a report; one per supporter key (a salted hash, not an identity)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    supporter_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "supporter_key"], name="support_once_per_key")]


# --- Public reads: unmanaged models over the views of `reporter.public` ---------------------
# They have no personal field to ask for: a public query that needs one fails instead of leaking.


class _PublicReportColumns(models.Model):
    """The public columns of a report (see `reporter.public`)."""

    category = models.ForeignKey("routing_rules.Category", on_delete=models.DO_NOTHING, related_name="+")
    department = models.ForeignKey("routing_rules.Department", on_delete=models.DO_NOTHING, related_name="+")
    status = models.CharField(max_length=20, choices=Report.Status.choices)
    address = models.CharField(max_length=300)
    description = models.TextField()  # moderated text, empty until moderation approved it
    district = models.CharField(max_length=200)
    supporter_count = models.PositiveIntegerField()
    duplicate_of_id = models.IntegerField(null=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)
    due_date = models.DateField(null=True)
    # Snapped to STADTMELDER["PUBLIC_COORDINATE_DECIMALS"] decimal places, WGS 84 (lon, lat).
    location = models.PointField(srid=4326)
    is_public = models.BooleanField()  # false only in the tracked view, for a hidden report

    OPEN_STATUSES = Report.OPEN_STATUSES

    class Meta:
        abstract = True
        managed = False
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class PublicReport(_PublicReportColumns):
    """A report as the public may see it (view `reporter_public_report`; hidden ones left out)."""

    class Meta(_PublicReportColumns.Meta):
        db_table = "reporter_public_report"


class TrackedReport(_PublicReportColumns):
    """The public columns of any report, hidden ones included (view `reporter_tracked_report`):
    read only after a tracking-token lookup, for the reporter following their own report."""

    class Meta(_PublicReportColumns.Meta):
        db_table = "reporter_tracked_report"


class PublicPhoto(models.Model):
    """A processed photo approved by moderation (view `reporter_public_photo`)."""

    report_id = models.IntegerField()
    kind = models.CharField(max_length=10, choices=ReportPhoto.Kind.choices)
    image = models.ImageField()
    thumbnail = models.ImageField()
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "reporter_public_photo"
        ordering = ["report_id", "id"]


class PublicStatusChange(models.Model):
    """A history entry meant for the public: creation and status changes with their public note
    (view `reporter_public_history`)."""

    report_id = models.IntegerField()
    from_status = models.CharField(max_length=20, choices=Report.Status.choices)
    to_status = models.CharField(max_length=20, choices=Report.Status.choices)
    note_public = models.TextField()
    kind = models.CharField(max_length=20)
    created_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "reporter_public_history"
        ordering = ["created_at", "id"]
