"""The citizen's tracking page of a case: status timeline with public notes, messages both
ways, a reply form with file upload and the email switch, all working without JavaScript
(Post/Redirect/Get)."""
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from frontend.notify_switch import NotifySwitchForm, notify_switch_refused, see_other

from ..account import case_notify_set_by_token
from ..errors import CaseError, CaseNotFound
from ..selectors import case_attachment_get_by_token, case_get_by_token
from ..services import case_message_add_by_token, case_messages_mark_read_by_token
from .files import attachment_response

__all__ = ["tracking", "attachment", "tracking_notify"]


def _not_found(request):
    return render(request, "cases/not_found.html", status=404)


def _page(request, view, *, errors=(), body="", status=200):
    return render(request, "cases/tracking.html", {"view": view, "errors": list(errors), "body": body},
                  status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def tracking(request, token: str):
    """GET shows the case; POST stores the citizen's answer and redirects back (303)."""
    try:
        view = case_get_by_token(token=token)
    except CaseNotFound:
        return _not_found(request)
    if request.method != "POST":
        case_messages_mark_read_by_token(token=token)
        response = _page(request, view)
        response["Referrer-Policy"] = "same-origin"  # the URL is the key to the case: never to other sites
        return response
    body = request.POST.get("body", "")
    try:
        case_message_add_by_token(token=token, body=body, attachments=request.FILES.getlist("attachments"))
    except CaseNotFound:
        return _not_found(request)
    except CaseError as exc:
        anchor = "id_attachments" if exc.field == "attachments" else "id_body"
        return _page(request, view, errors=[(anchor, exc.message)], body=body, status=exc.status_code)
    messages.success(request, _("Ihre Nachricht wurde gesendet."))
    return see_other(request.path + "#nachrichten")


@require_POST
def tracking_notify(request, token: str):
    """POST `notify`=1|0: switch the emails of this case on or off, back to the page (303)."""
    form = NotifySwitchForm(request.POST)
    if not form.is_valid():
        return notify_switch_refused(request, form, back_url=reverse("cases:tracking", args=[token]))
    notify = form.cleaned_data["notify"]
    try:
        case_notify_set_by_token(token=token, notify=notify)
    except CaseNotFound:
        return _not_found(request)
    messages.success(request, _("Sie erhalten wieder E-Mails zu diesem Vorgang.") if notify
                     else _("Sie erhalten keine E-Mails mehr zu diesem Vorgang."))
    return see_other(reverse("cases:tracking", args=[token]) + "#benachrichtigungen")


@require_http_methods(["GET", "HEAD"])
def attachment(request, token: str, pk: int):
    """A file of a message of this case, as a download."""
    try:
        return attachment_response(case_attachment_get_by_token(token=token, pk=pk))
    except CaseNotFound:
        return _not_found(request)
