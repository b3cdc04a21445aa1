"""The trust level of the current login and the decorator services use to require one.

The level is recorded in the session at login (`session_login`); a Django session without it
(a staff login, or a user logged in by other means) counts as no citizen login at all.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth import login
from django.shortcuts import redirect
from django.urls import reverse

from portal.catalogue import TrustLevel

__all__ = ["SESSION_CLAIMS", "SESSION_LEVEL", "citizen_user", "current_trust_level", "login_required_at",
           "login_url", "session_login"]

#: Session keys: the login's trust level (a TrustLevel value) and its identity claims.
SESSION_LEVEL = "accounts_trust_level"
SESSION_CLAIMS = "accounts_claims"


def current_trust_level(request) -> TrustLevel:
    """The trust level of the citizen logged in on `request`; `TrustLevel.NONE` for anonymous
    visitors, staff, and logins that did not go through the citizen account."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return TrustLevel.NONE
    level = request.session.get(SESSION_LEVEL)
    return TrustLevel(level) if level in TrustLevel.values else TrustLevel.NONE


def citizen_user(request):
    """The citizen logged in on `request` (at any level), or None for anonymous visitors and
    staff: whom a service records as the owner of what is filed or claimed on this request."""
    return request.user if current_trust_level(request) != TrustLevel.NONE else None


def session_login(request, user, *, trust_level: TrustLevel, claims: dict, backend: str) -> None:
    """Log `user` in (a new session key) and record the level and the prefill claims."""
    login(request, user, backend=backend)
    request.session[SESSION_LEVEL] = TrustLevel(trust_level).value
    request.session[SESSION_CLAIMS] = claims


def login_url(level: TrustLevel, next_url: str) -> str:
    """`/konto/anmelden/?stufe=<level>&next=<next_url>`."""
    return f"{reverse('accounts:login')}?{urlencode({'stufe': TrustLevel(level).value, 'next': next_url})}"


def login_required_at(level: TrustLevel | str):
    """View decorator: let the request through if the citizen's login reaches `level`,
    otherwise redirect (302) to the login at that level, coming back to this page afterwards
    (a lower login is asked to log in again: step-up)."""
    required = TrustLevel(level)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            current = current_trust_level(request)
            if current == TrustLevel.NONE or not current.satisfies(required):
                return redirect(login_url(required, request.get_full_path()))
            return view(request, *args, **kwargs)
        return wrapper
    return decorator
