"""The checker web app `/sozialcard/pruefen/`: staff of a partner without an integrated till
check a card on a phone (camera scan or typed code).

Sign-in with a till's API key (`POST /sozialcard/pruefen/anmelden/`, the key in the form body,
never in a URL): the session then holds the till's id and its key hash, so a revoked (or
replaced) key ends the session at its next request. `POST /sozialcard/pruefen/abmelden/` signs
out. `POST /sozialcard/pruefen/` checks a code through `verification.card_verify` — the same
service, refusal codes and messages (`pos_api.MESSAGES`) as the till API — and shows exactly
what a till may learn: valid or the refusal in words, programme, discount category, first name,
year of birth, card type (static marked). The page is a plain form that works without
JavaScript; `checker.js` adds the camera (BarcodeDetector, else jsQR from npm).

Status codes: a wrong key 403, a revoked key 403 (both with a message), a missing key or code
400, a check without sign-in 403; every checked code 200 (like the till API). More checks
than `SOZIALCARD["TILL_RATE"]` per till answer 429 with `Retry-After` — the till API's limit
and count (`pos_api.TillRateThrottle`): a till's key allows as many checks through the page as
through the API, not as many again. Result pages are not cached (`never_cache`): they show a
first name.
"""
from __future__ import annotations

import math

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from frontend.views.pwa import manifest_response

from .models import Card, Till
from .pos_api import MESSAGES, TillRateThrottle
from .selectors import till_for_key
from .verification import card_verify

__all__ = ["checker_manifest", "checker_page", "checker_sign_in", "checker_sign_out"]

SESSION_TILL = "sozialcard_checker_till"
SESSION_KEY_HASH = "sozialcard_checker_key_hash"


class SignInForm(forms.Form):
    """The till key (a password field: it is a secret, the browser need not show it)."""

    key = forms.CharField(label=gettext_lazy("Schlüssel der Kasse"), max_length=200, strip=True,
                          widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                          help_text=gettext_lazy("Den Schlüssel bekommen Sie von der Stelle, die Ihre "
                                                 "Akzeptanzstelle betreut."),
                          error_messages={"required": gettext_lazy("Bitte geben Sie den Schlüssel der Kasse ein.")})


class CheckForm(forms.Form):
    """The scanned or typed code."""

    code = forms.CharField(label=gettext_lazy("Code der Karte"), max_length=200, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                                         "spellcheck": "false"}),
                           help_text=gettext_lazy("Der Text unter dem QR-Code, z. B. SC1D.… oder SC1S.…"),
                           error_messages={"required": gettext_lazy("Bitte geben Sie den Code der Karte ein."),
                                           "max_length": gettext_lazy("Das ist kein Code einer Karte: "
                                                                      "höchstens %(limit_value)d Zeichen.")})


def _signed_in_till(request) -> Till | None:
    """The session's till if its key is still the one signed in with and not revoked."""
    till_id, key_hash = request.session.get(SESSION_TILL), request.session.get(SESSION_KEY_HASH)
    if not till_id:
        return None
    return (Till.objects.filter(pk=till_id, key_hash=key_hash, revoked_at__isnull=True)
            .select_related("partner").only("pk", "name", "partner_id", "partner__name").first())


def _forget(request) -> None:
    request.session.pop(SESSION_TILL, None)
    request.session.pop(SESSION_KEY_HASH, None)


def _render(request, *, till=None, sign_in=None, check=None, verification=None, error="", status=200):
    card = verification.card if verification is not None and verification.valid else None
    return render(request, "sozialcard/checker.html", {
        "till": till, "sign_in_form": sign_in or SignInForm(), "check_form": check or CheckForm(),
        "verification": verification, "card": card, "error": error,
        "message": MESSAGES[verification.result] if verification is not None else "",
        "card_type_label": Card.Kind(verification.card_type).label if card is not None else "",
    }, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checker_page(request):
    """GET: the sign-in or the check form; POST: check a code (see the module docstring)."""
    till = _signed_in_till(request)
    revoked = till is None and request.session.get(SESSION_TILL)
    if revoked:
        _forget(request)
        return _render(request, error=_("Der Schlüssel dieser Kasse ist gesperrt. Bitte melden Sie sich neu an."),
                       status=403)
    if request.method != "POST":
        return _render(request, till=till)
    if till is None:
        return _render(request, error=_("Bitte melden Sie sich zuerst mit dem Schlüssel der Kasse an."), status=403)
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _render(request, till=till, check=form, status=400)
    throttle = TillRateThrottle()
    if not throttle.allow_key(throttle.till_key(till)):
        seconds = max(1, math.ceil(throttle.wait() or 1))
        response = _render(request, till=till, status=429, error=_(
            "Zu viele Prüfungen mit dieser Kasse in kurzer Zeit. Bitte versuchen Sie es in %(seconds)d Sekunden "
            "erneut.") % {"seconds": seconds})
        response["Retry-After"] = str(seconds)
        return response
    verification = card_verify(code=form.cleaned_data["code"], till=till)
    return _render(request, till=till, verification=verification)


@never_cache
@require_POST
def checker_sign_in(request):
    """Sign in with a till key: 303 to the checker, 400 without a key, 403 for a wrong or
    revoked one (the same answer: a revoked key is a wrong key now)."""
    form = SignInForm(request.POST)
    if not form.is_valid():
        return _render(request, sign_in=form, status=400)
    till = till_for_key(key=form.cleaned_data["key"])
    if till is None:
        form.add_error("key", _("Ungültiger Kassenschlüssel."))
        return _render(request, sign_in=form, status=403)
    request.session.cycle_key()  # a new session id for the signed-in till (session fixation)
    request.session[SESSION_TILL], request.session[SESSION_KEY_HASH] = till.pk, till.key_hash
    response = redirect("sozialcard:checker")
    response.status_code = 303
    return response


@require_POST
def checker_sign_out(request):
    """Sign the till out of this session (the rest of the session, e.g. a citizen login, stays)."""
    _forget(request)
    response = redirect("sozialcard:checker")
    response.status_code = 303
    return response


def checker_manifest(request):
    """The checker's web app manifest (installable on its own, scope /sozialcard/pruefen/)."""
    url = reverse("sozialcard:checker")
    return manifest_response(
        request, name=_("Sozialcard prüfen"), short_name=_("Karte prüfen"),
        description=_("Karten der Ermäßigungsprogramme an der Kasse prüfen: QR-Code scannen oder Code eingeben."),
        id=url, start_url=url, scope=url, theme_color="#0b5394")
