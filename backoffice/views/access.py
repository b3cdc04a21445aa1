"""Who may use the back office: `staff_required` sends everybody else to the login page.

Anonymous users and logged-in users without staff rights are redirected (302) to
/sachbearbeitung/anmelden/ (the login page says why for the latter); reports and photos of
other departments answer 404 (`not_found`), so their existence is not disclosed.
"""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse

from ..selectors import staff_may_enter

__all__ = ["staff_required", "not_found"]


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not staff_may_enter(request.user):
            return redirect_to_login(request.get_full_path(), login_url=reverse("backoffice:login"))
        return view(request, *args, **kwargs)

    return wrapper


def not_found(request, message: str = ""):
    """The 404 page of the back office; `message` replaces the default text (reports, photos)."""
    return render(request, "backoffice/not_found.html", {"message": message}, status=404)
