"""The keyed hash of a card's data: what the server keeps instead of the social data.

After the Ehrenamtskarte's design (digitalfabrik/entitlementcard: `CardInfo` hashed with
HMAC-SHA256 and a pepper), a card is identified by HMAC-SHA256(server key, canonical card
data). The canonical data are the programme, the person's full name and date of birth, the
validity and a random nonce (so that two cards of the same data differ and a hash says
nothing about the person). The server stores the hash and the nonce, never the family name
or the date of birth: `card_data_matches` tells whether presented data (an ID card, a
renewal) are those of a card, and nothing can be read back from the hash.

The key comes from `SOZIALCARD["CARD_HASH_KEY"]`, else it is derived from `SECRET_KEY`.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.crypto import salted_hmac

from .conf import sozialcard_setting

__all__ = ["CardData", "card_data_hash", "card_data_matches", "card_nonce_new", "server_key"]

#: Version of the canonical form (part of the hashed text, so a new form never collides).
VERSION = 1


@dataclass(frozen=True)
class CardData:
    """The data a card stands for (held by the citizen, hashed by the server)."""

    programme: str
    given_name: str
    family_name: str
    birthdate: date
    valid_from: date
    valid_until: date


def server_key() -> bytes:
    """The server key of the card hashes and codes (see the module docstring)."""
    configured = sozialcard_setting("CARD_HASH_KEY")
    if configured:
        return configured.encode()
    return salted_hmac("services.sozialcard.cardhash", "card-hash-key", secret=settings.SECRET_KEY,
                       algorithm="sha256").digest()


def _canonical(data: CardData, nonce: str) -> bytes:
    # Sorted keys, no spaces, names stripped and NFC as entered: one text per card.
    return json.dumps({
        "v": VERSION, "programme": data.programme, "given_name": data.given_name.strip(),
        "family_name": data.family_name.strip(), "birthdate": data.birthdate.isoformat(),
        "valid_from": data.valid_from.isoformat(), "valid_until": data.valid_until.isoformat(), "nonce": nonce,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def card_nonce_new() -> str:
    """A fresh random nonce for a new card (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def card_data_hash(data: CardData, *, nonce: str) -> str:
    """The card's keyed hash: HMAC-SHA256 of the canonical data, 64 hex digits."""
    return hmac.new(server_key(), _canonical(data, nonce), hashlib.sha256).hexdigest()


def card_data_matches(data: CardData, *, nonce: str, card_hash: str) -> bool:
    """Whether `data` are the data of the card with `card_hash` (constant-time comparison)."""
    return hmac.compare_digest(card_data_hash(data, nonce=nonce), card_hash)
