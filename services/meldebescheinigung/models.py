"""An application waiting for its payment (the values of the form, the person, the fee).

It lives from the form's submission until the payment is final: paid → a case is filed and
the values are cleared (the case holds them); cancelled or failed → the row is deleted.
"""
import secrets

from django.conf import settings
from django.db import models

__all__ = ["PendingApplication"]


def _token() -> str:
    return secrets.token_urlsafe(16)


class PendingApplication(models.Model):
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    submission_key = models.CharField(max_length=100, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    payment = models.OneToOneField("payments.Payment", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    contact_email = models.EmailField(blank=True)
    language = models.CharField(max_length=10, default="de")
    form_version = models.CharField(max_length=60, blank=True)
    case = models.OneToOneField("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.token} ({self.payment_id})"
