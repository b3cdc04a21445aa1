"""Issuing and revoking cards, and tills' keys: the programme's rules, the keyed hash instead
of the social data, exact German and English messages, nothing written on an error."""
from datetime import date

import pytest
from django.test import override_settings
from django.utils import translation

from services.sozialcard.cardhash import CardData, card_data_hash, card_data_matches
from services.sozialcard.errors import CardInvalid
from services.sozialcard.models import Card, Till
from services.sozialcard.services import card_issue, card_revoke, till_create, till_key_hash, till_revoke

from .conftest import PERSON

pytestmark = pytest.mark.django_db


def _issue(sc, **overrides):
    values = {"programme": sc.programme, "category": sc.adults, **PERSON, "valid_from": date(2026, 1, 1),
              "valid_until": date(2026, 12, 31), "owner": sc.citizen} | overrides
    return card_issue(**values)


def test_a_card_keeps_the_keyed_hash_and_only_first_name_and_birth_year(sc):
    card = _issue(sc)
    row = Card.objects.filter(pk=card.pk).values().get()
    assert (row["given_name"], row["birth_year"], row["valid_until"]) == ("Karla", 1990, date(2026, 12, 31))
    stored = " ".join(str(value) for value in row.values())
    assert "Kanarienvogel" not in stored and "1990-03-04" not in stored
    data = CardData(programme="sozialcard", **PERSON, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    assert len(card.card_hash) == 64
    assert card_data_matches(data, nonce=card.hash_nonce, card_hash=card.card_hash)
    other = CardData(programme="sozialcard", given_name="Karla", family_name="Anders", birthdate=date(1990, 3, 4),
                     valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    assert not card_data_matches(other, nonce=card.hash_nonce, card_hash=card.card_hash)


def test_the_hash_depends_on_the_server_key_and_the_nonce(sc):
    data = CardData(programme="sozialcard", **PERSON, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    first = card_data_hash(data, nonce="n1")
    assert card_data_hash(data, nonce="n2") != first
    with override_settings(SOZIALCARD={"CARD_HASH_KEY": "ein-anderer-schluessel"}):
        assert card_data_hash(data, nonce="n1") != first
    assert _issue(sc).card_hash != _issue(sc).card_hash  # same person twice: two cards


@pytest.mark.parametrize(("overrides", "field", "german", "english"), [
    ({"birthdate": date(2020, 1, 2)}, "birthdate", "Eine Karte gibt es erst ab 6 Jahren.",
     "A card is only issued from the age of 6."),
    ({"valid_until": date(2027, 1, 2)}, "valid_until", "Die Karte darf höchstens 12 Monate gültig sein.",
     "The card may be valid for 12 months at most."),
    ({"valid_until": date(2025, 12, 31)}, "valid_until", "Das Ende der Gültigkeit liegt vor ihrem Beginn.",
     "The end of the validity lies before its start."),
    ({"family_name": "  "}, "given_name", "Vor- und Familienname der Person fehlen.",
     "The person's first and family name are missing."),
])
def test_wrong_card_data_are_refused_with_a_clear_message(sc, overrides, field, german, english):
    with pytest.raises(CardInvalid) as refused:
        _issue(sc, **overrides)
    assert (refused.value.status_code, refused.value.field, refused.value.message) == (400, field, german)
    with translation.override("en"), pytest.raises(CardInvalid) as refused:
        _issue(sc, **overrides)
    assert refused.value.message == english
    assert Card.objects.count() == 0


def test_a_category_of_another_programme_is_refused(sc):
    from services.sozialcard.models import DiscountCategory, Programme
    other = Programme.objects.create(slug="familienpass", name_de="Familienpass", eligibility_de="Familien",
                                     proofs_de="Kindergeld", department=sc.sozialamt)
    foreign = DiscountCategory.objects.create(programme=other, slug="familie", name_de="Familie")
    with pytest.raises(CardInvalid, match="Diese Ermäßigungsstufe gehört nicht zum Programm."):
        _issue(sc, category=foreign)
    assert Card.objects.count() == 0


def test_a_six_year_old_gets_a_card_on_the_birthday(sc):
    card = _issue(sc, category=sc.children, birthdate=date(2020, 1, 1))
    assert card.birth_year == 2020


def test_revoking_keeps_the_first_reason(sc):
    card = card_revoke(card=_issue(sc), reason=Card.Revocation.LOST)
    first = card.revoked_at
    card = card_revoke(card=card, reason=Card.Revocation.BENEFIT_ENDED)
    assert (card.revoked_at, card.revocation_reason) == (first, "lost")
    with pytest.raises(CardInvalid, match="Unbekannter Sperrgrund."):
        card_revoke(card=card, reason="weil")


def test_a_till_keeps_only_the_hash_of_its_key(sc):
    till, key = till_create(partner=sc.partner, name="Kasse 1")
    row = Till.objects.get(pk=till.pk)
    assert (row.key_prefix, row.key_hash) == (key[:12], till_key_hash(key))
    assert key not in str(Till.objects.filter(pk=till.pk).values().get())
    assert till_revoke(till=row).revoked_at is not None
