"""GET tasks and GET tasks/{id}: content, privacy, distance ordering, paging, bad input, query count."""
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mobile_api.serializers import rfc3339
from reporter.models import Report, ReportPhoto, StatusChange
from tests.factories import ReportFactory

from .conftest import task_make

pytestmark = pytest.mark.django_db

PRIVATE = ("Erika Mustermann", "erika@example.org", "+49 365 123456")


def test_task_list_shows_what_the_crew_needs_and_no_contact_data(world, client_a):
    task = task_make(crew=world.crew_a, category=world.cat_a, description="Tiefes Loch, Radfahrer gefährdet",
                     location_text="vor der Bäckerei")
    StatusChange.objects.create(report=task, from_status="submitted", to_status="open", note_public="Danke",
                                note_internal="Kolonne Nord schicken")
    ReportPhoto.objects.create(report=task, content_type="image/jpeg", original_bytes=10, original="originals/x",
                               image="reports/1/a.jpg", thumbnail="reports/1/t.jpg", processing="done",
                               moderation="pending")
    ReportPhoto.objects.create(report=task, content_type="image/jpeg", original_bytes=10, original="originals/y",
                               processing="pending")
    ReportPhoto.objects.create(report=task, content_type="image/jpeg", original_bytes=10, original="originals/z",
                               image="reports/1/r.jpg", processing="done", moderation="rejected")
    response = client_a.get("/api/mobile/v1/tasks")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None and body["removed"] == []
    assert body["sync_token"].endswith("Z")
    [item] = body["results"]
    assert item["id"] == task.pk
    assert item["category"] == {"slug": "schlagloch", "name": "Schlagloch", "icon": "pothole"}
    assert (item["status"], item["status_label"]) == ("open", "offen")
    assert item["location"] == {"type": "Point", "coordinates": [12.05, 50.875]}
    assert (item["address"], item["location_text"]) == ("Heinrichstraße 1", "vor der Bäckerei")
    assert item["description"] == "Tiefes Loch, Radfahrer gefährdet"
    assert item["crew"] == {"id": world.crew_a.pk, "name": "Kolonne Nord"}
    assert item["department"] == {"slug": "tiefbau", "name": "Tiefbauamt"}
    assert item["due_date"] == task.due_date.isoformat()
    assert item["version"] == 1
    assert item["allowed_actions"] == ["accept", "start", "done", "cannot_fix", "needs_other_department"]
    assert item["distance_m"] is None
    assert [(n["note_public"], n["note_internal"]) for n in item["notes"]] == [("Danke", "Kolonne Nord schicken")]
    assert [(p["kind"], p["url"], p["thumbnail_url"]) for p in item["photos"]] == [
        ("report", "http://testserver/media/reports/1/a.jpg", "http://testserver/media/reports/1/t.jpg")]
    text = response.content.decode()
    for private in (*PRIVATE, "originals/", "exif"):
        assert private not in text


def test_only_open_tasks_of_my_active_crews_in_their_department(world, client_a):
    mine = task_make(crew=world.crew_a, category=world.cat_a)
    submitted = task_make(crew=world.crew_a, category=world.cat_a, status="submitted")
    started = task_make(crew=world.crew_a, category=world.cat_a, status="in_progress")
    task_make(crew=world.crew_a, category=world.cat_a, status="resolved")
    task_make(crew=world.crew_b, category=world.cat_b)
    task_make(crew=None, category=world.cat_a)
    # Assigned to crew A but belonging to department B (e.g. re-routed without unassigning).
    task_make(crew=world.crew_a, category=world.cat_b)
    ids = [t["id"] for t in client_a.get("/api/mobile/v1/tasks").json()["results"]]
    assert sorted(ids) == sorted([mine.pk, submitted.pk, started.pk])


def test_near_sorts_by_geography_distance_like_postgis(world, client_a):
    here = (12.0700, 50.8800)
    points = [(12.0705, 50.8800), (12.0700, 50.8806), (12.0600, 50.8700), (12.0800, 50.8805),
              (12.0699, 50.8799), (12.0900, 50.8600), (12.0701, 50.8790)]
    for lon, lat in points:
        task_make(crew=world.crew_a, category=world.cat_a, lon=lon, lat=lat)
    response = client_a.get("/api/mobile/v1/tasks", {"near": f"{here[0]},{here[1]}"})
    assert response.status_code == 200
    results = response.json()["results"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_Distance(location::geography, ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography) "
            "FROM reporter_report WHERE crew_id = %s ORDER BY 2, 1", [*here, world.crew_a.pk])
        expected = cursor.fetchall()
    assert [r["id"] for r in results] == [row[0] for row in expected]
    assert [r["distance_m"] for r in results] == [round(row[1], 1) for row in expected]
    # Metres on the spheroid: 0.0005° of longitude at 50.88° N is about 35.2 m, not 55 m.
    assert results[1]["distance_m"] == pytest.approx(35.2, abs=0.2)


def test_within_m_filters_by_metres(world, client_a):
    near = task_make(crew=world.crew_a, category=world.cat_a, lon=12.0705, lat=50.88)
    task_make(crew=world.crew_a, category=world.cat_a, lon=12.09, lat=50.86)
    response = client_a.get("/api/mobile/v1/tasks", {"near": "12.07,50.88", "within_m": 100})
    assert [t["id"] for t in response.json()["results"]] == [near.pk]


def test_without_position_sorted_by_due_date_then_id(world, client_a):
    from datetime import date

    late = task_make(crew=world.crew_a, category=world.cat_a, due_date=date(2027, 3, 1))
    none = task_make(crew=world.crew_a, category=world.cat_a, due_date=None)
    soon = task_make(crew=world.crew_a, category=world.cat_a, due_date=date(2027, 1, 1))
    ids = [t["id"] for t in client_a.get("/api/mobile/v1/tasks").json()["results"]]
    assert ids == [soon.pk, late.pk, none.pk]


def test_pages_with_next_link(world, client_a):
    tasks = [task_make(crew=world.crew_a, category=world.cat_a, lon=12.05 + i * 0.001) for i in range(5)]
    first = client_a.get("/api/mobile/v1/tasks", {"near": "12.05,50.875", "limit": 2}).json()
    assert [t["id"] for t in first["results"]] == [tasks[0].pk, tasks[1].pk]
    assert first["next"] == "http://testserver/api/mobile/v1/tasks?near=12.05%2C50.875&limit=2&offset=2"
    second = client_a.get(first["next"]).json()
    assert [t["id"] for t in second["results"]] == [tasks[2].pk, tasks[3].pk]
    third = client_a.get(second["next"]).json()
    assert ([t["id"] for t in third["results"]], third["next"]) == ([tasks[4].pk], None)


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"near": "12.07"}, "near", "near: „lon,lat“ erwartet (WGS 84, Dezimalgrad), z. B. near=12.08,50.88."),
    ({"near": "abc,50"}, "near", "near: „lon,lat“ erwartet (WGS 84, Dezimalgrad), z. B. near=12.08,50.88."),
    ({"near": "50.88,120.07"}, "near", "near: Koordinaten außerhalb des gültigen Bereichs (WGS 84)."),
    ({"since": "gestern"}, "since", "since: Zeitpunkt nach RFC 3339 mit Zeitzone erwartet, z. B. "
                                    "2026-12-01T08:00:00Z."),
    ({"since": "2026-12-01T08:00:00"}, "since", "since: Zeitpunkt nach RFC 3339 mit Zeitzone erwartet, z. B. "
                                                "2026-12-01T08:00:00Z."),
    ({"limit": "0"}, "limit", "Stelle sicher, dass dieser Wert größer oder gleich 1 ist."),
    ({"within_m": "100"}, "within_m", "within_m braucht near."),
])
def test_bad_query_is_400_with_message(world, client_a, params, field, message):
    response = client_a.get("/api/mobile/v1/tasks", params)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {field: [message]}}


def test_since_with_unencoded_plus_offset_is_understood(world, client_a):
    response = client_a.get("/api/mobile/v1/tasks?since=2026-12-01T08:00:00+01:00")
    assert response.status_code == 200


def test_query_count_does_not_grow_with_tasks(world, client_a, django_assert_max_num_queries):
    for i in range(30):
        task = task_make(crew=world.crew_a, category=world.cat_a, lon=12.05 + i * 0.0001)
        StatusChange.objects.create(report=task, from_status="submitted", to_status="open", note_internal="x")
        ReportPhoto.objects.create(report=task, content_type="image/jpeg", original_bytes=1, original="o",
                                   image=f"reports/{i}.jpg", processing="done")
    client_a.get("/api/mobile/v1/tasks")  # the token's last_used_at is written on the first request
    since = rfc3339(timezone.now() - timedelta(hours=1))
    # token and crew check, sync token, the page (ids, rows, history and photos as JSON in one statement),
    # removed (the session time zone set and reset in the JSON statement's message, config.sql_time) — plus
    # the savepoint and its release of the request's transaction (ATOMIC_REQUESTS inside the test transaction)
    with django_assert_max_num_queries(6):
        response = client_a.get("/api/mobile/v1/tasks", {"near": "12.05,50.875", "since": since})
    results = response.json()["results"]
    assert len(results) == 30
    assert all(len(t["notes"]) == 1 and len(t["photos"]) == 1 for t in results)


def test_detail_is_one_query_after_authentication(world, client_a, django_assert_max_num_queries):
    task = task_make(crew=world.crew_a, category=world.cat_a)
    StatusChange.objects.create(report=task, from_status="submitted", to_status="open", note_internal="x")
    client_a.get(f"/api/mobile/v1/tasks/{task.pk}")  # last_used_at
    # token and crew check, the task as JSON (one message with the session time zone set and reset,
    # config.sql_time) — plus the savepoint and its release
    with django_assert_max_num_queries(4):
        response = client_a.get(f"/api/mobile/v1/tasks/{task.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert [n["note_internal"] for n in response.json()["notes"]] == ["x"]


def test_detail_has_etag_of_the_version(world, client_a):
    task = task_make(crew=world.crew_a, category=world.cat_a)
    Report.objects.filter(pk=task.pk).update(version=7)
    response = client_a.get(f"/api/mobile/v1/tasks/{task.pk}")
    assert response.status_code == 200
    assert response["ETag"] == '"7"'
    assert response.json()["version"] == 7
    for private in PRIVATE:
        assert private not in response.content.decode()


def test_other_crews_and_unknown_tasks_are_404(world, client_a):
    other = task_make(crew=world.crew_b, category=world.cat_b)
    unassigned = ReportFactory(category=world.cat_a)
    for pk in (other.pk, unassigned.pk, 999999):
        response = client_a.get(f"/api/mobile/v1/tasks/{pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Aufgabe nicht gefunden."}
