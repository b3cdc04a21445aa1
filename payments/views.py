"""The test provider's payment page `/bezahlen/test/<token>/` (works without JavaScript).

GET shows amount and purpose with three buttons; POST (action pay / cancel / fail) sets the
state through `payments.services.payment_status_set` and sends the citizen back (303) to the
service's return URL. Only the account that pays may open it (404 for anyone else); a payment
of another provider is 404 here; an action on a payment already in another final state is
409 with the message on the page.
"""
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .errors import PaymentError
from .models import Payment
from .selectors import payment_get_by_token
from .services import payment_status_set
from .test_provider import TestPaymentProvider

__all__ = ["test_payment_page"]

_ACTIONS = {"bezahlen": Payment.Status.PAID, "abbrechen": Payment.Status.CANCELLED,
            "fehlschlagen": Payment.Status.FAILED}


def _page(request, payment, *, error="", status=200):
    return render(request, "payments/test_page.html", {
        "payment": payment, "amount": f"{payment.amount_cents / 100:.2f}".replace(".", ","), "error": error},
        status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def test_payment_page(request, token: str):
    try:
        payment = payment_get_by_token(token=token, owner=request.user if request.user.is_authenticated else None)
        if payment.provider != TestPaymentProvider.key or not request.user.is_authenticated:
            raise PaymentError("")
    except PaymentError:
        return render(request, "payments/not_found.html", status=404)
    if request.method != "POST":
        return _page(request, payment)
    action = request.POST.get("action", "")
    if action not in _ACTIONS:
        return _page(request, payment, error=_("Bitte wählen Sie, ob Sie bezahlen oder abbrechen."), status=400)
    try:
        payment, _changed_now = payment_status_set(payment=payment, status=_ACTIONS[action],
                                               provider_reference=f"test-{payment.pk}")
    except PaymentError as exc:
        return _page(request, payment, error=exc.message, status=exc.status_code)
    response = redirect(payment.return_url)
    response.status_code = 303
    return response
