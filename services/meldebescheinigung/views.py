"""Pages of the registration certificate.

`/meldebescheinigung/`: login at the configured level (a lower one is sent to log in again);
the person (name, date of birth, address) from the login's identity, read only; the form
(eforms definition, no JavaScript needed) with the fees; POST validates, stores the
application and sends the citizen to the payment (303). Wrong input: the error summary with
400 (503 when the office is not set up), nothing stored.
`/meldebescheinigung/zahlung/<payment token>/`: back from the payment: paid → the receipt
(303); cancelled or failed → what happened, nothing filed; pending → please wait.
`/meldebescheinigung/gesendet/<tracking token>/`: the receipt.
"""
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.identity import identity_for
from cases.errors import CaseError
from cases.views.receipt import case_receipt, submission_key
from eforms.definition import localized
from payments.errors import PaymentError
from payments.models import Payment
from payments.selectors import payment_get_by_token
from services.meldewesen import PersonApplication, person_application

from .conf import meldebescheinigung_setting
from .models import PendingApplication
from .services import form_definition_ensure, meldebescheinigung_apply, meldebescheinigung_file_paid

__all__ = ["meldebescheinigung_new", "meldebescheinigung_sent", "payment_return"]


def _euro(cents: int) -> str:
    return f"{cents / 100:.2f}".replace(".", ",")


def _submission_key(request) -> str:
    # Prefixed "mb-" for the case (`meldebescheinigung_apply`): 60 leaves room in the column.
    return submission_key(request, max_length=60)


def _page(request, *, definition, binding, person, errors=(), status=200):
    return render(request, "meldebescheinigung/new.html", {
        "title": localized(definition.definition["title"]), "intro": localized(definition.definition.get("intro")),
        "binding": binding, "errors": list(errors), "person": person, "submission_key": _submission_key(request),
        "fee_simple": _euro(meldebescheinigung_setting("FEE_SIMPLE_CENTS")),
        "fee_extended": _euro(meldebescheinigung_setting("FEE_EXTENDED_CENTS")),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def meldebescheinigung_new(request):
    """GET: the person and the form; POST: validate, store, off to the payment (303)."""
    definition = form_definition_ensure()
    step = person_application(request, trust_level=meldebescheinigung_setting("TRUST_LEVEL"), definition=definition,
                              page=_page, title=_("Meldebescheinigung beantragen"))
    if not isinstance(step, PersonApplication):
        return step
    person, result = step.person, step.result
    try:
        outcome = meldebescheinigung_apply(
            person=person, values=result.values, owner=request.user,
            contact_email=identity_for(request).get("email") or request.user.email,
            language=translation.get_language() or "de", submission_key=_submission_key(request),
            form_version=f"{definition.slug}@{definition.version}")
    except (CaseError, PaymentError) as exc:
        return _page(request, definition=definition, binding=result.binding, person=person,
                     errors=[("main", exc.message)], status=exc.status_code)
    response = redirect(outcome.url)
    response.status_code = 303
    return response


@require_http_methods(["GET", "HEAD"])
def payment_return(request, token: str):
    """The citizen back from the payment page (the account that paid only; 404 otherwise)."""
    if not request.user.is_authenticated:
        return render(request, "payments/not_found.html", status=404)
    try:
        payment = payment_get_by_token(token=token, owner=request.user)
    except PaymentError:
        return render(request, "payments/not_found.html", status=404)
    if payment.status == Payment.Status.PAID:
        application = PendingApplication.objects.filter(payment=payment).first()
        case = meldebescheinigung_file_paid(application=application) if application else None
        if case is not None:
            response = redirect("meldebescheinigung:sent", token=case.tracking_token)
            response.status_code = 303
            return response
    return render(request, "meldebescheinigung/payment.html", {
        "payment": payment, "amount": _euro(payment.amount_cents), "new_url": reverse("meldebescheinigung:new")})


@require_http_methods(["GET", "HEAD"])
def meldebescheinigung_sent(request, token: str):
    """The receipt: reference number, what happens next, the way to the account."""
    return case_receipt(request, token, "meldebescheinigung/sent.html")
