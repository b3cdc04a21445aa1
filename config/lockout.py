"""What a locked-out login sees (django-axes, `AXES_LOCKOUT_CALLABLE`): HTTP 429 with a clear
message and `Retry-After`, as a page for the admin and back-office forms and as JSON
(`{"detail": …}`) for API clients. The crew app's login answers the same through its API
(`mobile_api.views.TokenView`)."""
import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

__all__ = ["lockout_message", "lockout_minutes", "lockout_response"]


def lockout_minutes() -> int:
    """How long a lockout lasts, in whole minutes."""
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    return _("Zu viele fehlgeschlagene Anmeldeversuche. Die Anmeldung ist für %(minutes)s Minuten "
             "gesperrt; bitte versuchen Sie es danach erneut.") % {"minutes": lockout_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a login attempt while its user name and address are locked out."""
    message = lockout_message()
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "backoffice/login_locked.html", {"message": message}, status=429)
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response
