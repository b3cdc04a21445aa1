"""The reads of the Sozialcard: the public programme and partner lists, a citizen's cards."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Card, DiscountCategory, Partner, PartnerDiscount, Programme

__all__ = ["card_list_for_owner", "partner_list_public", "programme_list_public"]


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
