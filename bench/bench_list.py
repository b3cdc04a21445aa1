"""The bbox GeoJSON list endpoint (500 reports) vs one `json_agg` SQL query doing the same work.

Ours is measured through Django's full request stack (test client, middleware, URL
routing, validation, PostGIS rendering); the baseline is the bare SQL building the same
FeatureCollection. Target: within 2x.
"""
import random

from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client

from reporter.models import Report
from routing_rules.models import Category, Department

from .common import best_of, clear_tables

REPORTS = 500
REQUESTS = 200
BBOX = (11.95, 50.80, 12.20, 50.95)

_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(f), '[]'))::text FROM (
  SELECT json_build_object('type', 'Feature', 'id', r.id, 'geometry', ST_AsGeoJSON(r.location, 6)::json,
    'properties', json_build_object('id', r.id, 'category', c.slug, 'category_name', c.name, 'icon', c.icon,
      'status', r.status, 'department', d.name, 'address', r.address,
      'description', CASE WHEN r.moderation = 'approved' THEN r.public_description ELSE '' END,
      'supporter_count', r.supporter_count, 'created_at', r.created_at, 'updated_at', r.updated_at)) AS f
  FROM reporter_report r JOIN routing_rules_category c ON c.id = r.category_id
  JOIN routing_rules_department d ON d.id = r.department_id
  WHERE r.moderation <> 'hidden' AND r.location && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
  ORDER BY r.created_at DESC, r.id DESC LIMIT 1000) s
"""


def _setup():
    clear_tables()
    rng = random.Random(2)
    dep = Department.objects.create(slug="d", name="Tiefbauamt", email="d@x.example")
    cat = Category.objects.create(slug="schlagloch", name="Schlagloch", group="strasse", default_department=dep)
    Report.objects.bulk_create([
        Report(location=Point(rng.uniform(BBOX[0], BBOX[2]), rng.uniform(BBOX[1], BBOX[3]), srid=4326),
               category=cat, department=dep, description="Loch", public_description="Loch", moderation="approved",
               routing_explanation={})
        for _ in range(REPORTS)
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporter_report")


def run() -> None:
    _setup()
    client = Client()
    url = "/api/v1/reports/?bbox={},{},{},{}&limit=1000".format(*BBOX)
    response = client.get(url)
    assert response.status_code == 200 and response.json()["numberReturned"] == REPORTS, response.content[:200]

    def ours():
        for _ in range(REQUESTS):
            assert client.get(url).status_code == 200

    def raw():
        with connection.cursor() as cursor:
            for _ in range(REQUESTS):
                cursor.execute(_SQL, BBOX)
                cursor.fetchone()

    t_raw = best_of(raw)
    t_ours = best_of(ours)
    print(f"list: GET {REPORTS} reports as GeoJSON: endpoint {REQUESTS / t_ours:,.0f} req/s "
          f"({t_ours / REQUESTS * 1000:.2f} ms), json_agg SQL {REQUESTS / t_raw:,.0f} q/s "
          f"({t_raw / REQUESTS * 1000:.2f} ms); ratio {t_ours / t_raw:.2f}x (target < 2x)")
