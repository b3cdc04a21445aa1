"""The till verification API `POST /api/pos/v1/verify`: the till's key (hashed, revocable,
rate-limited), a valid dynamic and static code with exactly what a till may learn, every
refusal with its code and nothing about the person, the replay of a dynamic code, a moved
card, the verification log without personal data, the statements of one check, the pruning
of old used codes, and the OpenAPI description."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import beat_schedule
from services.sozialcard.codes import dynamic_code, static_code
from services.sozialcard.models import Card, Partner, UsedCode, VerificationCount
from services.sozialcard.services import card_activate, card_issue, card_revoke, till_create, till_revoke
from services.sozialcard.tasks import used_codes_prune

from .conftest import PERSON

pytestmark = pytest.mark.django_db

URL = "/api/pos/v1/verify"


@pytest.fixture
def card(sc):
    today = timezone.localdate()
    issued = card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                        valid_until=today + relativedelta(months=6), owner=sc.citizen)
    return card_activate(card=issued)


@pytest.fixture
def till(sc):
    till, key = till_create(partner=sc.partner, name="Kasse 1")
    client = Client(headers={"authorization": f"Till {key}"})
    return till, client


def _now_code(card, at=None):
    return dynamic_code(card_hash=card.card_hash, generation=card.device_generation, secret=card.totp_secret, at=at)


def _verify(client, code, **headers):
    return client.post(URL, {"code": code}, content_type="application/json", headers=headers)


def test_a_valid_dynamic_code_tells_only_what_a_till_may_learn(sc, card, till):
    _till, client = till
    response = _verify(client, _now_code(card))
    assert response.status_code == 200
    assert response.json() == {
        "valid": True, "reason": None, "message": "Gültig.", "card_type": "dynamic",
        "programme": {"slug": "sozialcard", "name": "Sozialcard"},
        "category": {"slug": "erwachsene", "name": "Erwachsene"}, "given_name": "Karla", "birth_year": 1990}
    body = response.content.decode()
    for secret in ("Kanarienvogel", "1990-03-04", "buergergeld", "Bürgergeld", "Badstraße", card.totp_secret):
        assert secret not in body


def test_a_static_code_is_accepted_and_marked_static(sc, card, till):
    _till, client = till
    answer = _verify(client, static_code(card_hash=card.card_hash)).json()
    assert (answer["valid"], answer["card_type"]) == (True, "static")
    forged = static_code(card_hash=card.card_hash)[:-4] + "0000"
    assert _verify(client, forged).json()["reason"] == "unknown"


def test_a_dynamic_code_is_accepted_once_and_refused_after_its_window(sc, card, till):
    _till, client = till
    now = int(datetime.now(tz=UTC).timestamp())
    start = datetime.fromtimestamp(now - now % 30 + 60, tz=UTC)
    with time_machine.travel(start, tick=False):
        code = _now_code(card)
        assert _verify(client, code).json()["valid"] is True
        again = _verify(client, code).json()
        assert (again["valid"], again["reason"], again["given_name"]) == (False, "replayed", None)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):  # the next step is fine
        assert _verify(client, _now_code(card)).json()["valid"] is True
    old = _now_code(card, at=start + timedelta(seconds=90))
    with time_machine.travel(start + timedelta(seconds=180), tick=False):  # a screenshot of 90 s ago
        assert _verify(client, old).json()["reason"] == "replayed"
        assert _verify(client, _now_code(card)[:-6] + "000000").json()["reason"] in ("invalid_code", "replayed")


@pytest.mark.parametrize(("change", "reason", "german"), [
    (lambda card: card_revoke(card=card, reason="lost"), "revoked", "Diese Karte ist gesperrt."),
    (lambda card: Card.objects.filter(pk=card.pk).update(valid_from=timezone.localdate() - timedelta(days=30),
                                                         valid_until=timezone.localdate() - timedelta(days=1)),
     "expired", "Diese Karte ist abgelaufen."),
    (lambda card: Card.objects.filter(pk=card.pk).update(valid_from=timezone.localdate() + timedelta(days=1)),
     "not_yet_valid", "Diese Karte gilt noch nicht."),
])
def test_refusals_say_why_and_nothing_about_the_person(sc, card, till, change, reason, german):
    _till, client = till
    code = _now_code(card)
    change(card)
    answer = _verify(client, code).json()
    assert answer == {"valid": False, "reason": reason, "message": german, "card_type": None, "programme": None,
                      "category": None, "given_name": None, "birth_year": None}


def test_unknown_codes_a_moved_card_and_a_foreign_partner(sc, card, till):
    _till, client = till
    assert _verify(client, "hallo").json()["reason"] == "unknown"
    assert _verify(client, "SC1D." + "0" * 64 + ".1.123456").json()["reason"] == "unknown"
    old_code = _now_code(card)
    card_activate(card=card)  # moved to a new phone
    card.refresh_from_db()
    assert _verify(client, old_code).json()["reason"] == "device_replaced"
    assert _verify(client, _now_code(card)).json()["valid"] is True
    museum = Partner.objects.create(name="Museum ohne Sozialcard", department=sc.sozialamt)
    _other, key = till_create(partner=museum, name="Museumskasse")
    answer = _verify(Client(headers={"authorization": f"Till {key}"}), static_code(card_hash=card.card_hash)).json()
    assert (answer["reason"], answer["message"]) == (
        "wrong_partner", "Für dieses Programm gibt es hier keine Ermäßigung.")


def test_english_messages(sc, card, till):
    _till, client = till
    card_revoke(card=card, reason="lost")
    answer = _verify(client, _now_code(card), **{"accept-language": "en"}).json()
    assert answer["message"] == "This card is revoked."


def test_keys_are_checked_revocable_and_rate_limited(sc, card, till, settings):
    till_row, client = till
    assert _verify(Client(), _now_code(card)).status_code == 401
    assert _verify(Client(headers={"authorization": "Till falsch"}), _now_code(card)).status_code == 401
    missing = client.post(URL, {}, content_type="application/json")
    assert missing.status_code == 400 and "code" in missing.json()["errors"]
    settings.SOZIALCARD = {"TILL_RATE": "3/min"}
    for _ in range(2):
        assert _verify(client, "hallo").status_code == 200
    assert _verify(client, "hallo").status_code == 429
    till_revoke(till=till_row)
    assert _verify(client, "hallo").status_code == 401


def test_the_log_counts_without_personal_data(sc, card, till):
    _till, client = till
    _verify(client, static_code(card_hash=card.card_hash))
    _verify(client, static_code(card_hash=card.card_hash))
    _verify(client, "hallo")
    rows = set(VerificationCount.objects.values_list("programme__slug", "card_type", "result", "count"))
    assert rows == {(None, "", "unknown", 1), ("sozialcard", "static", "valid", 2)}
    assert VerificationCount.objects.filter(day=timezone.localdate(), partner=sc.partner).count() == 2


@pytest.mark.parametrize("kind", ["dynamic", "static", "replayed", "unknown"])
def test_one_check_is_at_most_six_statements(sc, card, till, kind):
    """Till, card with the partner's discount, used code, day count: four statements, no
    DELETE (pruning is the beat task's)."""
    _till, client = till
    code = {"dynamic": _now_code(card), "static": static_code(card_hash=card.card_hash),
            "replayed": _now_code(card), "unknown": "SC1D." + "0" * 64 + ".1.123456"}[kind]
    if kind == "replayed":
        assert _verify(client, code).json()["valid"] is True
    with CaptureQueriesContext(connection) as queries:
        answer = _verify(client, code).json()
    assert answer["valid"] is (kind in ("dynamic", "static"))
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) <= 6, statements
    # The request's transaction is a savepoint in the test's own (in production: BEGIN and
    # COMMIT, which are no statements here); card_verify adds none of its own.
    work = [sql for sql in statements if "SAVEPOINT" not in sql.upper()]
    assert len(statements) - len(work) == 2, statements
    assert [sql.split()[0].upper() for sql in work] == {
        "dynamic": ["SELECT", "SELECT", "INSERT", "INSERT"], "replayed": ["SELECT", "SELECT", "INSERT", "INSERT"],
        "static": ["SELECT", "SELECT", "INSERT"], "unknown": ["SELECT", "SELECT", "INSERT"]}[kind], work


def test_two_checks_of_one_code_race_and_only_one_wins(sc, card, till):
    """The used code is one row per (card, step): the second insert gets no row back."""
    _till, client = till
    code = _now_code(card)
    answers = [_verify(client, code).json()["reason"] for _ in range(3)]
    assert answers == [None, "replayed", "replayed"]
    assert UsedCode.objects.filter(card=card).count() == 1
    assert set(VerificationCount.objects.values_list("result", "count")) == {("valid", 1), ("replayed", 2)}


def test_old_used_codes_are_pruned_by_the_beat_task_not_by_a_check(sc, card, till):
    _till, client = till
    now = timezone.now()
    UsedCode.objects.create(card=card, step=1, used_at=now - timedelta(minutes=11))
    UsedCode.objects.create(card=card, step=2, used_at=now - timedelta(minutes=9))
    assert _verify(client, _now_code(card)).json()["valid"] is True
    assert UsedCode.objects.filter(card=card).count() == 3  # the check deleted nothing
    assert used_codes_prune.apply().get() == 1
    assert list(UsedCode.objects.filter(step__in=(1, 2)).values_list("step", flat=True)) == [2]
    assert UsedCode.objects.filter(card=card).count() == 2
    entry = beat_schedule()["sozialcard-used-codes-prune"]
    assert (entry["task"], entry["schedule"]) == ("services.sozialcard.tasks.used_codes_prune", timedelta(minutes=5))


def test_the_api_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/pos/v1/verify"]["post"]
    assert operation["operationId"] == "pos_v1_verify"
    assert {"tillKey": []} in operation["security"]
    assert {"200", "400", "401", "429"} <= set(operation["responses"])
