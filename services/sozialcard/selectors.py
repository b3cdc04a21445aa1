"""The reads of the Sozialcard: the public programme and partner lists, a citizen's cards."""
from __future__ import annotations

import hmac

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Card, DiscountCategory, Partner, PartnerDiscount, Programme, Till
from .services import TILL_KEY_PREFIX_LENGTH, till_key_hash

__all__ = ["card_list_for_owner", "partner_list_public", "programme_list_public", "till_for_key"]


def programme_list_public() -> QuerySet[Programme]:
    """The active programmes with their categories (public data: the catalogue page)."""
    return Programme.objects.filter(is_active=True).prefetch_related(
        Prefetch("categories", queryset=DiscountCategory.objects.order_by("slug")))


def partner_list_public() -> QuerySet[Partner]:
    """The active partners with their locations and their discounts of active programmes
    (public data). Three queries."""
    discounts = (PartnerDiscount.objects.filter(programme__is_active=True)
                 .select_related("programme", "category").order_by("programme__order", "category__slug"))
    return Partner.objects.filter(is_active=True).prefetch_related(
        "locations", Prefetch("discounts", queryset=discounts))


def card_list_for_owner(*, user) -> list[Card]:
    """The cards of a citizen account: valid and future ones first, then expired or revoked
    ones of the last year (so a renewal can be seen); each with `is_valid_today`."""
    if user is None or not user.is_authenticated:
        return []
    today = timezone.localdate()
    cards = list(Card.objects.filter(owner=user, valid_until__gte=today.replace(year=today.year - 1))
                 .select_related("programme", "category")
                 .only("pk", "given_name", "birth_year", "valid_from", "valid_until", "kind", "revoked_at",
                       "revocation_reason", "activated_at", "programme__slug", "programme__name_de",
                       "programme__name_en", "category__name_de", "category__name_en"))
    for card in cards:
        card.is_valid_today = card.revoked_at is None and card.valid_from <= today <= card.valid_until
    return sorted(cards, key=lambda card: (not card.is_valid_today, -card.valid_until.toordinal()))


def till_for_key(*, key: str) -> Till | None:
    """The till whose API key is `key`, unless revoked; None for any other key. The one check
    of a till key: the till API's `Authorization: Till <key>` and the checker page's sign-in
    (the hash compared in constant time)."""
    till = (Till.objects.filter(key_prefix=key[:TILL_KEY_PREFIX_LENGTH], revoked_at__isnull=True)
            .select_related("partner").only("pk", "name", "partner_id", "partner__name", "key_hash").first())
    if till is None or not hmac.compare_digest(till.key_hash, till_key_hash(key)):
        return None
    return till
