"""A payment of a fee: amount in cents, state, provider and its reference. No personal data
beyond the paying account (see the package docstring)."""
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Payment"]


def _token() -> str:
    return secrets.token_urlsafe(16)


class Payment(models.Model):
    """One payment. `token` is the public key in URLs (the payment page, the way back)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("offen")
        PAID = "paid", _("bezahlt")
        FAILED = "failed", _("fehlgeschlagen")
        CANCELLED = "cancelled", _("abgebrochen")

    FINAL = frozenset({Status.PAID, Status.FAILED, Status.CANCELLED})

    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    provider = models.CharField(_("Zahlungsanbieter"), max_length=40)
    provider_reference = models.CharField(_("Referenz des Anbieters"), max_length=100, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    amount_cents = models.PositiveIntegerField(_("Betrag in Cent"))
    currency = models.CharField(_("Währung"), max_length=3, default="EUR")
    purpose = models.CharField(_("Verwendungszweck"), max_length=140)
    service = models.SlugField(_("Leistung"), max_length=60)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="payments", verbose_name=_("Konto"))
    return_url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="payments_amount_positive")]

    def __str__(self) -> str:
        return f"{self.service} {self.amount_cents / 100:.2f} {self.currency} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL
