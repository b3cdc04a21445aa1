"""GET /api/mobile/v1/tasks?near= (5,000 open tasks of one crew, 50 per page) vs the raw SQL doing the same work.

Ours goes through Django's full request stack (test client, crew-token authentication,
validation, sync token, one statement that selects the page ordered by `ST_Distance` on
geography and builds each task's JSON with its history and photos in PostgreSQL —
mobile_api.task_json —, the response). The baseline is one SQL statement selecting the same
page — same filters (open, the user's active crew, its department), the same ordering by
geography distance, the task columns and the history of each task — as JSON. Both see the
same rows; the ratio is what Django, DRF and the endpoint's extra fields add.
"""
import json
import random

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client

from mobile_api.models import CrewToken
from reporter.models import Crew, Report, StatusChange
from routing_rules.models import Category, Department

from .common import best_of, clear_tables

TASKS = 5000
PAGE = 50
REQUESTS = 100
BBOX = (11.95, 50.80, 12.20, 50.95)
NEAR = (12.08, 50.88)

_SQL = """
SELECT coalesce(json_agg(json_build_object(
         'id', p.id, 'category', c.slug, 'category_name', c.name, 'icon', c.icon, 'status', r.status,
         'lon', ST_X(r.location), 'lat', ST_Y(r.location), 'address', r.address, 'location_text', r.location_text,
         'description', r.description, 'due_date', r.due_date, 'version', r.version, 'updated_at', r.updated_at,
         'crew', cr.name, 'department', d.name, 'distance_m', p.distance_m,
         'notes', (SELECT json_agg(json_build_object('kind', h.kind, 'to_status', h.to_status,
                                                     'note_public', h.note_public, 'note_internal', h.note_internal,
                                                     'created_at', h.created_at) ORDER BY h.created_at, h.id)
                   FROM reporter_statuschange h WHERE h.report_id = p.id))
       ORDER BY p.distance_m, p.id), '[]')::text
FROM (
  SELECT r.id,
         ST_Distance(r.location::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS distance_m
  FROM reporter_report r
  JOIN reporter_crew cr ON cr.id = r.crew_id AND cr.is_active AND cr.department_id = r.department_id
  JOIN reporter_crew_members m ON m.crew_id = cr.id AND m.user_id = %(user)s
  WHERE r.status IN ('submitted', 'open', 'in_progress')
  ORDER BY distance_m, r.id
  LIMIT %(limit)s
) p
JOIN reporter_report r ON r.id = p.id
JOIN reporter_crew cr ON cr.id = r.crew_id
JOIN routing_rules_category c ON c.id = r.category_id
JOIN routing_rules_department d ON d.id = r.department_id
"""


def _setup():
    clear_tables()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reporter_crew, mobile_api_crewtoken, mobile_api_idempotencykey, "
                       "mobile_api_tasklistinterval, mobile_api_crewmemberinterval, mobile_api_taskchange CASCADE")
    User = get_user_model()
    User.objects.filter(username="bench-crew").delete()
    user = User.objects.create_user("bench-crew", password=None)
    dep = Department.objects.create(slug="d", name="Tiefbauamt", email="d@x.example")
    cat = Category.objects.create(slug="schlagloch", name="Schlagloch", group="strasse", default_department=dep)
    crew = Crew.objects.create(department=dep, name="Kolonne Nord")
    crew.members.add(user)
    rng = random.Random(3)
    reports = Report.objects.bulk_create([
        Report(location=Point(rng.uniform(BBOX[0], BBOX[2]), rng.uniform(BBOX[1], BBOX[3]), srid=4326),
               category=cat, department=dep, crew=crew, status="open", description="Loch", address="Straße 1",
               routing_explanation={})
        for _ in range(TASKS)
    ])
    StatusChange.objects.bulk_create([
        StatusChange(report=r, from_status="submitted", to_status="open", note_internal="Kolonne Nord")
        for r in reports
    ])
    raw = CrewToken.generate()
    CrewToken.objects.create(user=user, token_hash=CrewToken.digest(raw), prefix=raw[:12])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporter_report")
        cursor.execute("ANALYZE reporter_statuschange")
    return user, raw


def run() -> None:
    user, raw = _setup()
    client = Client(HTTP_AUTHORIZATION=f"Crew {raw}")
    url = f"/api/mobile/v1/tasks?near={NEAR[0]},{NEAR[1]}&limit={PAGE}"
    body = client.get(url).json()
    params = {"lon": NEAR[0], "lat": NEAR[1], "user": user.pk, "limit": PAGE}
    with connection.cursor() as cursor:
        cursor.execute(_SQL, params)
        baseline_ids = [row["id"] for row in json.loads(cursor.fetchone()[0])]
    assert [t["id"] for t in body["results"]] == baseline_ids, "endpoint and SQL disagree"

    def ours():
        for _ in range(REQUESTS):
            assert client.get(url).status_code == 200

    def sql():
        with connection.cursor() as cursor:
            for _ in range(REQUESTS):
                cursor.execute(_SQL, params)
                cursor.fetchone()

    t_sql = best_of(sql)
    t_ours = best_of(ours)
    print(f"tasks: GET tasks?near= ({TASKS} open tasks of one crew, page of {PAGE}): endpoint "
          f"{REQUESTS / t_ours:,.0f} req/s ({t_ours / REQUESTS * 1000:.2f} ms), raw SQL {REQUESTS / t_sql:,.0f} q/s "
          f"({t_sql / REQUESTS * 1000:.2f} ms); ratio {t_ours / t_sql:.2f}x")
