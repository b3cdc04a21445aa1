"""The writes of the Sozialcard: issuing, activating (binding to a device) and revoking cards,
one-time activation codes (a card on another phone without the account's login), creating and
revoking tills.

Every function runs in one transaction; nothing half-written stays behind.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta

import pyotp
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .cardhash import CardData, card_data_hash, card_nonce_new, server_key
from .conf import sozialcard_setting
from .errors import ActivationCodeExpired, ActivationCodeUsed, ActivationCodeWrong, CardInvalid
from .models import ActivationCode, Card, DiscountCategory, Partner, Programme, Till

__all__ = ["activation_code_create", "activation_code_hash", "activation_code_normalize", "card_activate",
           "card_activate_by_code", "card_device_matches", "card_device_token", "card_issue", "card_revoke",
           "till_create", "till_key_hash", "till_revoke"]

#: Length of the public prefix of a till's API key (the lookup column).
TILL_KEY_PREFIX_LENGTH = 12


def _age_on(birthdate: date, day: date) -> int:
    return day.year - birthdate.year - ((day.month, day.day) < (birthdate.month, birthdate.day))


@transaction.atomic
def card_issue(*, programme: Programme, category: DiscountCategory, given_name: str, family_name: str,
               birthdate: date, valid_from: date, valid_until: date, owner=None, case=None,
               kind: str = Card.Kind.DYNAMIC) -> Card:
    """Issue one person's card: checks the programme's rules (category of the programme,
    minimum age on the first day, validity at most `max_validity_months`), then stores the
    keyed hash of the full data and only the first name and year of birth."""
    given_name, family_name = given_name.strip(), family_name.strip()
    if not given_name or not family_name:
        raise CardInvalid(_("Vor- und Familienname der Person fehlen."), field="given_name")
    if category.programme_id != programme.pk:
        raise CardInvalid(_("Diese Ermäßigungsstufe gehört nicht zum Programm."), field="category")
    if valid_until < valid_from:
        raise CardInvalid(_("Das Ende der Gültigkeit liegt vor ihrem Beginn."), field="valid_until")
    if valid_until > valid_from + relativedelta(months=programme.max_validity_months):
        raise CardInvalid(_("Die Karte darf höchstens %(months)s Monate gültig sein.")
                          % {"months": programme.max_validity_months}, field="valid_until")
    if _age_on(birthdate, valid_from) < programme.minimum_age:
        raise CardInvalid(_("Eine Karte gibt es erst ab %(age)s Jahren.") % {"age": programme.minimum_age},
                          field="birthdate")
    nonce = card_nonce_new()
    data = CardData(programme=programme.slug, given_name=given_name, family_name=family_name,
                    birthdate=birthdate, valid_from=valid_from, valid_until=valid_until)
    return Card.objects.create(
        card_hash=card_data_hash(data, nonce=nonce), hash_nonce=nonce, programme=programme, category=category,
        owner=owner, case=case, given_name=given_name, birth_year=birthdate.year, valid_from=valid_from,
        valid_until=valid_until, kind=kind)


@transaction.atomic
def card_revoke(*, card: Card, reason: str) -> Card:
    """Revoke a card (benefit ended, card lost …): refused at the next check. Revoking twice
    keeps the first time and reason."""
    if reason not in Card.Revocation.values:
        raise CardInvalid(_("Unbekannter Sperrgrund."), field="reason")
    card = Card.objects.select_for_update().get(pk=card.pk)
    if card.revoked_at is None:
        card.revoked_at, card.revocation_reason = timezone.now(), reason
        card.save(update_fields=["revoked_at", "revocation_reason"])
    return card


def till_key_hash(key: str) -> str:
    """SHA-256 (hex) of a till's API key: the key is 256 random bits, so a plain hash suffices
    (no password hashing needed, and the check stays fast for a till)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def till_create(*, partner: Partner, name: str) -> tuple[Till, str]:
    """A new till of `partner` and its API key, returned this once (only its hash is kept)."""
    key = secrets.token_urlsafe(32)
    till = Till.objects.create(partner=partner, name=name, key_prefix=key[:TILL_KEY_PREFIX_LENGTH],
                               key_hash=till_key_hash(key))
    return till, key


@transaction.atomic
def till_revoke(*, till: Till) -> Till:
    """Revoke a till's API key (its next request is refused)."""
    if till.revoked_at is None:
        till.revoked_at = timezone.now()
        till.save(update_fields=["revoked_at"])
    return till


