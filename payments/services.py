"""Writes of payments: create one, move it to a final state (idempotently), cancel the ones
left pending (`payments_expire`, hourly by beat).

Every write runs in one transaction; `payment_finished` is sent only after commit, so a
rolled-back change announces nothing.
"""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import payments_setting
from .errors import PaymentError, PaymentStateError
from .models import Payment
from .providers import payment_provider
from .signals import payment_finished

__all__ = ["payment_create", "payment_status_set", "payments_expire"]


def payment_create(*, amount_cents: int, purpose: str, service: str, return_url: str, owner=None) -> Payment:
    """A pending payment with the provider in use; the caller sends the citizen to
    `payment_provider_get(payment.provider).start(payment=payment)`."""
    if not isinstance(amount_cents, int) or amount_cents <= 0:
        raise PaymentError(_("Der Betrag muss größer als null sein."))
    provider = payment_provider()
    return Payment.objects.create(amount_cents=amount_cents, purpose=str(purpose)[:140], service=service,
                                  return_url=return_url[:500], owner=owner, provider=provider.key,
                                  currency=payments_setting("CURRENCY"))


def payment_status_set(*, payment: Payment, status: str, provider_reference: str = "") -> tuple[Payment, bool]:
    """Move a pending payment to a final state; returns (payment, changed).

    The same state again is a no-op (changed False): providers may notify twice. Another final
    state is refused with PaymentStateError (409): a paid payment is never cancelled here.
    """
    if status not in Payment.FINAL:
        raise PaymentError(_("Unbekannter Zahlungsstatus."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == status:
            return payment, False
        if payment.is_final:
            raise PaymentStateError(_("Diese Zahlung ist bereits abgeschlossen (%(status)s).")
                                    % {"status": payment.get_status_display()})
        payment.status = status
        payment.finished_at = timezone.now()
        payment.provider_reference = str(provider_reference)[:100] or payment.provider_reference
        payment.save(update_fields=["status", "finished_at", "provider_reference"])
        transaction.on_commit(lambda: payment_finished.send(sender=Payment, payment=payment))
    return payment, True


def payments_expire(*, now=None) -> int:
    """Cancel every payment pending longer than `PENDING_EXPIRY_HOURS`; the services drop what
    waited for it (signal `payment_finished`, sent on commit). Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=payments_setting("PENDING_EXPIRY_HOURS"))
    expired = 0
    for payment in Payment.objects.filter(status=Payment.Status.PENDING, created_at__lt=cutoff):
        try:
            _payment, changed = payment_status_set(payment=payment, status=Payment.Status.CANCELLED)
        except PaymentStateError:
            continue  # finished meanwhile (the citizen paid at the last moment)
        expired += changed
    return expired
