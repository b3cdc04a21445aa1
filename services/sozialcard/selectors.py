"""The reads of the Sozialcard: the public programme and partner lists, a citizen's cards, a
till by its key, and the verification counts (statistics page and dataset).

The counts come from `VerificationCount` only: day, partner, programme, card type, result and
a number — no card, no person. Small numbers are published as they are: a count says how many
checks a partner made, not whose card it was; somebody who saw a person at the pool's till
learns nothing from "1 valid check that day" that the sight did not already tell. So no
suppression of small cells is needed (unlike tables of persons' attributes).

The two reads of a till check (`till_for_key`, `card_for_check`) are written in SQL and
turned into model instances with `Model.from_db`, the ORM's own hook for rows: building and
compiling their querysets (joins, `only`, an `Exists` annotation) cost 1.4 and 2.5 ms of CPU
per check (measured on the bench data), several times the database's own work, and a till
must not wait. The columns come from the models' `_meta`, so a renamed column is followed.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from django.db import connections, router
from django.db.models import F, Prefetch, Q, QuerySet, Sum
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


def _columns(model, table_alias: str, attnames: set[str]) -> tuple[list[str], str]:
    """The attnames of `model`'s concrete fields in `attnames`, in the model's field order (the
    order `Model.from_db` expects its values in), and their SQL column list."""
    fields = [field for field in model._meta.concrete_fields if field.attname in attnames]
    return [field.attname for field in fields], ", ".join(f'{table_alias}."{field.column}"' for field in fields)


_TILL_FIELDS, _TILL_COLUMNS = _columns(Till, "t", {"id", "partner_id", "name", "key_hash"})
_PARTNER_FIELDS, _PARTNER_COLUMNS = _columns(Partner, "p", {"id", "name"})
_TILL_SQL = f"""
    SELECT {_TILL_COLUMNS}, {_PARTNER_COLUMNS}
    FROM {Till._meta.db_table} t JOIN {Partner._meta.db_table} p ON p.id = t.partner_id
    WHERE t.key_prefix = %s AND t.revoked_at IS NULL"""

_CARD_FIELDS, _CARD_COLUMNS = _columns(Card, "c", {
    "id", "card_hash", "programme_id", "category_id", "given_name", "birth_year", "valid_from", "valid_until",
    "revoked_at", "totp_secret", "device_generation"})
_PROGRAMME_FIELDS, _PROGRAMME_COLUMNS = _columns(Programme, "p", {"id", "slug", "name_de", "name_en"})
_CATEGORY_FIELDS, _CATEGORY_COLUMNS = _columns(DiscountCategory, "k", {"id", "slug", "name_de", "name_en"})
_CARD_SQL = f"""
    SELECT {_CARD_COLUMNS}, {_PROGRAMME_COLUMNS}, {_CATEGORY_COLUMNS},
           EXISTS (SELECT 1 FROM {PartnerDiscount._meta.db_table} d
                   WHERE d.partner_id = %s AND d.programme_id = c.programme_id)
    FROM {Card._meta.db_table} c
    JOIN {Programme._meta.db_table} p ON p.id = c.programme_id
    JOIN {DiscountCategory._meta.db_table} k ON k.id = c.category_id
    WHERE c.card_hash = %s"""


def _row(model, sql: str, params: list):
    """The first row of `sql` on the connection `model` is read from (None if none), and that alias."""
    alias = router.db_for_read(model)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone(), alias


def _split(row, *lengths: int) -> list[tuple]:
    parts, start = [], 0
    for length in lengths:
        parts.append(tuple(row[start:start + length]))
        start += length
    return parts


def till_for_key(*, key: str) -> Till | None:
    """The till whose API key is `key`, unless revoked, with its partner's name; None for any
    other key. The one check of a till key: the till API's `Authorization: Till <key>` and the
    checker page's sign-in (the hash compared in constant time). One query."""
    row, alias = _row(Till, _TILL_SQL, [key[:TILL_KEY_PREFIX_LENGTH]])
    if row is None:
        return None
    till_values, partner_values = _split(row, len(_TILL_FIELDS), len(_PARTNER_FIELDS))
    till = Till.from_db(alias, _TILL_FIELDS, till_values)
    if not hmac.compare_digest(till.key_hash, till_key_hash(key)):
        return None
    till.partner = Partner.from_db(alias, _PARTNER_FIELDS, partner_values)
    return till


def card_for_check(*, card_hash: str, partner_id: int) -> Card | None:
    """The card with the hash `card_hash` and what a till check needs of it — programme and
    category (slug, names), first name, year of birth, validity, revocation, device secret —
    plus `partner_grants`: whether the partner `partner_id` grants a discount of the card's
    programme (an EXISTS in the same query). One query; None if there is no such card."""
    row, alias = _row(Card, _CARD_SQL, [partner_id, card_hash])
    if row is None:
        return None
    card_values, programme_values, category_values, (grants,) = _split(
        row, len(_CARD_FIELDS), len(_PROGRAMME_FIELDS), len(_CATEGORY_FIELDS), 1)
    card = Card.from_db(alias, _CARD_FIELDS, card_values)
    card.programme = Programme.from_db(alias, _PROGRAMME_FIELDS, programme_values)
    card.category = DiscountCategory.from_db(alias, _CATEGORY_FIELDS, category_values)
    card.partner_grants = grants
    return card


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
