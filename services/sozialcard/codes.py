"""The codes a card shows and a till scans, and how the server reads them back.

Dynamic (the phone): ``SC1D.<card hash>.<device generation>.<TOTP>`` — the TOTP is RFC 6238
(HMAC-SHA1, 6 digits, 30-second steps, pyotp) over the secret bound to the device at
activation; a code of an older device generation is refused, since re-activating replaces
the secret. Static (the printed card): ``SC1S.<card hash>.<MAC>`` — the MAC is the first 20
hex digits of HMAC-SHA256(server key, "static|" + card hash): it cannot be made from a
dynamic code seen at a till, and it stays valid as long as the card (revocation stops it).

The card hash is the keyed hash of `cardhash` (64 hex digits): it names the card and says
nothing about the person.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime

import pyotp

from .cardhash import server_key

__all__ = ["STEP_SECONDS", "ParsedCode", "code_parse", "dynamic_code", "static_code", "static_mac", "totp_for"]

#: RFC 6238 time step (seconds) and digits.
STEP_SECONDS = 30
DIGITS = 6

_DYNAMIC = re.compile(r"^SC1D\.(?P<hash>[0-9a-f]{64})\.(?P<generation>[0-9]{1,9})\.(?P<otp>[0-9]{6})$")
_STATIC = re.compile(r"^SC1S\.(?P<hash>[0-9a-f]{64})\.(?P<mac>[0-9a-f]{20})$")


def totp_for(secret: str) -> pyotp.TOTP:
    """The RFC 6238 generator of a device secret (base32)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)


def static_mac(card_hash: str) -> str:
    """The MAC of a card's static code (20 hex digits)."""
    return hmac.new(server_key(), f"static|{card_hash}".encode(), hashlib.sha256).hexdigest()[:20]


def dynamic_code(*, card_hash: str, generation: int, secret: str, at: datetime | None = None) -> str:
    """The dynamic code of a card at `at` (now by default)."""
    totp = totp_for(secret)
    otp = totp.at(at) if at is not None else totp.now()
    return f"SC1D.{card_hash}.{generation}.{otp}"


def static_code(*, card_hash: str) -> str:
    """The static code printed on a card."""
    return f"SC1S.{card_hash}.{static_mac(card_hash)}"


@dataclass(frozen=True)
class ParsedCode:
    """A scanned code taken apart: `kind` "dynamic" or "static", the card hash, and either
    the device generation and the TOTP or the static MAC."""

    kind: str
    card_hash: str
    generation: int | None = None
    otp: str = ""
    mac: str = ""


def code_parse(text: str) -> ParsedCode | None:
    """The parts of a scanned or typed code; None if it is no card code at all."""
    text = (text or "").strip()
    if match := _DYNAMIC.match(text):
        return ParsedCode(kind="dynamic", card_hash=match["hash"], generation=int(match["generation"]),
                          otp=match["otp"])
    if match := _STATIC.match(text):
        return ParsedCode(kind="static", card_hash=match["hash"], mac=match["mac"])
    return None
