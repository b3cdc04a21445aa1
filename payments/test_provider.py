"""The test payment provider: a payment page in our own process (`/bezahlen/test/<token>/`)
where the citizen confirms, cancels, or lets the payment fail (to try that path). No money
moves; use it for development, the demo and tests, never in production.
"""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .providers import PaymentProvider

__all__ = ["TestPaymentProvider"]


class TestPaymentProvider(PaymentProvider):
    """Collects nothing: the page asks the citizen what the platform would answer."""

    __test__ = False  # not a pytest test class
    key = "test"
    label = _("Testzahlung (keine echte Zahlung)")

    def start(self, *, payment) -> str:
        return reverse("payments:test-page", args=[payment.token])
