"""The till check `POST /api/pos/v1/verify` under concurrent load, against the raw SQL the
check needs, and its p99 latency.

Honest set-up: the API runs under gunicorn (WORKERS processes on 127.0.0.1, like production
behind a proxy) and CLIENTS threads send real HTTP requests; the Django test client in threads
would measure one process fighting over the GIL, not a server. The card table holds CARDS
cards and there are TILLS tills, each request with one till's key (every till stays under its
rate limit of 120/min, so the throttle's Redis round trip is part of the figure, as at a real
till). Every request carries a fresh dynamic code of a different card (valid, so the full path
runs: key check, card lookup, validity, partner discount, TOTP, used-code insert, count upsert).

The baseline does the same database work in bare SQL from CLIENTS threads with one connection
each: till by key prefix, card by hash with programme, category and whether the partner grants
a discount (EXISTS), the used-code insert, the day's count upsert — one transaction per check,
the four statements of the check (old used codes are pruned by a beat task, not here). The
ratio is requests per second of the raw SQL over ours (how much the framework costs); target:
p99 below 100 ms (a till must not wait) and within 5x of the bare SQL.
"""
import hashlib
import os
import secrets
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import psycopg
import pyotp
from django.db import connection
from django.utils import timezone

from services.sozialcard.codes import STEP_SECONDS
from services.sozialcard.models import DiscountCategory, Partner, PartnerDiscount, Programme
from services.sozialcard.services import till_create

from .common import GunicornServer, clear_tables, drive, percentile_ms

ROOT = Path(__file__).resolve().parent.parent
CARDS = 50_000
TILLS = 40
REQUESTS = 2_000
CLIENTS = 8
WORKERS = 2
PORT = 8763
SECRET = pyotp.random_base32()  # one device secret for every bench card (the lookup is what varies)


def _setup() -> list[str]:
    clear_tables()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE sozialcard_usedcode, sozialcard_verificationcount, sozialcard_till, "
                       "sozialcard_card, sozialcard_partnerdiscount, sozialcard_partnerlocation, sozialcard_partner, "
                       "sozialcard_discountcategory, sozialcard_programme CASCADE")
    from routing_rules.models import Department

    office = Department.objects.create(slug="sozialamt", name="Sozialamt", email="s@x.example")
    programme = Programme.objects.create(slug="sozialcard", name_de="Sozialcard", eligibility_de="-", proofs_de="-",
                                         department=office)
    category = DiscountCategory.objects.create(programme=programme, slug="erwachsene", name_de="Erwachsene")
    partner = Partner.objects.create(name="Bad", department=office)
    PartnerDiscount.objects.create(partner=partner, programme=programme, category=category, description_de="2 €")
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO sozialcard_card (card_hash, hash_nonce, programme_id, category_id, given_name, birth_year,
              valid_from, valid_until, kind, totp_secret, device_generation, revocation_reason, created_at)
            SELECT encode(sha256(('bench-card-' || i)::bytea), 'hex'), 'n' || i, %s, %s, 'Vorname', 1980 + i %% 40,
              %s, %s, 'dynamic', %s, 1, '', now()
            FROM generate_series(1, %s) AS i""",
                       [programme.pk, category.pk, today - timedelta(days=10), today + timedelta(days=300), SECRET,
                        CARDS])
        cursor.execute("ANALYZE sozialcard_card")
    return [till_create(partner=partner, name=f"Kasse {i}")[1] for i in range(TILLS)]


_TOTP = pyotp.TOTP(SECRET, interval=STEP_SECONDS)


def _jobs(keys: list[str]) -> list[tuple[str, str]]:
    """REQUESTS (card hash, till key) pairs: REQUESTS different cards, the tills in turn."""
    return [(hashlib.sha256(f"bench-card-{i}".encode()).hexdigest(), keys[i % TILLS]) for i in range(1, REQUESTS + 1)]


def _code(card_hash: str) -> str:
    """The card's dynamic code at this moment (made when sent, as the phone shows it; ~20 µs)."""
    return f"SC1D.{card_hash}.1.{_TOTP.now()}"


def _drive(jobs: list, send) -> tuple[float, list[float]]:
    return drive(jobs, send, clients=CLIENTS)


