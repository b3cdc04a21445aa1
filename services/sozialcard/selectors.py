"""The reads of the Sozialcard: the public programme and partner lists, a citizen's cards, a
till by its key, and the verification counts (statistics page and dataset).

The counts come from `VerificationCount` only: day, partner, programme, card type, result and
a number — no card, no person. Small numbers are published as they are: a count says how many
checks a partner made, not whose card it was; somebody who saw a person at the pool's till
learns nothing from "1 valid check that day" that the sight did not already tell. So no
suppression of small cells is needed (unlike tables of persons' attributes).
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from .models import Card, DiscountCategory, Partner, PartnerDiscount, Programme, Till, VerificationCount
from .services import TILL_KEY_PREFIX_LENGTH, till_key_hash

__all__ = ["card_for_check", "card_list_for_owner", "partner_list_public", "programme_list_public", "till_for_key",
           "CountRow", "verification_counts", "verification_count_rows"]


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


def card_for_check(*, card_hash: str, partner_id: int) -> Card | None:
    """The card with the hash `card_hash` and what a till check needs of it — programme and
    category names, validity, revocation, device secret — plus `partner_grants`: whether the
    partner `partner_id` grants a discount of the card's programme. One query; None if there
    is no such card."""
    grants = PartnerDiscount.objects.filter(partner_id=partner_id, programme_id=OuterRef("programme_id"))
    return (Card.objects.filter(card_hash=card_hash).select_related("programme", "category")
            .only("pk", "card_hash", "programme_id", "programme__slug", "programme__name_de", "programme__name_en",
                  "category__slug", "category__name_de", "category__name_en", "given_name", "birth_year",
                  "valid_from", "valid_until", "revoked_at", "totp_secret", "device_generation")
            .annotate(partner_grants=Exists(grants)).first())


@dataclass(frozen=True)
class CountRow:
    """Checks of one period (a day or a month's first day), partner and programme (None: codes
    of no known card): `valid`, `refused` and `total`."""

    period: date
    partner: str
    programme: str | None
    valid: int
    refused: int

    @property
    def total(self) -> int:
        return self.valid + self.refused


def verification_counts(*, by: str, since: date | None = None) -> list[CountRow]:
    """The checks per `by` ("day" or "month"), partner and programme, newest period first, from
    `since` on (None: all); programme names in the active language. One query."""
    rows = VerificationCount.objects.all()
    if since is not None:
        rows = rows.filter(day__gte=since)
    period = TruncMonth("day") if by == "month" else F("day")
    rows = (rows.annotate(period=period)
            .values("period", "partner__name", "programme__name_de", "programme__name_en", "programme__order")
            .annotate(valid=Sum("count", filter=Q(result="valid"), default=0),
                      refused=Sum("count", filter=~Q(result="valid"), default=0))
            .order_by("-period", "partner__name", "programme__order", "programme__name_de"))
    english = (get_language() or "de").startswith("en")
    return [CountRow(period=row["period"], partner=row["partner__name"],
                     programme=(english and row["programme__name_en"]) or row["programme__name_de"],
                     valid=row["valid"], refused=row["refused"]) for row in rows]


def verification_count_rows() -> QuerySet[VerificationCount]:
    """Every count row with its partner's name and programme's slug, oldest day first (the
    open dataset: the finest grain there is, still without any person)."""
    return (VerificationCount.objects.select_related("partner", "programme")
            .only("day", "card_type", "result", "count", "partner__name", "programme__slug")
            .order_by("day", "partner__name", "programme__slug", "card_type", "result"))
