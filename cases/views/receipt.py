"""What every service's form view shares around a case: the client's submission key (a
re-send stores one case) and the receipt page after filing.

A service's receipt view is one call:

    def anliegen_sent(request, token):
        return case_receipt(request, token, "anliegen/sent.html")
"""
import uuid

from django.shortcuts import render
from django.urls import reverse

from cases.errors import CaseNotFound
from cases.notify import tracking_url
from cases.selectors import case_get_by_token

__all__ = ["case_receipt", "submission_key"]

#: The longest key a client may send (the column `Case.submission_key`).
_KEY_MAX = 100


def submission_key(request, *, max_length: int = _KEY_MAX) -> str:
    """The form's hidden `submission_key` if it is a plausible client key (ASCII letters,
    digits and dashes, at most `max_length`: less where the service prefixes it), else a new
    random one; the form sends it back on every re-send."""
    key = request.POST.get("submission_key", "")
    valid = 0 < len(key) <= max_length and key.isascii() and key.replace("-", "").isalnum()
    return key if valid else uuid.uuid4().hex


def case_receipt(request, token: str, template: str, **context):
    """The receipt of the case with the tracking `token`: `view` (the citizen's view of the
    case), `tracking_url` (path) and `tracking_url_full` (absolute) for `template`; 404 page
    for an unknown token. The token is the key, so the page is not passed on as a referrer."""
    try:
        view = case_get_by_token(token=token)
    except CaseNotFound:
        return render(request, "cases/not_found.html", status=404)
    response = render(request, template, {
        "view": view, "tracking_url": reverse("cases:tracking", args=[view.tracking_token]),
        "tracking_url_full": tracking_url(view), **context})
    response["Referrer-Policy"] = "same-origin"
    return response
