"""The citizen pages of the Sozialcard (German paths: the city's language).

`/sozialcard/`: what the programmes are, who gets a card, what to prove, and where it
counts (partners and their discounts) — public data only.
`/sozialcard/<programme>/antrag/`: the application (the eforms definition, prefilled from
the login), at the login level the programme needs (a lower login is sent to log in again);
every wrong input answers with the error summary and its status code and writes nothing.
`/sozialcard/verlaengern/<case id>/`: the renewal of an approved application of the owner
(`renewal`): the same form, the household prefilled, a new proof required; filed as a new
case linked to the earlier one. Anybody else: 404.
`/sozialcard/gesendet/<token>/`: the reference number and the tracking link.
"""
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from accounts.identity import identity_for
from accounts.trust import login_required_at, login_url
from cases.errors import CaseError
from cases.views.receipt import case_receipt, submission_key
from eforms.definition import localized
from eforms.prefill import prefill_from_claims
from eforms.rendering import FormBinding
from eforms.services import submission_validate
from portal.catalogue import TrustLevel

from .applications import application_file, form_definition_ensure
from .conf import sozialcard_setting
from .models import Programme
from .renewal import renewal_case_for_owner, renewal_prefill
from .selectors import partner_list_public, programme_list_public

__all__ = ["sozialcard_apply", "sozialcard_renew", "sozialcard_sent", "sozialcard_start"]


def sozialcard_start(request):
    """The public start page: programmes and partners."""
    return render(request, "sozialcard/start.html", {
        "programmes": programme_list_public(), "partners": partner_list_public()})


def _page(request, *, programme, definition, binding, errors=(), status=200, renewal_of=None):
    return render(request, "sozialcard/apply.html", {
        "programme": programme, "definition": definition, "title": localized(definition.definition["title"]),
        "intro": localized(definition.definition.get("intro")), "binding": binding, "errors": list(errors),
        "submission_key": submission_key(request), "prefilled": bool(binding.prefilled), "renewal_of": renewal_of,
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


@require_http_methods(["GET", "HEAD", "POST"])
def sozialcard_renew(request, pk: int):
    """The renewal of the owner's approved application `pk`, behind the programme's login level."""
    earlier = renewal_case_for_owner(user=request.user, pk=pk)
    programme = None
    if earlier is not None:
        programme = Programme.objects.filter(slug=earlier.data.get("programme"), is_active=True).first()
    if programme is None:
        if not request.user.is_authenticated:  # log in first; whose case it is is told after
            return redirect(login_url(TrustLevel(sozialcard_setting("TRUST_LEVEL")), request.get_full_path()))
        raise Http404
    return login_required_at(programme.trust_level)(_apply)(request, programme, renewal_of=earlier)


def _apply(request, programme: Programme, renewal_of=None):
    definition = form_definition_ensure()
    identity = prefill_from_claims(identity_for(request).values)
    members = []
    if renewal_of is not None:
        earlier, members = renewal_prefill(renewal_of)
        identity = {**earlier, **identity}  # the login's own claims win
    page = {"programme": programme, "definition": definition, "renewal_of": renewal_of}
    if request.method != "POST":
        return _page(request, **page, binding=FormBinding(definition.definition, identity=identity,
                                                          group_initial={"members": members}))
    result = submission_validate(definition, request.POST, request.FILES, identity)
    if not result.is_valid:
        return _page(request, **page, binding=result.binding, errors=result.errors,
                     status=200 if result.binding.adding else 400)
    try:
        case, _created = application_file(
            programme=programme, values=result.values, owner=request.user,
            language=translation.get_language() or "de", submission_key=submission_key(request),
            form_version=f"{definition.slug}@{definition.version}", renewal_of=renewal_of)
    except CaseError as exc:
        return _page(request, **page, binding=result.binding, errors=[(_anchor(exc.field), exc.message)],
                     status=exc.status_code)
    response = redirect("sozialcard:sent", token=case.tracking_token)
    response.status_code = 303
    return response


@require_http_methods(["GET", "HEAD"])
def sozialcard_sent(request, token: str):
    """The receipt: reference number and tracking link (the token in the URL is the key)."""
    return case_receipt(request, token, "sozialcard/sent.html")