@transaction.atomic
def card_activate(*, card: Card) -> Card:
    """Bind the card to a (new) device: a fresh TOTP secret and the next device generation,
    so every code of the device before is refused from now on. Revoked or expired cards are
    not activated."""
    card = Card.objects.select_for_update().get(pk=card.pk)
    _card_usable_or_raise(card)
    card.totp_secret = pyotp.random_base32()
    card.device_generation += 1
    card.activated_at = timezone.now()
    card.save(update_fields=["totp_secret", "device_generation", "activated_at"])
    return card


def card_device_token(card: Card) -> str:
    """The token the activated device keeps (an HttpOnly cookie): HMAC of the card, its
    generation and its secret, so a new activation makes the old device's token worthless."""
    message = f"device|{card.pk}|{card.device_generation}|{card.totp_secret}".encode()
    return hmac.new(server_key(), message, hashlib.sha256).hexdigest()


def card_device_matches(card: Card, token: str) -> bool:
    """Whether `token` is the current device's token of an activated card."""
    return bool(card.totp_secret) and hmac.compare_digest(card_device_token(card), token or "")


#: The letters of an activation code: Crockford's base 32 (no I, L, O, U: nothing to mix up
#: when it is read out or typed on a phone). Eight of them are 40 bits.
ACTIVATION_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ACTIVATION_LENGTH = 8
# What people type for the letters that are not in the alphabet (Crockford's decoding).
_ACTIVATION_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def activation_code_normalize(text: str) -> str:
    """An activation code as typed ("k7qm-4xtp", "K7QM 4XTP") in its one canonical form
    ("K7QM4XTP"); "" if it cannot be one."""
    plain = "".join((text or "").upper().split()).replace("-", "").translate(_ACTIVATION_ALIASES)
    if len(plain) != ACTIVATION_LENGTH or any(char not in ACTIVATION_ALPHABET for char in plain):
        return ""
    return plain


def activation_code_hash(code: str) -> str:
    """The keyed hash (HMAC-SHA256, server key) of a canonical activation code: 40 bits are
    few, so a plain hash of a leaked table could be reversed by trying them all; the key
    prevents that."""
    return hmac.new(server_key(), f"activation|{code}".encode(), hashlib.sha256).hexdigest()


def _card_usable_or_raise(card: Card) -> None:
    if card.revoked_at is not None:
        raise CardInvalid(_("Diese Karte ist gesperrt."), field="card")
    if card.valid_until < timezone.localdate():
        raise CardInvalid(_("Diese Karte ist abgelaufen."), field="card")


@transaction.atomic
def activation_code_create(*, card: Card) -> tuple[ActivationCode, str]:
    """A one-time activation code for `card` (the owner hands it to the family member whose
    phone shall show the card); returns the row and the code ("K7QM-4XTP"), shown this once.
    An unused code of the card before is void from now on."""
    card = Card.objects.select_for_update().get(pk=card.pk)
    _card_usable_or_raise(card)
    ActivationCode.objects.filter(card=card, used_at__isnull=True).delete()
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_LENGTH))
    row = ActivationCode.objects.create(
        card=card, code_hash=activation_code_hash(code),
        expires_at=timezone.now() + timedelta(minutes=sozialcard_setting("ACTIVATION_CODE_MINUTES")))
    return row, f"{code[:4]}-{code[4:]}"


@transaction.atomic
def card_activate_by_code(*, code: str) -> Card:
    """Activate the card of a one-time activation code on this device (`card_activate`: the
    phone before stops working). ActivationCodeWrong (400), ActivationCodeUsed (409),
    ActivationCodeExpired (410), CardInvalid for a card revoked or ended since."""
    canonical = activation_code_normalize(code)
    row = (ActivationCode.objects.select_for_update().filter(code_hash=activation_code_hash(canonical)).first()
           if canonical else None)
    if row is None:
        raise ActivationCodeWrong(_("Diesen Aktivierungscode gibt es nicht. Bitte prüfen Sie ihn."), field="code")
    if row.used_at is not None:
        raise ActivationCodeUsed(_("Dieser Aktivierungscode wurde schon benutzt. Lassen Sie sich im Konto "
                                   "einen neuen geben."), field="code")
    if row.expires_at <= timezone.now():
        raise ActivationCodeExpired(_("Dieser Aktivierungscode ist abgelaufen. Lassen Sie sich im Konto "
                                      "einen neuen geben."), field="code")
    card = card_activate(card=row.card)
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return card
