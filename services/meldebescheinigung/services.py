"""Writes of the registration certificate: make sure the form is in the database, take an
application (payment first), and file the case once the payment is paid.

`meldebescheinigung_apply` computes the fee (per certificate: the applicant and each household
member), and either files at once (fee 0) or stores a `PendingApplication` with a pending
`payments.Payment` in one transaction and returns the provider's URL. A re-send of the same
filling-in (submission key) returns the same application. `meldebescheinigung_file_paid` files
the case of a paid application; it is idempotent (the case's submission key is the
application's), so the payment signal and the citizen's return may both call it.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from cases.errors import CaseError
from cases.models import Case
from cases.services import case_create
from eforms.models import FormDefinition
from eforms.selectors import definition_current
from eforms.services import form_definition_create
from payments.models import Payment
from payments.providers import payment_provider_get
from payments.services import payment_create
from routing_rules.models import Department
from services.meldewesen import RegisteredPerson

from .conf import SERVICE, meldebescheinigung_setting
from .models import PendingApplication

__all__ = ["DEFINITION_FILE", "ApplyOutcome", "ServiceUnavailable", "case_data_build", "department_get", "fee_cents",
           "form_definition_ensure", "meldebescheinigung_application_drop", "meldebescheinigung_apply",
           "meldebescheinigung_file", "meldebescheinigung_file_paid"]

DEFINITION_FILE = Path(__file__).resolve().parents[2] / "eforms" / "definitions" / "meldebescheinigung.json"
_KIND_TITLES = {"einfach": "Einfache Meldebescheinigung", "erweitert": "Erweiterte Meldebescheinigung"}


class ServiceUnavailable(CaseError):
    """The registration office is not configured (503)."""

    status_code = 503


@dataclass(frozen=True)
class ApplyOutcome:
    """Where the citizen goes next: the payment page (`case` None) or the receipt of `case`."""

    url: str
    case: Case | None = None


def form_definition_ensure() -> FormDefinition:
    """The newest active version of the form; version 1 from the bundled file if there is none."""
    slug = meldebescheinigung_setting("FORM_SLUG")
    current = definition_current(slug=slug)
    if current is not None:
        return current
    with transaction.atomic():
        return form_definition_create(slug=slug, definition=json.loads(DEFINITION_FILE.read_text(encoding="utf-8")))


def department_get() -> Department:
    """The registration office; ServiceUnavailable (503) if the city has not set it up."""
    department = Department.objects.filter(slug=meldebescheinigung_setting("DEPARTMENT")).first()
    if department is None:
        raise ServiceUnavailable(_("Diese Leistung ist im Moment nicht verfügbar. Bitte versuchen Sie es später."))
    return department


def fee_cents(*, kind: str, persons: int) -> int:
    """The fee in cent: one certificate per person, at the rate of its kind."""
    rate = meldebescheinigung_setting("FEE_EXTENDED_CENTS" if kind == "erweitert" else "FEE_SIMPLE_CENTS")
    return int(rate) * max(1, persons)


def case_data_build(*, person: RegisteredPerson, values: dict) -> dict:
    """The case's form contents: the form's values, the person, the fee in cent."""
    members = (values.get("members") or []) if values.get("for_whom") == "haushalt" else []
    return {"kind": values["kind"], "for_whom": values["for_whom"], "members": members,
            "purpose": values.get("purpose") or "", "delivery": values["delivery"], "person": person.as_data(),
            "fee_cents": fee_cents(kind=values["kind"], persons=1 + len(members))}


def meldebescheinigung_file(*, data: dict, owner, contact_email: str, language: str, submission_key: str,
          form_version: str) -> Case:
    with translation.override(settings.LANGUAGE_CODE):  # stored for the clerks: the site's language
        title = _KIND_TITLES[data["kind"]]
    person = data["person"]
    case, _created = case_create(
        service=SERVICE, department=department_get(), title=title, data=data, form_version=form_version,
        contact_name=f"{person['given_name']} {person['family_name']}", contact_email=contact_email, owner=owner,
        language=language, submission_key=submission_key)
    return case


def meldebescheinigung_apply(*, person: RegisteredPerson, values: dict, owner, contact_email: str = "",
                             language: str = "de", submission_key: str, form_version: str) -> ApplyOutcome:
    """Take a validated application: to the payment (pending), or filed at once when free."""
    department_get()  # refuse before anything is written
    data = case_data_build(person=person, values=values)
    if data["fee_cents"] == 0:
        case = meldebescheinigung_file(data=data, owner=owner, contact_email=contact_email, language=language,
                     submission_key=f"mb-{submission_key}", form_version=form_version)
        return ApplyOutcome(url=reverse("meldebescheinigung:sent", args=[case.tracking_token]), case=case)
    existing = PendingApplication.objects.filter(submission_key=submission_key, owner=owner).select_related(
        "payment").first()
    if existing is None:
        with transaction.atomic():
            with translation.override(settings.LANGUAGE_CODE):
                purpose = _("Meldebescheinigung")
            payment = payment_create(amount_cents=data["fee_cents"], purpose=purpose, service=SERVICE, owner=owner,
                                     return_url="")
            payment.return_url = reverse("meldebescheinigung:payment-return", args=[payment.token])
            payment.save(update_fields=["return_url"])
            existing = PendingApplication.objects.create(
                submission_key=submission_key, owner=owner, payment=payment, data=data, contact_email=contact_email,
                language=language, form_version=form_version)
    payment = existing.payment
    if payment.status == Payment.Status.PAID:
        case = meldebescheinigung_file_paid(application=existing)
        return ApplyOutcome(url=reverse("meldebescheinigung:sent", args=[case.tracking_token]), case=case)
    return ApplyOutcome(url=payment_provider_get(payment.provider).start(payment=payment))


def meldebescheinigung_file_paid(*, application: PendingApplication) -> Case | None:
    """File the case of a paid application (once); None while the payment is not paid."""
    with transaction.atomic():
        application = PendingApplication.objects.select_for_update(of=("self",)).select_related("payment", "case").get(
            pk=application.pk)
        if application.case is not None:
            return application.case
        if application.payment.status != Payment.Status.PAID:
            return None
        data = {**application.data, "payment": {"provider": application.payment.provider,
                                                "reference": application.payment.provider_reference,
                                                "amount_cents": application.payment.amount_cents}}
        case = meldebescheinigung_file(data=data, owner=application.owner, contact_email=application.contact_email,
                     language=application.language, submission_key=f"mb-{application.token}",
                     form_version=application.form_version)
        application.case = case
        application.data = {}  # the case holds the values now
        application.save(update_fields=["case", "data"])
    return case


def meldebescheinigung_application_drop(*, payment: Payment) -> int:
    """A cancelled or failed payment: delete the waiting application (nothing is filed)."""
    deleted, _rows = PendingApplication.objects.filter(payment=payment, case__isnull=True).delete()
    return deleted
