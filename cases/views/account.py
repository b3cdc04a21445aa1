"""The owner's pages of cases under `/konto/vorgaenge/`: the download of a file of their case
and the email switch per case (a plain form POST answered 303 to the account page, works
without JavaScript). Anonymous visitors are sent to the login; another citizen gets 404.
"""
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.trust import login_required_at
from frontend.notify_switch import NotifySwitchForm, notify_switch_refused, see_other
from portal.catalogue import TrustLevel

from ..account import case_attachment_get_for_owner, case_notify_set
from ..errors import CaseNotFound
from .files import attachment_response

__all__ = ["owner_attachment", "owner_notify"]


def _not_found(request):
    return render(request, "cases/not_found.html", status=404)


@never_cache
@login_required_at(TrustLevel.BASISREGISTRIERUNG)
@require_http_methods(["GET", "HEAD"])
def owner_attachment(request, reference: str, pk: int):
    """`/konto/vorgaenge/<reference>/dateien/<pk>/`: a file of a message of my case, as a download."""
    try:
        attachment = case_attachment_get_for_owner(user=request.user, reference=reference, pk=pk)
    except CaseNotFound:
        return _not_found(request)
    return attachment_response(attachment)


@login_required_at(TrustLevel.BASISREGISTRIERUNG)
@require_POST
def owner_notify(request, reference: str):
    """`/konto/vorgaenge/<reference>/benachrichtigungen/` (POST `notify`=1|0): switch the emails
    of my case on or off, then back to the case on the account page (303)."""
    form = NotifySwitchForm(request.POST)
    if not form.is_valid():
        return notify_switch_refused(request, form, back_url=reverse("accounts:account"))
    try:
        case = case_notify_set(user=request.user, reference=reference, notify=form.cleaned_data["notify"])
    except CaseNotFound:
        return _not_found(request)
    if case.notify_citizen:
        messages.success(request, _("Sie erhalten wieder E-Mails zu Ihrem Vorgang %(ref)s.") % {"ref": case.reference})
    else:
        messages.success(request, _("Sie erhalten keine E-Mails mehr zu Ihrem Vorgang %(ref)s.") % {
            "ref": case.reference})
    return see_other(f"{reverse('accounts:account')}#vorgang-{case.reference}")
