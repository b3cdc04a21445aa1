"""Clients allowed to file service requests through Open311, and which client filed which report.

Reading is open to everybody; POSTing a service request needs an `api_key` (GeoReport v2,
"API Keys"). Only the SHA-256 of a key is stored; the key itself is shown once, when it is
made (`manage.py create_open311_key NAME` or the admin).
"""
import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Open311Client", "Open311Submission"]


class Open311Client(models.Model):
    """An application (another portal, a city app) that may file service requests."""

    name = models.CharField(_("Name"), max_length=200, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # First characters of the key, so people can tell keys apart.
    key_prefix = models.CharField(_("Anfang des Schlüssels"), max_length=8, editable=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311-Client")
        verbose_name_plural = _("Open311-Clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest(raw_key: str) -> str:
        """Hex SHA-256 of a key: what is stored and looked up."""
        return hashlib.sha256(raw_key.encode()).hexdigest()


class Open311Submission(models.Model):
    """The report a client filed (so a key's reports can be found when it is abused)."""

    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="submissions",
                               verbose_name=_("Client"))
    report = models.OneToOneField("reporter.Report", on_delete=models.CASCADE, related_name="open311_submission",
                                  verbose_name=_("Meldung"))
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-Meldung")
        verbose_name_plural = _("Open311-Meldungen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} → #{self.report_id}"
