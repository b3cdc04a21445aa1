"""config.db_router against a real streaming replica (tests/fixtures_replica.py).

The replica's WAL replay is paused where a test needs to tell the two databases apart: a row
written on the primary then exists only there, so a read that finds it read the primary.
"""
import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from config.db_router import PIN_COOKIE, ReplicaRouter, primary_reads
from reporter.models import Report
from routing_rules.models import Category
from tests.fixtures_replica import replica_catch_up, replica_replay

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
              pytest.mark.usefixtures("replica_alias")]

INSIDE = {"lon": 12.05, "lat": 50.875}


def _file_report(client) -> dict:
    response = client.post("/api/v1/reports/", {"category": "schlagloch", **INSIDE, "description": "Tiefes Loch",
                                                "email": "canary-replica@example.org"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_replica_is_a_hot_standby():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (False,)


def test_get_reads_the_replica_and_writes_nothing_on_the_primary(replica, city):
    replica_catch_up(replica)
    client = APIClient()
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get("/api/v1/categories/")
    assert response.status_code == 200
    assert "schlagloch" in {c["slug"] for c in response.json()}
    assert len(on_replica.captured_queries) >= 1
    # Django logs the request's transaction (ATOMIC_REQUESTS); psycopg sends no BEGIN before a
    # first statement, and none came.
    assert [q["sql"] for q in on_primary.captured_queries] == ["BEGIN", "COMMIT"]
    assert PIN_COOKIE not in response.cookies


def test_a_citizen_sees_the_report_just_filed(replica, city):
    replica_catch_up(replica)
    citizen, other = APIClient(), APIClient()
    replica_replay(replica, paused=True)
    filed = _file_report(citizen)
    pin = citizen.cookies[PIN_COOKIE]
    assert pin["max-age"] == 10
    assert pin["httponly"]

    # Pinned by the cookie: the primary, which has the report.
    mine = citizen.get(f"/api/v1/reports/track/{filed['tracking_token']}/")
    assert mine.status_code == 200
    assert mine.json()["id"] == filed["id"]
    # Another client reads the replica, whose replay is paused: not there yet.
    theirs = other.get(f"/api/v1/reports/track/{filed['tracking_token']}/")
    assert theirs.status_code == 404
    assert theirs.json()["detail"] == "Meldung nicht gefunden."

    replica_replay(replica, paused=False)
    replica_catch_up(replica)
    assert other.get(f"/api/v1/reports/track/{filed['tracking_token']}/").status_code == 200


def test_an_api_client_without_cookies_is_pinned_by_its_authorization(replica, city, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    replica_catch_up(replica)
    replica_replay(replica, paused=True)
    # A script with a header that identifies it (no authenticator claims "Bearer" on this API).
    script = APIClient(HTTP_AUTHORIZATION="Bearer script-of-the-city")
    filed = _file_report(script)
    script.cookies.clear()  # it keeps no cookies
    assert script.get(f"/api/v1/reports/track/{filed['tracking_token']}/").status_code == 200
    assert APIClient(HTTP_AUTHORIZATION="Bearer another-script").get(
        f"/api/v1/reports/track/{filed['tracking_token']}/").status_code == 404


def test_fresh_reads_use_the_primary(replica, city):
    replica_catch_up(replica)
    replica_replay(replica, paused=True)
    Category.objects.filter(slug="schlagloch").update(name="Schlagloch frisch")
    router = ReplicaRouter()
    from config import db_router

    token = db_router._request.set(db_router._RequestRouting(replica_allowed=True, request_depth=0))
    try:
        assert router.db_for_read(Category) == "replica"
        assert Category.objects.get(slug="schlagloch").name != "Schlagloch frisch"
        with primary_reads():
            assert router.db_for_read(Category) == "default"
            assert Category.objects.get(slug="schlagloch").name == "Schlagloch frisch"
        # Inside a transaction of its own, a read belongs to that transaction: the primary.
        with transaction.atomic():
            assert Category.objects.get(slug="schlagloch").name == "Schlagloch frisch"
        # Once the request wrote, it reads what it wrote.
        Report.objects.filter(pk=-1).update(description="x")
        assert router.db_for_read(Category) == "default"
    finally:
        db_router._request.reset(token)
    # Outside a request (Celery tasks, commands): always the primary.
    assert router.db_for_read(Category) == "default"


def test_the_crew_api_reads_the_primary(city):
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = APIClient().get("/api/mobile/v1/tasks", HTTP_AUTHORIZATION="Crew wrong")
    assert response.status_code == 401
    assert on_replica.captured_queries == []


def test_writes_to_the_replica_are_refused(city):
    with pytest.raises(Exception, match="read-only transaction"):
        Category.objects.using("replica").filter(slug="schlagloch").update(name="nie")


def test_migrations_only_on_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "reporter") is True
    assert router.allow_migrate("replica", "reporter") is False


def test_replica_down_sends_reads_to_the_primary(replica, city, settings):
    """The replica is unreachable (here: its address points at a closed port): the GET reads the
    primary and answers 200; this process avoids the replica for a while."""
    from config import db_router
    from tests.fixtures_s3 import _free_ports

    settings.DATABASE_REPLICA_RETRY_SECONDS = 30
    client = APIClient()
    replica_conn = connections["replica"]
    replica_conn.close()
    port = replica_conn.settings_dict["PORT"]
    replica_conn.settings_dict["PORT"] = _free_ports(1)[0]
    try:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            response = client.get("/api/v1/categories/")
        assert response.status_code == 200
        assert "schlagloch" in {c["slug"] for c in response.json()}
        assert any("routing_rules_category" in q["sql"] for q in on_primary.captured_queries)
        assert db_router._replica_down_until > 0
    finally:
        replica_conn.settings_dict["PORT"] = port
        db_router._replica_down_until = 0.0


def _feature_ids(response) -> set[int]:
    return {feature["id"] for feature in response.json()["features"]}


def test_public_list_reads_the_replica_and_a_pinned_client_the_primary(replica, city):
    """The list is raw SQL (reporter.selectors): it runs where an ORM read would."""
    replica_catch_up(replica)
    replica_replay(replica, paused=True)
    citizen, visitor = APIClient(), APIClient()
    filed = _file_report(citizen)

    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        theirs = visitor.get("/api/v1/reports/")
    assert theirs.status_code == 200
    # The replica's replay is paused: the report is not there yet.
    assert filed["id"] not in _feature_ids(theirs)
    assert any("reporter_public_report" in q["sql"] for q in on_replica.captured_queries)
    assert [q["sql"] for q in on_primary.captured_queries] == ["BEGIN", "COMMIT"]

    # Pinned by the cookie of its POST: the primary, which has the report; nothing on the replica.
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        mine = citizen.get("/api/v1/reports/")
    assert mine.status_code == 200
    assert filed["id"] in _feature_ids(mine)
    assert on_replica.captured_queries == []
    assert any("reporter_public_report" in q["sql"] for q in on_primary.captured_queries)

    replica_replay(replica, paused=False)
    replica_catch_up(replica)
    assert filed["id"] in _feature_ids(visitor.get("/api/v1/reports/"))


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """(x, y) of the web-mercator tile holding lon/lat (WGS 84) at zoom z."""
    import math

    n = 2 ** z
    lat_rad = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(lat_rad)) / math.pi) / 2 * n)


