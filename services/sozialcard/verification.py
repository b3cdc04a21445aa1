"""The check of a scanned code at a till: valid or not, and what the till may learn.

`card_verify(code=, till=)` answers a `Verification`: on success the programme, the discount
category, first name, year of birth and the card type (dynamic/static) — never the benefit
type, the family name or an address (the card does not even hold them). Every refusal has a
code a till can act on:

- ``unknown``: not a card code, no such card, or a static code's MAC is wrong;
- ``revoked``: the card is revoked (benefit ended, lost, account deleted) — at once;
- ``expired`` / ``not_yet_valid``: outside the card's validity (local dates);
- ``device_replaced``: a dynamic code of a phone the card has been moved away from;
- ``replayed``: a dynamic code already accepted, or one older than its window (a screenshot);
- ``invalid_code``: a dynamic code that matches no recent time step;
- ``wrong_partner``: the till's partner grants no discount of the card's programme.

A dynamic code is accepted in its 30-second step and one step either side (clock drift,
RFC 6238 section 5.2); each (card, step) once — `UsedCode`, a unique row, so two tills
racing for the same code cannot both win. Each check adds one to the day's
`VerificationCount` (partner, programme, card type, result): no personal data in the log.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .codes import STEP_SECONDS, code_parse, static_mac, totp_for
from .models import Card, PartnerDiscount, Till, UsedCode, VerificationCount

__all__ = ["REFUSALS", "Verification", "card_verify"]

#: The refusal codes (see the module docstring).
REFUSALS = ("unknown", "revoked", "expired", "not_yet_valid", "device_replaced", "replayed", "invalid_code",
            "wrong_partner")
#: Steps either side of now a dynamic code is accepted in (RFC 6238 5.2: at most one is recommended).
WINDOW_STEPS = 1
#: How far back an old code is recognised as replayed rather than invalid (steps), and how long
#: used codes are kept.
REPLAY_LOOKBACK_STEPS = 20


@dataclass(frozen=True)
class Verification:
    """The answer for a till: `result` "valid" or a refusal code; the card's facts if known."""

    result: str
    card: Card | None = None
    card_type: str = ""

    @property
    def valid(self) -> bool:
        return self.result == "valid"


def _log(*, till: Till, verification: Verification) -> None:
    keys = {"day": timezone.localdate(), "partner_id": till.partner_id,
            "programme_id": verification.card.programme_id if verification.card else None,
            "card_type": verification.card_type, "result": verification.result}
    if VerificationCount.objects.filter(**keys).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            VerificationCount.objects.create(**keys, count=1)
    except IntegrityError:  # another check created the row in between
        VerificationCount.objects.filter(**keys).update(count=F("count") + 1)


def _dynamic_result(card: Card, parsed) -> str:
    if parsed.generation != card.device_generation or not card.totp_secret:
        return "device_replaced"
    now = timezone.now()
    current = int(now.timestamp()) // STEP_SECONDS
    totp = totp_for(card.totp_secret)
    matched = None
    for offset in range(-REPLAY_LOOKBACK_STEPS, WINDOW_STEPS + 1):
        step = current + offset
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), parsed.otp):
            matched = step
            if offset >= -WINDOW_STEPS:
                break
    if matched is None:
        return "invalid_code"
    if matched < current - WINDOW_STEPS:
        return "replayed"
    UsedCode.objects.filter(used_at__lt=now - timedelta(seconds=STEP_SECONDS * REPLAY_LOOKBACK_STEPS)).delete()
    try:
        with transaction.atomic():
            UsedCode.objects.create(card=card, step=matched, used_at=now)
    except IntegrityError:
        return "replayed"
    return "valid"


def _result(*, code: str, till: Till) -> Verification:
    parsed = code_parse(code)
    if parsed is None:
        return Verification(result="unknown")
    card = (Card.objects.filter(card_hash=parsed.card_hash).select_related("programme", "category")
            .only("pk", "programme_id", "programme__slug", "programme__name_de", "programme__name_en",
                  "category__slug", "category__name_de", "category__name_en", "given_name", "birth_year",
                  "valid_from", "valid_until", "revoked_at", "totp_secret", "device_generation").first())
    if card is None or (parsed.kind == "static" and not hmac.compare_digest(static_mac(card.card_hash), parsed.mac)):
        return Verification(result="unknown", card_type=parsed.kind)
    today = timezone.localdate()
    refusal = ("revoked" if card.revoked_at is not None
               else "expired" if card.valid_until < today
               else "not_yet_valid" if card.valid_from > today
               else "wrong_partner" if not PartnerDiscount.objects.filter(
                   partner_id=till.partner_id, programme_id=card.programme_id).exists()
               else None)
    if refusal is None and parsed.kind == "dynamic":
        refusal = _dynamic_result(card, parsed)
        refusal = None if refusal == "valid" else refusal
    return Verification(result=refusal or "valid", card=card, card_type=parsed.kind)


def card_verify(*, code: str, till: Till) -> Verification:
    """Check `code` for `till` and log the check (one transaction)."""
    with transaction.atomic():
        verification = _result(code=code, till=till)
        _log(till=till, verification=verification)
    return verification
