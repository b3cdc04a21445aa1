"""The citizen's card pages in the account (`/konto/karten/<id>/…`): the owner, or the phone
the card is activated on (its device cookie; a family member's phone activated with a one-time
code, `activation`, needs no login); 404 for everybody else, whether the card exists or not.

The card page shows name, year of birth, programme, category, validity and — on the device
the card is activated on — the dynamic QR code (SVG, rendered here with segno) with the same
code as text to type in. Activating (POST) binds the card to this browser: a fresh TOTP
secret and the next device generation (`services.card_activate`), and an HttpOnly cookie
with the device token; the phone activated before stops working at once. The QR code image
renews itself every 30 seconds with a small script of ours; without JavaScript the link
"Neuen Code anzeigen" loads it again. The printable card (PDF, fpdf2) carries the static code.

Offline (`card.js`, `card-sw.js`): on the activated phone the script fetches the device's
key material once (`device.json`: card hash, device generation, TOTP secret — the device
cookie required, never cached by a proxy), keeps it in the phone's localStorage under the
card's id, computes the RFC 6238 code with WebCrypto and draws the QR code itself; the card's
service worker (`/konto/karten/sw.js`, scope `/konto/karten/`) keeps the page and its scripts,
so the card opens and shows a valid code without a network.
"""
from __future__ import annotations

import io
import unicodedata

import segno
from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from fpdf import FPDF

from cases.errors import CaseError
from frontend.views.pwa import service_worker_response

from .codes import DIGITS, STEP_SECONDS, dynamic_code, static_code
from .models import Card
from .services import card_activate, card_device_matches, card_device_token

__all__ = ["card_activate_view", "card_code_svg", "card_device_json", "card_page", "card_pdf", "card_service_worker",
           "device_bound_response", "owned_card"]

#: Name of the device cookie of card `pk` (one per card, path-limited to its pages).
COOKIE = "sozialcard_device_{pk}"


def owned_card(request, pk: int) -> Card:
    """The card `pk` of the logged-in owner; 404 for everybody else."""
    if not request.user.is_authenticated:
        raise Http404
    card = Card.objects.filter(pk=pk, owner=request.user).select_related("programme", "category").first()
    if card is None:
        raise Http404
    return card


def _shown_card(request, pk: int) -> tuple[Card, bool]:
    """(card, is_owner): the owner's card, or the card of the phone it is activated on (its
    device cookie, no login needed); 404 for everybody else."""
    card = Card.objects.filter(pk=pk).select_related("programme", "category").first()
    if card is None:
        raise Http404
    if request.user.is_authenticated and card.owner_id == request.user.pk:
        return card, True
    if _on_this_device(request, card):
        return card, False
    raise Http404


def _is_usable(card: Card) -> bool:
    today = timezone.localdate()
    return card.revoked_at is None and card.valid_from <= today <= card.valid_until


def _on_this_device(request, card: Card) -> bool:
    return card_device_matches(card, request.COOKIES.get(COOKIE.format(pk=card.pk), ""))