# GETs whose selectors read with raw SQL, and their status with one report filed.
RAW_SQL_GETS = [
    ("/api/v1/reports/?offset=50", 200),  # past the end: the count statement too
    ("/api/v1/reports/clusters?zoom=12&bbox=12,50.85,12.1,50.9", 200),
    ("/api/v1/route?category=schlagloch&lon=12.05&lat=50.875", 200),
    ("/api/v1/places?q=Hauptstr", 200),
    ("/ogc/collections?f=json", 200),
    ("/ogc/collections/reports/items?f=json", 200),
    ("/ogc/collections/reports/items/{id}?f=json", 200),
    ("/ogc/collections/reports/tiles/WebMercatorQuad/{z}/{y}/{x}", 200),
    ("/statistik/", 200),
    ("/ozg-monitor/", 200),
]


def test_raw_sql_reads_of_a_get_use_the_replica(replica, city):
    """Every statement of these GETs (raw-SQL selectors included) runs on the replica. One
    test for all (a transactional test flushes the database, ~6 s each)."""
    filed = _file_report(APIClient())
    replica_catch_up(replica)
    x, y = _tile_of(INSIDE["lon"], INSIDE["lat"], 14)
    for url, status in RAW_SQL_GETS:
        with CaptureQueriesContext(connections["replica"]) as on_replica, \
                CaptureQueriesContext(connections["default"]) as on_primary:
            response = APIClient().get(url.format(id=filed["id"], z=14, x=x, y=y))
        assert response.status_code == status, (url, response.content[:500])
        assert on_replica.captured_queries, url
        # At most the (empty) request transaction of an atomic view; non-atomic views send nothing.
        assert [q["sql"] for q in on_primary.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")] == [], url


def test_read_connection_follows_the_router(replica, city):
    from config import db_router

    token = db_router._request.set(db_router._RequestRouting(replica_allowed=True, request_depth=0))
    try:
        assert db_router.read_connection(Report).alias == "replica"
        with primary_reads():
            assert db_router.read_connection(Report).alias == "default"
        with transaction.atomic():
            assert db_router.read_connection(Report).alias == "default"
    finally:
        db_router._request.reset(token)
    assert db_router.read_connection(Report).alias == "default"
