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

A till must not wait, so a check is four statements in one transaction: the till (by its
hashed key, `selectors.till_for_key`), the card with whether the till's partner grants its
programme (an `Exists` annotation), the used code as one `INSERT … ON CONFLICT DO NOTHING
RETURNING` (no row back: replayed) and the day's count as one `INSERT … ON CONFLICT DO UPDATE`.
Both upserts are SQL of their own because the ORM has no "insert, tell me if it conflicted"
nor an increment on conflict (`bulk_create(update_conflicts=…)` only copies the new values).
Old used codes are deleted by the beat task `used_codes_prune` (every five minutes), not by
the check.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections, router, transaction
from django.utils import timezone

from .codes import STEP_SECONDS, code_parse, static_mac, totp_for
from .models import Card, Till, UsedCode, VerificationCount
from .selectors import card_for_check

__all__ = ["REFUSALS", "Verification", "card_verify", "used_codes_delete_old"]

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


_COUNT_UPSERT = f"""
    INSERT INTO {VerificationCount._meta.db_table} (day, partner_id, programme_id, card_type, result, count)
    VALUES (%s, %s, %s, %s, %s, 1)
    ON CONFLICT ON CONSTRAINT sozialcard_verification_count_unique DO UPDATE
    SET count = {VerificationCount._meta.db_table}.count + 1"""
_USED_CODE_INSERT = f"""
    INSERT INTO {UsedCode._meta.db_table} (card_id, step, used_at) VALUES (%s, %s, %s)
    ON CONFLICT ON CONSTRAINT sozialcard_used_code_unique DO NOTHING RETURNING id"""


def _log(*, till: Till, verification: Verification) -> None:
    """One more check of the day's (partner, programme, card type, result): one upsert."""
    programme_id = verification.card.programme_id if verification.card else None
    with connections[router.db_for_write(VerificationCount)].cursor() as cursor:
        cursor.execute(_COUNT_UPSERT, [timezone.localdate(), till.partner_id, programme_id,
                                       verification.card_type, verification.result])


def _code_use(*, card: Card, step: int, now) -> bool:
    """Record (card, step) as used; False if it was used already (one statement, race-free:
    of two tills inserting the same row at once, exactly one gets it back)."""
    with connections[router.db_for_write(UsedCode)].cursor() as cursor:
        cursor.execute(_USED_CODE_INSERT, [card.pk, step, now])
        return cursor.fetchone() is not None


def _matching_step(totp, otp: str, current: int) -> int | None:
    """The time step whose TOTP is `otp`: the steps of the window first (so a code valid now
    wins over an old one that happens to be the same digits), then the lookback, newest first."""
    window = range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1)
    lookback = range(current - WINDOW_STEPS - 1, current - REPLAY_LOOKBACK_STEPS - 1, -1)
    for steps in (window, lookback):
        for step in steps:
            if hmac.compare_digest(totp.at(step * STEP_SECONDS), otp):
                return step
    return None


def _dynamic_result(card: Card, parsed) -> str:
    if parsed.generation != card.device_generation or not card.totp_secret:
        return "device_replaced"
    now = timezone.now()
    current = int(now.timestamp()) // STEP_SECONDS
    matched = _matching_step(totp_for(card.totp_secret), parsed.otp, current)
    if matched is None:
        return "invalid_code"
    if matched < current - WINDOW_STEPS or not _code_use(card=card, step=matched, now=now):
        return "replayed"
    return "valid"


def _result(*, code: str, till: Till) -> Verification:
    parsed = code_parse(code)
    if parsed is None:
        return Verification(result="unknown")
    card = card_for_check(card_hash=parsed.card_hash, partner_id=till.partner_id)
    if card is None or (parsed.kind == "static" and not hmac.compare_digest(static_mac(card.card_hash), parsed.mac)):
        return Verification(result="unknown", card_type=parsed.kind)
    today = timezone.localdate()
    refusal = ("revoked" if card.revoked_at is not None
               else "expired" if card.valid_until < today
               else "not_yet_valid" if card.valid_from > today
               else "wrong_partner" if not card.partner_grants
               else None)
    if refusal is None and parsed.kind == "dynamic":
        refusal = _dynamic_result(card, parsed)
        refusal = None if refusal == "valid" else refusal
    return Verification(result=refusal or "valid", card=card, card_type=parsed.kind)


def used_codes_delete_old(*, now: datetime | None = None) -> int:
    """Delete the used codes older than the lookback (they are refused as replayed by their
    age alone); returns how many. Run by the beat task every five minutes."""
    cutoff = (now or timezone.now()) - timedelta(seconds=STEP_SECONDS * REPLAY_LOOKBACK_STEPS)
    deleted, _per_model = UsedCode.objects.filter(used_at__lt=cutoff).delete()
    return deleted


def card_verify(*, code: str, till: Till) -> Verification:
    """Check `code` for `till` and log the check (one transaction; no savepoint of its own
    inside a request's transaction: nothing in it is expected to fail and be caught)."""
    with transaction.atomic(savepoint=False):
        verification = _result(code=code, till=till)
        _log(till=till, verification=verification)
    return verification
