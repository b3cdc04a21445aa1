"""A report's public page `/meldungen/<id>/`, its tracking page `/verfolgen/<token>/`, "me too",
reopening by the reporter, and "my reports". Opening the tracking page while logged in as a
citizen records the report in the account.

The pages show public data only (category, department, status timeline with public notes,
the location, moderated photos, the moderated description), never the reporter's contact
data or internal notes: they read through `report_get_public` / `report_get_by_token`.
Unknown ids and tokens give a 404 page. "Me too" and reopening are plain form POSTs (they
work without JavaScript) answered with a redirect and a message (POST/redirect/GET).
"""
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.trust import citizen_user
from config.client_ip import client_ip
from geodata.selectors import address_nearest
from reporter import selectors, services
from reporter.account import report_claim
from reporter.models import Report
from reporter.public import public_decimals
from reporter.workflow import TransitionNotAllowed

from ..forms import ReopenForm, SupportForm

REOPENABLE = (Report.Status.RESOLVED, Report.Status.NOT_FIXABLE)


def report_detail(request, pk: int):
    report = selectors.report_get_public(pk=pk)
    if report is None:
        return _not_found(request)
    return _render(request, report=report, tracking=False)


def report_track(request, token: str):
    """The reporter's tracking page; a logged-in citizen opening it gets the report in their
    account ("Mein Konto"), once."""
    report = selectors.report_get_by_token(token=token)
    if report is None:
        return _not_found(request)
    report_claim(report_id=report.pk, user=citizen_user(request))
    return _render(request, report=report, tracking=True, token=token)


@require_POST
def report_support(request, pk: int):
    """"Ich auch": count one supporter (a salted hash of address and browser, not an identity)."""
    report = selectors.report_get_public(pk=pk)
    if report is None:
        return _not_found(request)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return _render(request, report=report, tracking=False, support_form=form, status=400)
    key = services.supporter_key_make(remote_addr=client_ip(request),
                                      user_agent=request.META.get("HTTP_USER_AGENT", ""))
    try:
        report, created = services.report_support(report=report, supporter_key=key)
        email = form.cleaned_data["email"]
        if email:
            services.report_follow(report=report, email=email, language=(translation.get_language() or "de")[:2])
    except TransitionNotAllowed:
        messages.error(request, _("Diese Meldung ist bereits abgeschlossen und kann nicht mehr unterstützt werden."))
    else:
        if created:
            messages.success(request, _("Danke! Ihre Unterstützung wurde gezählt."))
        else:
            messages.info(request, _("Sie haben diese Meldung bereits unterstützt."))
        if email:
            messages.success(request, _("Wir schreiben Ihnen an %(email)s, wenn sich der Stand ändert.") % {
                "email": email})
    return redirect("frontend:report-detail", pk=pk)


@require_POST
def report_reopen(request, token: str):
    """The reporter says a resolved (or not fixable) report is not fixed: back to open, with a note."""
    report = selectors.report_get_by_token(token=token)
    if report is None:
        return _not_found(request)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _render(request, report=report, tracking=True, token=token, reopen_form=form, status=400)
    try:
        services.report_reopen_by_reporter(report=report, note=form.cleaned_data["note"])
    except TransitionNotAllowed:
        form.add_error("note", _("Diese Meldung ist nicht abgeschlossen und kann daher nicht wieder geöffnet werden."))
        response = _render(request, report=report, tracking=True, token=token, reopen_form=form, status=409)
        transaction.set_rollback(True)  # after rendering: the page still reads (the nearest address)
        return response
    messages.success(request, _("Danke! Die Meldung ist wieder offen; die zuständige Stelle sieht Ihren Hinweis."))
    return redirect("frontend:report-track", token=token)


def my_reports(request):
    """The list lives in the browser (localStorage and the offline queue); the page is a shell."""
    return render(request, "frontend/my_reports.html")


def _render(request, *, report, tracking: bool, token: str = "", reopen_form=None, support_form=None, status=200):
    can_reopen = tracking and report.status in REOPENABLE
    if can_reopen and reopen_form is None:
        reopen_form = ReopenForm()
    history = [h for h in report.public_history if h.kind == "created" or h.to_status != h.from_status
               or h.note_public]
    context = {
        "report": report, "tracking": tracking, "token": token, "history": history, "photos": report.public_photos,
        # The public location, written with the public precision (reporter.public).
        "lon": f"{report.location.x:.{public_decimals()}f}", "lat": f"{report.location.y:.{public_decimals()}f}",
        "is_public": report.is_public,
        "can_reopen": can_reopen, "reopen_form": reopen_form if can_reopen else None,
        "errors": [], "address_line": _address_line(report), "support_form": support_form or SupportForm(),
    }
    if support_form is not None:
        context["errors"] = [(support_form["email"].auto_id, str(m)) for m in support_form.errors.get("email", [])]
    if reopen_form is not None and reopen_form.is_bound:
        anchor = reopen_form["note"].auto_id if can_reopen else "history-title"
        context["errors"] = [(anchor, str(m)) for m in reopen_form.errors.get("note", [])]
    return render(request, "frontend/report_detail.html", context, status=status)


def _address_line(report) -> str:
    """The report's address, or the nearest one ("nahe Rathausstraße 5" when farther than
    GEODATA["ADDRESS_AT_M"] from the house); "" when there is none (the page shows coordinates)."""
    nearest = address_nearest(point=report.location)
    if report.address and (nearest is None or nearest.address.name != report.address):
        return report.address
    if nearest is None:
        return ""
    return _("nahe %(address)s") % {"address": nearest.address.name} if nearest.is_near else nearest.address.name


def _not_found(request):
    return render(request, "frontend/report_not_found.html", status=404)
