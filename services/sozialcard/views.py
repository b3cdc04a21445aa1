"""The citizen pages of the Sozialcard (German paths: the city's language).

`/sozialcard/`: what the programmes are, who gets a card, what to prove, and where it
counts (partners and their discounts) — public data only.
`/sozialcard/<programme>/antrag/`: the application (the eforms definition, prefilled from
the login), at the login level the programme needs (a lower login is sent to log in again);
every wrong input answers with the error summary and its status code and writes nothing.
`/sozialcard/gesendet/<token>/`: the reference number and the tracking link.
"""
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from accounts.identity import identity_for
from accounts.trust import login_required_at
from cases.errors import CaseError
from cases.views.receipt import case_receipt, submission_key
from eforms.definition import localized
from eforms.prefill import prefill_from_claims
from eforms.rendering import FormBinding
from eforms.services import submission_validate

from .applications import application_file, form_definition_ensure
from .models import Programme
from .selectors import partner_list_public, programme_list_public

__all__ = ["sozialcard_apply", "sozialcard_sent", "sozialcard_start"]


def sozialcard_start(request):
    """The public start page: programmes and partners."""
    return render(request, "sozialcard/start.html", {
        "programmes": programme_list_public(), "partners": partner_list_public()})


def _page(request, *, programme, definition, binding, errors=(), status=200):
    return render(request, "sozialcard/apply.html", {
        "programme": programme, "definition": definition, "title": localized(definition.definition["title"]),
        "intro": localized(definition.definition.get("intro")), "binding": binding, "errors": list(errors),
        "submission_key": submission_key(request), "prefilled": bool(binding.prefilled),
    }, status=status)


def _anchor(field: str) -> str:
    return f"id_{field}" if field else "main"


@require_http_methods(["GET", "HEAD", "POST"])
def sozialcard_apply(request, programme: str):
    """The application for `programme`, behind the programme's login level."""
    found = Programme.objects.filter(slug=programme, is_active=True).select_related("department").first()
    if found is None:
        raise Http404
    return login_required_at(found.trust_level)(_apply)(request, found)


def _apply(request, programme: Programme):
    definition = form_definition_ensure()
    identity = prefill_from_claims(identity_for(request).values)
    if request.method != "POST":
        return _page(request, programme=programme, definition=definition,
                     binding=FormBinding(definition.definition, identity=identity))
    result = submission_validate(definition, request.POST, request.FILES, identity)
    if not result.is_valid:
        return _page(request, programme=programme, definition=definition, binding=result.binding,
                     errors=result.errors, status=200 if result.binding.adding else 400)
    try:
        case, _created = application_file(
            programme=programme, values=result.values, owner=request.user,
            language=translation.get_language() or "de", submission_key=submission_key(request),
            form_version=f"{definition.slug}@{definition.version}")
    except CaseError as exc:
        return _page(request, programme=programme, definition=definition, binding=result.binding,
                     errors=[(_anchor(exc.field), exc.message)], status=exc.status_code)
    response = redirect("sozialcard:sent", token=case.tracking_token)
    response.status_code = 303
    return response


@require_http_methods(["GET", "HEAD"])
def sozialcard_sent(request, token: str):
    """The receipt: reference number and tracking link (the token in the URL is the key)."""
    return case_receipt(request, token, "sozialcard/sent.html")
