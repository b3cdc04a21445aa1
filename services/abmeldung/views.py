"""Pages of the deregistration abroad.

`/abmeldung-ausland/`: login at the configured level (default hoch; a lower one is sent to log
in again); the person from the identity, read only; the form with the moving date's window
(the dates spelt out); POST validates and files (303 to the receipt). Wrong input: the error
summary with 400 (503 when the office is not set up), nothing stored.
`/abmeldung-ausland/gesendet/<tracking token>/`: the receipt.
"""
from django.shortcuts import redirect, render
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.identity import identity_for
from cases.errors import CaseError
from cases.views.receipt import case_receipt, submission_key
from eforms.definition import localized
from services.meldewesen import PersonApplication, person_application

from .conf import abmeldung_setting
from .services import abmeldung_file, form_definition_ensure, move_date_window

__all__ = ["abmeldung_new", "abmeldung_sent"]

_ANCHORS = {"move_date": "id_move_date", "new_country": "id_new_country"}


def _page(request, *, definition, binding, person, errors=(), status=200):
    earliest, latest = move_date_window()
    return render(request, "abmeldung/new.html", {
        "title": localized(definition.definition["title"]), "intro": localized(definition.definition.get("intro")),
        "binding": binding, "errors": list(errors), "person": person, "submission_key": submission_key(request),
        "earliest": formats.date_format(earliest, "d.m.Y"), "latest": formats.date_format(latest, "d.m.Y"),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def abmeldung_new(request):
    """GET: the person and the form; POST: validate, file, redirect (303) to the receipt."""
    definition = form_definition_ensure()
    step = person_application(request, trust_level=abmeldung_setting("TRUST_LEVEL"), definition=definition,
                              page=_page, title=_("Abmeldung ins Ausland"))
    if not isinstance(step, PersonApplication):
        return step
    person, result = step.person, step.result
    try:
        case, _created = abmeldung_file(
            person=person, values=result.values, owner=request.user,
            contact_email=identity_for(request).get("email") or request.user.email,
            language=translation.get_language() or "de", submission_key=submission_key(request),
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
    return case_receipt(request, token, "abmeldung/sent.html")
