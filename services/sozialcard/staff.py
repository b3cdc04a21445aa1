"""The social welfare office's decision page of an application:
`/sachbearbeitung/sozialcard/<case id>/` (clerks of the case's departments only; 404 for
everybody else, so other departments learn nothing of it).

GET shows the persons with a proposed validity (today until the programme's longest) and
the three decisions; POST `action=approve` (per person `p<i>-approved`, `p<i>-category`,
`p<i>-valid_from`, `p<i>-valid_until`, ISO dates), `action=proof` (`text`) or
`action=reject` (`reason`) runs one service and redirects (303) to the case's work screen.
Every wrong input answers 400 (409 for a decided case) with the error summary and writes
nothing.
"""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from backoffice.views.access import not_found, staff_required
from cases.errors import CaseError, CaseInputError, CaseNotFound
from cases.selectors import case_get_for_staff
from cases.types import case_type_get

from .applications import (
    PersonDecision,
    application_approve,
    application_persons,
    application_proof_request,
    application_reject,
)
from .conf import SERVICE
from .models import Programme

__all__ = ["decision"]


class CaseDecided(CaseError):
    """The application is decided already (409)."""

    status_code = 409
    code = "case_decided"


def _date(value: str, *, field: str, name: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise CaseInputError(_("Bitte geben Sie für %(name)s ein gültiges Datum an (z. B. 2027-01-31).")
                             % {"name": name}, field=field) from None


def _decisions(post, *, persons: list[dict], programme: Programme) -> list[PersonDecision]:
    categories = {category.slug: category for category in programme.categories.all()}
    decisions = []
    for index, person in enumerate(persons):
        if post.get(f"p{index}-approved") != "on":
            decisions.append(PersonDecision(index=index, approved=False))
            continue
        category = categories.get(post.get(f"p{index}-category", ""))
        if category is None:
            raise CaseInputError(_("Bitte wählen Sie für %(name)s eine Ermäßigungsstufe.")
                                 % {"name": person["given_name"]}, field=f"p{index}-category")
        decisions.append(PersonDecision(
            index=index, approved=True, category=category,
            valid_from=_date(post.get(f"p{index}-valid_from"), field=f"p{index}-valid_from", name=person["given_name"]),
            valid_until=_date(post.get(f"p{index}-valid_until"), field=f"p{index}-valid_until",
                              name=person["given_name"])))
    return decisions


def _render(request, case, programme, *, errors=(), status=200):
    today = timezone.localdate()
    return render(request, "sozialcard/decision.html", {
        "case": case, "programme": programme, "persons": application_persons(case), "errors": list(errors),
        "categories": programme.categories.all(), "post": request.POST,
        "default_from": today.isoformat(),
        "default_until": (today + relativedelta(months=programme.max_validity_months) - timedelta(days=1)).isoformat(),
    }, status=status)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision(request, pk: int):
    """The decision page (see the module docstring)."""
    try:
        case = case_get_for_staff(user=request.user, pk=pk)
    except CaseNotFound:
        return not_found(request)
    if case.service != SERVICE:
        return not_found(request)
    programme = Programme.objects.prefetch_related("categories").get(slug=case.data.get("programme"))
    if request.method != "POST":
        return _render(request, case, programme)
    action = request.POST.get("action", "")
    try:
        if case_type_get(SERVICE).is_closed(case.status):
            raise CaseDecided(_("Über diesen Antrag ist schon entschieden."))
        if action == "approve":
            cards = application_approve(case=case, actor=request.user, decisions=_decisions(
                request.POST, persons=application_persons(case), programme=programme))
            messages.success(request, ngettext("Bewilligt: %(count)s Karte ausgestellt.",
                                               "Bewilligt: %(count)s Karten ausgestellt.", len(cards))
                             % {"count": len(cards)})
        elif action == "proof":
            application_proof_request(case=case, text=request.POST.get("text", ""), actor=request.user)
            messages.success(request, _("Der fehlende Nachweis wurde angefordert."))
        elif action == "reject":
            application_reject(case=case, reason=request.POST.get("reason", ""), actor=request.user)
            messages.success(request, _("Der Antrag wurde abgelehnt."))
        else:
            raise CaseInputError(_("Unbekannte Entscheidung."), field="action")
    except CaseError as exc:
        anchor = f"id_{exc.field}" if exc.field else "main"
        return _render(request, case, programme, errors=[(anchor, exc.message)], status=exc.status_code)
    response = redirect("cases:staff-detail", pk=case.pk)
    response.status_code = 303
    return response
