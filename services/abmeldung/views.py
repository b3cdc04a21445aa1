"""Pages of the deregistration abroad.

`/abmeldung-ausland/`: login at the configured level (default hoch; a lower one is sent to log
in again); the person from the identity, read only; the form with the moving date's window
(the dates spelt out); POST validates and files (303 to the receipt). Wrong input: the error
summary with 400 (503 when the office is not set up), nothing stored.
`/abmeldung-ausland/gesendet/<tracking token>/`: the receipt.
"""
import uuid

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.views.decorators.http import require_http_methods

from accounts.identity import identity_for
from cases.errors import CaseError, CaseNotFound
from cases.selectors import case_get_by_token
from eforms.definition import localized
from eforms.rendering import FormBinding
from eforms.services import submission_validate
from services.meldewesen import login_redirect, registered_person

from .conf import abmeldung_setting
from .services import abmeldung_file, form_definition_ensure, move_date_window

__all__ = ["abmeldung_new", "abmeldung_sent"]

_ANCHORS = {"move_date": "id_move_date", "new_country": "id_new_country"}


def _submission_key(request) -> str:
    key = request.POST.get("submission_key", "")
    return key if 0 < len(key) <= 100 and key.isascii() and key.replace("-", "").isalnum() else uuid.uuid4().hex


def _page(request, *, definition, binding, person, errors=(), status=200):
    earliest, latest = move_date_window()
    return render(request, "abmeldung/new.html", {
        "title": localized(definition.definition["title"]), "intro": localized(definition.definition.get("intro")),
        "binding": binding, "errors": list(errors), "person": person, "submission_key": _submission_key(request),
        "earliest": formats.date_format(earliest, "d.m.Y"), "latest": formats.date_format(latest, "d.m.Y"),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def abmeldung_new(request):
    """GET: the person and the form; POST: validate, file, redirect (303) to the receipt."""
    login = login_redirect(request, abmeldung_setting("TRUST_LEVEL"))
    if login is not None:
        return login
    definition = form_definition_ensure()
    person = registered_person(request)
    if person is None:
        return render(request, "abmeldung/no_identity.html", status=400 if request.method == "POST" else 200)
    if request.method != "POST":
        return _page(request, definition=definition, binding=FormBinding(definition.definition), person=person)
    # The person's fields are not in the form: whatever the request posts under their names is ignored.
    result = submission_validate(definition, request.POST, request.FILES)
    if not result.is_valid:
        return _page(request, definition=definition, binding=result.binding, person=person, errors=result.errors,
                     status=200 if result.binding.adding else 400)
    try:
        case, _created = abmeldung_file(
            person=person, values=result.values, owner=request.user,
            contact_email=identity_for(request).get("email") or request.user.email,
            language=translation.get_language() or "de", submission_key=_submission_key(request),
            form_version=f"{definition.slug}@{definition.version}")
    except CaseError as exc:
        return _page(request, definition=definition, binding=result.binding, person=person,
                     errors=[(_ANCHORS.get(exc.field, "main"), exc.message)], status=exc.status_code)
    response = redirect("abmeldung:sent", token=case.tracking_token)
    response.status_code = 303
    return response


@require_http_methods(["GET", "HEAD"])
def abmeldung_sent(request, token: str):
    """The receipt: reference number, what happens next, the way to the account."""
    try:
        view = case_get_by_token(token=token)
    except CaseNotFound:
        return render(request, "cases/not_found.html", status=404)
    response = render(request, "abmeldung/sent.html", {
        "view": view, "tracking_url": reverse("cases:tracking", args=[view.tracking_token])})
    response["Referrer-Policy"] = "same-origin"
    return response
