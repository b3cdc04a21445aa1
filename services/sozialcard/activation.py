"""Activating a card on another phone with a one-time code (a family member's phone, without
the account's login).

The owner asks for a code on the card page (`POST /konto/karten/<id>/aktivierungscode/`): the
page shows it once ("K7QM-4XTP", valid `SOZIALCARD["ACTIVATION_CODE_MINUTES"]`) with a QR code
of the link `/sozialcard/aktivieren/?code=…`. On the other phone, `/sozialcard/aktivieren/` takes the
code (typed, or filled in from the link — still a button to press, so that a link preview
cannot use the code up) and binds the card to that phone like an activation in the account:
the phone before stops working. Wrong, used and expired codes are told apart (400, 409, 410);
attempts per client address are limited (`SOZIALCARD["ACTIVATION_RATE"]`, 429), so the
40-bit codes cannot be guessed.
"""
from __future__ import annotations

import segno
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.errors import CaseError
from config.throttling import ClientRateThrottle

from .conf import sozialcard_setting
from .services import activation_code_create, activation_code_normalize, card_activate_by_code
from .wallet import card_page_render, device_bound_response, owned_card

__all__ = ["ActivationThrottle", "activation_code_view", "activate_with_code"]


class ActivationThrottle(ClientRateThrottle):
    """Activation attempts per client address (`SOZIALCARD["ACTIVATION_RATE"]`), against guessing."""

    scope = "sozialcard_activation"

    def get_rate(self):
        return sozialcard_setting("ACTIVATION_RATE") or None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@never_cache
@require_POST
def activation_code_view(request, pk: int):
    """A new one-time code for the owner's card, shown on the card page with the QR code of
    its link (201; 400 for a revoked or ended card)."""
    card = owned_card(request, pk)
    try:
        row, code = activation_code_create(card=card)
    except CaseError as exc:
        return card_page_render(request, card, is_owner=True, extra={"errors": [("activation", exc.message)]},
                                status=exc.status_code)
    link = request.build_absolute_uri(reverse("sozialcard:activate-code") + "?code=" + code.replace("-", ""))
    # A data: URI image, so the page's <img> carries the text alternative (CSP allows data: images).
    qr = segno.make(link, error="m").svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
    return card_page_render(request, card, is_owner=True, status=201, extra={
        "activation": {"code": code, "link": link, "qr": qr, "expires_at": row.expires_at,
                       "minutes": sozialcard_setting("ACTIVATION_CODE_MINUTES")}})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def activate_with_code(request):
    """The page that activates a card with a one-time code (see the module docstring); 303 to
    the card page with the device cookie."""
    if request.method != "POST":
        return _page(request, code=request.GET.get("code", "")[:20])
    code = request.POST.get("code", "")[:40]
    throttle = ActivationThrottle()
    if not throttle.allow_request(request, None):
        return _page(request, code=code, status=429, errors=[("id_code", _(
            "Zu viele Versuche. Bitte warten Sie eine Stunde und versuchen Sie es dann erneut."))])
    if not activation_code_normalize(code):
        return _page(request, code=code, status=400, errors=[("id_code", _(
            "Ein Aktivierungscode hat acht Zeichen, zum Beispiel K7QM-4XTP."))])
    try:
        card = card_activate_by_code(code=code)
    except CaseError as exc:
        return _page(request, code=code, status=exc.status_code, errors=[("id_code", exc.message)])
    return device_bound_response(card)


def _page(request, *, code: str, status: int = 200, errors=()):
    return render(request, "sozialcard/activate_code.html", {"code": code, "errors": list(errors)}, status=status)