def _http_send(base: str):
    def send(job, state):
        card_hash, key = job
        code = _code(card_hash)
        request = urllib.request.Request(f"{base}/api/pos/v1/verify", data=f'{{"code": "{code}"}}'.encode(),
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Till {key}"}, method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        if b'"valid":true' not in body:
            raise AssertionError(body[:200])
    return send


_RAW_CHECK = """
SELECT id, partner_id, key_hash FROM sozialcard_till WHERE key_prefix = %(prefix)s AND revoked_at IS NULL;
SELECT c.id, c.programme_id, p.slug, p.name_de, k.slug, k.name_de, c.given_name, c.birth_year, c.valid_from,
       c.valid_until, c.revoked_at, c.totp_secret, c.device_generation,
       EXISTS (SELECT 1 FROM sozialcard_partnerdiscount d WHERE d.partner_id = %(partner)s
               AND d.programme_id = c.programme_id)
  FROM sozialcard_card c JOIN sozialcard_programme p ON p.id = c.programme_id
  JOIN sozialcard_discountcategory k ON k.id = c.category_id WHERE c.card_hash = %(hash)s;
INSERT INTO sozialcard_usedcode (card_id, step, used_at) VALUES (%(card)s, %(step)s, now()) ON CONFLICT DO NOTHING
  RETURNING id;
INSERT INTO sozialcard_verificationcount (day, partner_id, programme_id, card_type, result, count)
  VALUES (current_date, %(partner)s, %(programme)s, 'dynamic', 'valid', 1)
  ON CONFLICT (day, partner_id, programme_id, card_type, result) DO UPDATE
  SET count = sozialcard_verificationcount.count + 1
"""


def _raw_send(dsn: str, partner: int, programme: int):
    statements = [s for s in _RAW_CHECK.split(";") if s.strip()]

    def send(job, state):
        card_hash, key = job
        if "conn" not in state:
            state["conn"] = psycopg.connect(dsn, autocommit=False)
            state["close"] = state["conn"].close
        step = int(time.time()) // STEP_SECONDS
        params = {"prefix": key[:12], "hash": card_hash, "partner": partner, "programme": programme, "step": step}
        with state["conn"].transaction(), state["conn"].cursor() as cursor:
            cursor.execute(statements[0], params)
            cursor.fetchone()
            cursor.execute(statements[1], params)
            params["card"] = cursor.fetchone()[0]
            for statement in statements[2:]:
                cursor.execute(statement, params)
    return send


def run() -> None:
    keys = _setup()
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    dsn = f"host={host} port={port} dbname={db['NAME']} user={db['USER']} password={db['PASSWORD']}"
    env = {**os.environ, "DATABASE_URL": f"postgis://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}",
           "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING"}
    server = GunicornServer(ROOT / ".venv" / "bin" / "gunicorn", "config.wsgi:application", PORT, env, ROOT,
                            workers=WORKERS)
    base = f"http://127.0.0.1:{PORT}"
    try:
        server.wait_ready("/api/schema/")
        warm = [(f"SC1S.{'0' * 64}.{'0' * 20}", secrets.choice(keys)) for _ in range(40)]  # unknown codes
        _drive(warm, lambda job, state: urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/pos/v1/verify", data=f'{{"code": "{job[0]}"}}'.encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Till {job[1]}"}), timeout=30).read())
        ours_rps, ours_latencies = _drive(_jobs(keys), _http_send(base))
    finally:
        server.stop()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE sozialcard_usedcode")
    programme, partner = Programme.objects.get().pk, Partner.objects.get().pk
    raw_rps, raw_latencies = _drive(_jobs(keys), _raw_send(dsn, partner, programme))
    print(f"verify: POST /api/pos/v1/verify, {REQUESTS:,} valid dynamic codes over {CARDS:,} cards, {TILLS} tills, "
          f"{CLIENTS} clients, {WORKERS} gunicorn workers: ours {ours_rps:,.0f} req/s, p50 "
          f"{percentile_ms(ours_latencies, 50):.1f} ms, p99 {percentile_ms(ours_latencies, 99):.1f} ms; "
          f"raw SQL of the same check {raw_rps:,.0f} checks/s, p99 {percentile_ms(raw_latencies, 99):.1f} ms; "
          f"ratio {raw_rps / ours_rps:.2f}x (target: p99 < 100 ms, ratio <= 5x)")
