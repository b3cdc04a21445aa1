"""Citizen identities: the link of a Django user (never staff) to an identity provider's
subject, and the one-time email login links.

A citizen is an ordinary `settings.AUTH_USER_MODEL` row with `is_staff=False` and no usable
password; what makes it a citizen account is an `Identity` (OpenID Connect) or an email
address used for an email login.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.catalogue import TrustLevel

__all__ = ["EmailLoginToken", "Identity"]


class Identity(models.Model):
    """One OpenID Connect identity (issuer + subject) of a citizen account.

    `claims` is a minimal snapshot for form prefill (given/family name, address, birthdate),
    refreshed on every login; nothing else from the ID token is kept (data minimisation,
    DSGVO Art. 5 (1) c).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities")
    issuer = models.URLField(_("Aussteller"), max_length=500)
    subject = models.CharField(_("Kennung beim Aussteller"), max_length=255)
    trust_level = models.CharField(_("Vertrauensniveau der letzten Anmeldung"), max_length=32,
                                   choices=TrustLevel.choices)
    claims = models.JSONField(_("Angaben der Identität"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Identität")
        verbose_name_plural = _("Identitäten")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_identity_issuer_subject_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class EmailLoginToken(models.Model):
    """A one-time email login link: only the SHA-256 of its secret is stored; `used_at` makes
    it single use; it expires `ACCOUNTS["EMAIL_LOGIN_MAX_AGE"]` seconds after `created_at`."""

    email = models.EmailField(_("E-Mail-Adresse"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Anmeldelink")
        verbose_name_plural = _("Anmeldelinks")
        indexes = [models.Index(fields=["email", "created_at"], name="accounts_emaillogin_email_idx")]

    def __str__(self) -> str:
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"
