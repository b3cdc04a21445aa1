"""The reports in the citizen account: the status-email switch per report
(`/konto/meldungen/<id>/benachrichtigungen/`, a plain form POST answered 303 to the account
page; works without JavaScript). Anonymous visitors are sent to the login; a report that is
not in the account gives 404.
"""
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.trust import login_required_at
from portal.catalogue import TrustLevel
from reporter.account import ReportNotOwned, report_notify_set

from ..notify_switch import NotifySwitchForm, notify_switch_refused, see_other

__all__ = ["report_notify"]


@login_required_at(TrustLevel.BASISREGISTRIERUNG)
@require_POST
def report_notify(request, pk: int):
    """POST `notify`=1|0: the status emails of my report #pk on or off."""
    form = NotifySwitchForm(request.POST)
    if not form.is_valid():
        return notify_switch_refused(request, form, back_url=reverse("accounts:account"))
    try:
        report = report_notify_set(user=request.user, report_id=pk, notify=form.cleaned_data["notify"])
    except ReportNotOwned:
        return render(request, "frontend/report_not_found.html", status=404)
    if report.notify_reporter:
        messages.success(request, _("Sie erhalten wieder E-Mails zu Ihrer Meldung #%(id)s.") % {"id": report.pk})
    else:
        messages.success(request, _("Sie erhalten keine E-Mails mehr zu Ihrer Meldung #%(id)s.") % {"id": report.pk})
    return see_other(f"{reverse('accounts:account')}#meldung-{report.pk}")
