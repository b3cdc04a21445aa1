"""Reads of payments."""
from django.utils.translation import gettext as _

from .errors import PaymentNotFound
from .models import Payment

__all__ = ["payment_get_by_token"]


def payment_get_by_token(*, token: str, owner=None) -> Payment:
    """The payment with this token (and this owner, if given); PaymentNotFound (404) otherwise."""
    payment = Payment.objects.filter(token=str(token or "")[:32]).first()
    if payment is None or (owner is not None and payment.owner_id != getattr(owner, "pk", None)):
        raise PaymentNotFound(_("Diese Zahlung gibt es nicht."))
    return payment
