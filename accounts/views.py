"""Pages of the citizen account (`/konto/…`): login choice, OpenID Connect start and callback,
email login, logout, the account page, the data export and the deletion.

Views are thin: they parse input, call `accounts.oidc` or one service, and render.
"""
from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.catalogue import TrustLevel

from . import oidc, selectors, services
from .forms import AccountDeleteForm, EmailLoginForm
from .identity import claims_minimal, identity_for
from .sections import account_sections
from .trust import current_trust_level, login_required_at, session_login

#: The authentication backend recorded for citizen logins (no password involved).
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request, value: str | None) -> str:
    """`value` if it is a local URL, else the account page (no open redirect)."""
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return reverse("accounts:account")


def _required_level(value: str | None) -> TrustLevel:
    """The `?stufe=` of a login; at least basisregistrierung, unknown values too."""
    if value in TrustLevel.values and value != TrustLevel.NONE:
        return TrustLevel(value)
    return TrustLevel.BASISREGISTRIERUNG


def _callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc-callback"))


@never_cache
@require_GET
def login_choice(request):
    """`/konto/anmelden/`: the ways to log in for the required level (`?stufe=`)."""
    level = _required_level(request.GET.get("stufe"))
    current = current_trust_level(request)
    return render(request, "accounts/login.html", {
        "level": level,
        "next": _next_url(request, request.GET.get("next")),
        "oidc_enabled": oidc.oidc_enabled(),
        "email_allowed": TrustLevel.BASISREGISTRIERUNG.satisfies(level),
        "step_up": current != TrustLevel.NONE and not current.satisfies(level),
        "current": current,
    })


def _error_page(request, message, status: int):
    return render(request, "accounts/login_error.html", {"message": message}, status=status)


@never_cache
@require_GET
def oidc_start(request):
    """`/konto/anmelden/oidc/`: redirect to the identity provider (302)."""
    if not oidc.oidc_enabled():
        return _error_page(request, _("Die Anmeldung mit einem Servicekonto ist hier nicht eingerichtet."), 404)
    level = _required_level(request.GET.get("stufe"))
    try:
        url = oidc.authorization_start(request.session, redirect_uri=_callback_uri(request), level=level,
                                       next_url=_next_url(request, request.GET.get("next")))
    except oidc.OIDCError as exc:
        return _error_page(request, exc.message, exc.status)
    return redirect(url)


@never_cache
@require_GET
def oidc_callback(request):
    """`/konto/oidc/callback/`: check the provider's answer and log the citizen in."""
    try:
        result = oidc.authorization_finish(request.session, params=request.GET, redirect_uri=_callback_uri(request))
        user = services.citizen_login_oidc(issuer=result.issuer, subject=result.subject, claims=result.claims,
                                           trust_level=result.trust_level)
    except oidc.OIDCError as exc:
        return _error_page(request, exc.message, exc.status)
    except services.StaffAccountRefused:
        return _error_page(request, _("Diese Identität gehört zu einem Konto der Verwaltung. Es kann nicht "
                                      "als Bürgerkonto angemeldet werden."), 403)
    session_login(request, user, trust_level=result.trust_level, claims=claims_minimal(result.claims),
                  backend=BACKEND)
    return redirect(_next_url(request, result.next_url))


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@never_cache
@require_http_methods(["GET", "POST"])
def email_login(request):
    """`/konto/anmelden/email/`: ask for a one-time login link."""
    form = EmailLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_login_link_request(email=form.cleaned_data["email"], client_ip=_client_ip(request),
                                              site_url=settings.SITE_URL)
        except services.LoginRateLimited:
            return render(request, "accounts/email_login.html", {
                "form": form, "rate_limited": True,
            }, status=429)
        return render(request, "accounts/email_login_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/email_login.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def email_login_confirm(request, token: str):
    """`/konto/anmelden/email/<token>/`: GET shows a button, POST uses the link up (a GET alone
    must not: mail scanners open links before the citizen does)."""
    if request.method == "GET":
        return render(request, "accounts/email_login_confirm.html", {})
    try:
        user = services.email_login_redeem(token=token)
    except services.EmailLinkInvalid:
        return _error_page(request, _("Dieser Anmeldelink ist ungültig, schon benutzt oder abgelaufen. "
                                      "Bitte fordern Sie einen neuen an."), 400)
    except services.StaffAccountRefused:
        return _error_page(request, _("Diese E-Mail-Adresse gehört zu einem Konto der Verwaltung. Es kann "
                                      "nicht als Bürgerkonto angemeldet werden."), 403)
    session_login(request, user, trust_level=TrustLevel.BASISREGISTRIERUNG, claims={"email": user.email},
                  backend=BACKEND)
    return redirect("accounts:account")


@require_POST
def logout_view(request):
    """`/konto/abmelden/` (POST): end the session."""
    logout(request)
    return redirect("/")


@never_cache
@login_required_at(TrustLevel.BASISREGISTRIERUNG)
def account(request):
    """`/konto/`: the services' sections and "Meine Daten"."""
    return render(request, "accounts/account.html", {
        "sections": account_sections(request),
        "identity": identity_for(request),
        "identities": selectors.identity_list_for_user(user=request.user),
        "trust_level": current_trust_level(request),
    })


@never_cache
@login_required_at(TrustLevel.BASISREGISTRIERUNG)
def account_data(request):
    """`/konto/daten.json`: all my data (DSGVO Art. 15), as a download."""
    data = selectors.account_export(user=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@never_cache
@login_required_at(TrustLevel.BASISREGISTRIERUNG)
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """`/konto/loeschen/`: confirm (POST with the checkbox) and erase the account (DSGVO Art. 17)."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.account_erase(user=request.user)
        logout(request)
        return render(request, "accounts/account_deleted.html", {})
    return render(request, "accounts/account_delete.html", {"form": form}, status=400 if form.errors else 200)