def _qr_svg(code: str) -> str:
    # Dark modules on white with a quiet zone of 4 (ISO/IEC 18004); scale for a phone screen.
    return segno.make(code, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff")


@never_cache
@require_http_methods(["GET", "HEAD"])
def card_page(request, pk: int):
    """The card (see the module docstring)."""
    card, is_owner = _shown_card(request, pk)
    return card_page_render(request, card, is_owner=is_owner)


def card_page_render(request, card: Card, *, is_owner: bool, extra: dict | None = None, status: int = 200):
    """The card page of `card`; `extra` adds to the context (an activation code just made)."""
    here, usable = _on_this_device(request, card), _is_usable(card)
    code = dynamic_code(card_hash=card.card_hash, generation=card.device_generation,
                        secret=card.totp_secret) if here and usable else ""
    return render(request, "sozialcard/card.html", {
        "card": card, "is_owner": is_owner, "on_this_device": here, "usable": usable, "code": code,
        "step_seconds": STEP_SECONDS, "activated_elsewhere": bool(card.totp_secret) and not here, **(extra or {})},
        status=status)


@require_POST
def card_activate_view(request, pk: int):
    """Bind the card to this browser (see the module docstring); 303 to the card page."""
    card = owned_card(request, pk)
    try:
        card = card_activate(card=card)
    except CaseError as exc:
        return render(request, "sozialcard/card.html", {
            "card": card, "is_owner": True, "usable": False, "errors": [("activate", exc.message)]},
            status=exc.status_code)
    return device_bound_response(card)


def device_bound_response(card: Card):
    """303 to the card page with the device cookie of the card's new activation."""
    response = redirect("sozialcard:card", pk=card.pk)
    response.status_code = 303
    response.set_cookie(COOKIE.format(pk=card.pk), card_device_token(card), path=f"/konto/karten/{card.pk}/",
                        max_age=max(60, int((card.valid_until - timezone.localdate()).days + 1) * 86400),
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
    return response


@never_cache
@require_http_methods(["GET", "HEAD"])
def card_code_svg(request, pk: int):
    """The current dynamic QR code as an SVG image (this device only; 404 otherwise)."""
    card, _is_owner = _shown_card(request, pk)
    if not (_on_this_device(request, card) and _is_usable(card)):
        raise Http404
    code = dynamic_code(card_hash=card.card_hash, generation=card.device_generation, secret=card.totp_secret)
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="svg", scale=5, border=4, dark="#000", light="#fff",
                                     xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@never_cache
@require_http_methods(["GET", "HEAD"])
def card_device_json(request, pk: int):
    """What the activated phone keeps to show codes offline (this device only; 404 otherwise):
    the code's parameters (RFC 6238 as in `codes`), the card hash, the device generation and
    the TOTP secret. The owner's other browsers never get the secret."""
    card, _is_owner = _shown_card(request, pk)
    if not (_on_this_device(request, card) and _is_usable(card)):
        raise Http404
    return JsonResponse({
        "card": card.pk, "prefix": "SC1D", "card_hash": card.card_hash, "generation": card.device_generation,
        "secret": card.totp_secret, "algorithm": "SHA-1", "digits": DIGITS, "step": STEP_SECONDS,
        "valid_from": card.valid_from.isoformat(), "valid_until": card.valid_until.isoformat()})


def card_service_worker(request):
    """The cards' service worker (`card-sw.js`), scope `/konto/karten/`: keeps the card pages
    and their scripts for offline use."""
    response = service_worker_response(static_path="sozialcard/card-sw.js", scope="/konto/karten/")
    response["Cache-Control"] = "no-cache"
    return response


def _latin1(text: str) -> str:
    """`text` for the PDF's core font (Latin-1 only, so no font file is needed): letters
    outside it lose their diacritics (Ł → L is not decomposable and becomes "?")."""
    if all(ord(char) < 256 for char in text):
        return text
    plain = unicodedata.normalize("NFKD", text)
    return "".join(char for char in plain if not unicodedata.combining(char)).encode(
        "latin-1", errors="replace").decode("latin-1")


@require_http_methods(["GET", "HEAD"])
def card_pdf(request, pk: int):
    """The printable card with the static code (A6 landscape, PDF)."""
    card = owned_card(request, pk)
    if not _is_usable(card):
        raise Http404
    png = io.BytesIO()
    segno.make(static_code(card_hash=card.card_hash), error="m").save(png, kind="png", scale=8, border=4)
    png.seek(0)
    pdf = FPDF(orientation="L", format=(105, 148))  # A6 in millimetres
    pdf.set_title(card.programme.name)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(card.programme.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    for line in (f"{card.given_name} ({card.birth_year})", card.category.name,
                 f"{card.valid_from:%d.%m.%Y} - {card.valid_until:%d.%m.%Y}"):
        pdf.cell(0, 7, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.image(png, x=95, y=30, w=45, h=45)
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="karte-{card.pk}.pdf"'
    return response
