"""Pages of the general request.

Citizens: `/anliegen/` renders the eforms definition (server-side, no JavaScript needed),
prefilled from the login's identity (the fields taken from it are marked), and files the
request; `/anliegen/gesendet/<token>/` shows the reference number and the tracking link.
Clerks: `/sachbearbeitung/anliegen/neu/` records a request taken by phone, at the counter,
by letter or email. Every wrong input answers with the error summary and its status code
(400, or 409/413/415 from `cases.errors`) and writes nothing.
"""
import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.identity import identity_for
from accounts.trust import current_trust_level
from backoffice.views.access import staff_required
from cases.errors import CaseError, CaseNotFound
from cases.selectors import case_get_for_staff
from cases.views.receipt import case_receipt, submission_key
from eforms.definition import localized
from eforms.prefill import prefill_from_claims
from eforms.rendering import FormBinding
from eforms.services import submission_validate

from .forms import StaffEntryForm
from .services import anliegen_file, form_definition_ensure

__all__ = ["anliegen_new", "anliegen_sent", "staff_new"]

# The form's own fields that become the case's columns; the rest stays in `Case.data`.
_CONTACT_KEYS = ("contact_email", "contact_phone", "contact_given_name", "contact_family_name")
_ANCHORS = {"topic": "id_topic_0", "description": "id_description", "attachments": "id_attachments",
            "contact_email": "id_contact_email", "contact_phone": "id_contact_phone"}


def _page(request, *, definition, binding, errors=(), status=200):
    return render(request, "anliegen/new.html", {
        "definition": definition, "title": localized(definition.definition["title"]),
        "intro": localized(definition.definition.get("intro")), "binding": binding, "errors": list(errors),
        "submission_key": submission_key(request), "prefilled": bool(binding.prefilled),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def anliegen_new(request):
    """GET: the empty (or prefilled) form; POST: validate, file, redirect (303) to the receipt."""
    definition = form_definition_ensure()
    logged_in = current_trust_level(request).rank > 0
    identity = prefill_from_claims(identity_for(request).values) if logged_in else None
    if request.method != "POST":
        return _page(request, definition=definition, binding=FormBinding(definition.definition, identity=identity))
    result = submission_validate(definition, request.POST, request.FILES, identity)
    if not result.is_valid:
        return _page(request, definition=definition, binding=result.binding, errors=result.errors,
                     status=200 if result.binding.adding else 400)
    values = result.values
    wants_reply = values.get("contact_wanted") == "ja"
    name = " ".join(v for v in (values.get("contact_given_name"), values.get("contact_family_name")) if v)
    try:
        case, _created = anliegen_file(
            topic=values["topic"], description=values["description"], attachments=values.get("attachments") or [],
            contact_name=name if wants_reply else "", contact_email=(values.get("contact_email") or "") if wants_reply
            else "", contact_phone=(values.get("contact_phone") or "") if wants_reply else "",
            owner=request.user if logged_in else None, language=translation.get_language() or "de",
            submission_key=submission_key(request), form_version=f"{definition.slug}@{definition.version}",
            data={"contact_wanted": values.get("contact_wanted")},
        )
    except CaseError as exc:
        return _page(request, definition=definition, binding=result.binding,
                     errors=[(_ANCHORS.get(exc.field, "main"), exc.message)], status=exc.status_code)
    response = redirect("anliegen:sent", token=case.tracking_token)
    response.status_code = 303
    return response


@require_http_methods(["GET", "HEAD"])
def anliegen_sent(request, token: str):
    """The receipt: reference number and tracking link (the token in the URL is the key)."""
    return case_receipt(request, token, "anliegen/sent.html")


def _errors_of(form) -> list[tuple[str, str]]:
    anchors = {"channel": "id_channel_0"}
    return [(anchors.get(name, form[name].auto_id) if name in form.fields else "main", message)
            for name, messages_ in form.errors.items() for message in messages_]


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_new(request):
    """A clerk records a request of another channel; success: the case's work screen (or,
    if it went to a department the clerk is not in, this page again with the reference)."""
    if request.method != "POST":
        form = StaffEntryForm(initial={"channel": "phone", "submission_key": uuid.uuid4().hex})
        return render(request, "anliegen/staff_new.html", {"form": form, "errors": []})
    form = StaffEntryForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "anliegen/staff_new.html", {"form": form, "errors": _errors_of(form)}, status=400)
    data = form.cleaned_data
    try:
        case, _created = anliegen_file(
            topic=data["topic"], description=data["description"], contact_name=data["contact_name"],
            contact_email=data["contact_email"], contact_phone=data["contact_phone"], channel=data["channel"],
            department=data["department"], attachments=data["attachments"],
            submission_key=data["submission_key"] or None, actor=request.user)
    except CaseError as exc:
        anchor = form[exc.field].auto_id if exc.field in form.fields else "main"
        return render(request, "anliegen/staff_new.html", {"form": form, "errors": [(anchor, exc.message)]},
                      status=exc.status_code)
    messages.success(request, _("Das Anliegen wurde als Vorgang %(ref)s erfasst (%(dep)s).") % {
        "ref": case.reference, "dep": case.department.name})
    try:
        case_get_for_staff(user=request.user, pk=case.pk)
    except CaseNotFound:
        target = reverse("anliegen:staff-new")
    else:
        target = reverse("cases:staff-detail", args=[case.pk])
    response = redirect(target)
    response.status_code = 303
    return response
