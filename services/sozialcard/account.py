"""The citizen account's part of the Sozialcard: the section "Meine Karten" of `/konto/`, the
data export (DSGVO Art. 15) and the erasure (Art. 17) of a citizen's cards.

Erasure revokes the cards (a card without its account cannot be shown any more), forgets
the first name and deletes open activation codes; the keyed hash and the validity stay for the
statistics of checks.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.sections import AccountSection

from .models import ActivationCode, Card
from .selectors import card_list_for_owner

__all__ = ["account_section", "card_account_erase", "card_account_export"]


def account_section(request) -> AccountSection | None:
    """The section "Meine Karten" (only for accounts that have cards)."""
    cards = card_list_for_owner(user=request.user)
    if not cards:
        return None
    return AccountSection(title=gettext_lazy("Meine Karten"), template_name="sozialcard/account_section.html",
                          context={"cards": cards}, order=15)


def card_account_export(user) -> tuple[str, list]:
    """("sozialcard", […]): every card of the account with what it keeps about the person."""
    return "sozialcard", [
        {"programme": card.programme.slug, "category": card.category.slug, "given_name": card.given_name,
         "birth_year": card.birth_year, "valid_from": card.valid_from.isoformat(),
         "valid_until": card.valid_until.isoformat(), "kind": card.kind,
         "activated_at": card.activated_at.isoformat() if card.activated_at else None,
         "revoked_at": card.revoked_at.isoformat() if card.revoked_at else None}
        for card in Card.objects.filter(owner=user).select_related("programme", "category").order_by("pk")]


def card_account_erase(user) -> None:
    """Revoke the account's cards and drop the person from them (inside the deletion's
    transaction)."""
    with transaction.atomic():
        cards = Card.objects.filter(owner=user)
        cards.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(),
                                                     revocation_reason=Card.Revocation.ACCOUNT_DELETED)
        ActivationCode.objects.filter(card__in=cards).delete()
        cards.update(owner=None, given_name="", totp_secret="")
