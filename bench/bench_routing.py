"""Routing 10,000 points: our `route_point` vs the bare point-in-polygon SQL on the same 2,000 polygons.

Baseline: one `SELECT id … WHERE ST_Covers(geom, point) LIMIT 1` per point over the same
GiST-indexed polygons — the least any router must do. Ours additionally checks the city
boundary, finds the district and neighbour authority, and evaluates the ordered rules
with jsonb conditions, in one statement. Target: under 1 ms added per report.
"""
import random

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection, transaction

from geodata.models import JurisdictionArea, JurisdictionLayer
from routing_rules.models import Category, Department, RoutingRule
from routing_rules.selectors import route_point

from .common import best_of, clear_tables

X0, Y0, X1, Y1 = 11.95, 50.80, 12.20, 50.95
COLS, ROWS = 50, 40  # 2,000 polygons
POINTS = 10_000


def _rect(x0, y0, x1, y1):
    return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))), srid=4326)


def _setup():
    clear_tables()
    with transaction.atomic():
        boundary = JurisdictionLayer.objects.create(slug="grenze", name="Grenze", role="boundary")
        JurisdictionArea.objects.create(layer=boundary, name="Stadt", geom=_rect(X0, Y0, X1, Y1))
        layer = JurisdictionLayer.objects.create(slug="zellen", name="Zellen", role="area")
        dx, dy = (X1 - X0) / COLS, (Y1 - Y0) / ROWS
        JurisdictionArea.objects.bulk_create([
            JurisdictionArea(layer=layer, name=f"Z{i}-{j}", attributes={"bezirk": (i + j) % 4},
                             geom=_rect(X0 + i * dx, Y0 + j * dy, X0 + (i + 1) * dx, Y0 + (j + 1) * dy))
            for i in range(COLS) for j in range(ROWS)
        ])
        departments = [Department.objects.create(slug=f"d{k}", name=f"D{k}", email=f"d{k}@x.example")
                       for k in range(4)]
        category = Category.objects.create(slug="k", name="K", group="g", default_department=departments[0])
        for k in range(4):
            RoutingRule.objects.create(name=f"R{k}", priority=k, category_group="g", layer=layer,
                                       condition={"bezirk": k}, department=departments[k])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE geodata_jurisdictionarea")
    return category, layer


def run() -> None:
    category, layer = _setup()
    rng = random.Random(1)
    points = [Point(rng.uniform(X0, X1), rng.uniform(Y0, Y1), srid=4326) for _ in range(POINTS)]

    def ours():
        for p in points:
            route_point(point=p, category=category)

    def raw():
        with connection.cursor() as cursor:
            for p in points:
                cursor.execute(
                    "SELECT id FROM geodata_jurisdictionarea WHERE layer_id = %s "
                    "AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) LIMIT 1",
                    [layer.pk, p.x, p.y],
                )
                cursor.fetchone()

    t_raw = best_of(raw)
    t_ours = best_of(ours)
    per_ours, per_raw = t_ours / POINTS * 1000, t_raw / POINTS * 1000
    print(f"routing: {POINTS} points, {COLS * ROWS} polygons: route_point {per_ours:.3f} ms/point "
          f"({POINTS / t_ours:,.0f}/s), raw ST_Covers {per_raw:.3f} ms/point ({POINTS / t_raw:,.0f}/s); "
          f"ratio {t_ours / t_raw:.2f}x, added {per_ours - per_raw:.3f} ms/point (target < 1 ms)")
