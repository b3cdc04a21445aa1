"""Reads: which department is responsible for a point, and why.

`route_point` is the Zuständigkeitsfinder. It runs ONE SQL statement: a single spatial
index probe collects every polygon covering the point (all layers), and from that small set
it
  1. checks that the point lies inside the city boundary layer (ST_Covers, boundary
     inclusive; when no boundary layer exists every point is accepted),
  2. otherwise finds the neighbour authority whose polygon covers the point,
  3. finds the first active rule, by (priority, rule id), whose category or category group
     matches and whose layer has a polygon covering the point with attributes containing the
     rule's condition (jsonb `@>`).
Points exactly on a shared edge are covered by both polygons (ST_Covers is inclusive);
the decision is still deterministic: rule priority, then rule id, then — for two polygons
of the same rule's layer — the smaller polygon (by area), then the lower polygon id.
If no rule matches, the category's default department is responsible.

The query is written in SQL rather than the ORM because it combines a spatially indexed
point-in-polygon join with jsonb containment and ordering across three tables in one round
trip (see bench/bench_routing.py for its cost against the bare point-in-polygon query).
It runs where an ORM read would (`config.db_router.read_connection`): the read replica for the
Zuständigkeitsfinder in a GET, the primary while a report is filed.
"""
from dataclasses import asdict, dataclass, field

from django.contrib.gis.geos import Point

from config.db_router import read_connection

from .models import Category, Department, RoutingRule

__all__ = ["RoutingDecision", "OutsideCity", "route_point", "category_get", "category_list", "department_list"]


class OutsideCity(Exception):
    """The point lies outside the city boundary; `authority` names who is responsible, if known."""

    def __init__(self, *, authority: str = "", area_name: str = ""):
        self.authority = authority
        self.area_name = area_name
        super().__init__(authority or "outside")


@dataclass(frozen=True)
class RoutingDecision:
    department_id: int
    department_slug: str
    department_name: str
    reason: str  # "rule" or "default"
    rule_id: int | None = None
    rule_name: str = ""
    layer_slug: str = ""
    area_id: int | None = None
    area_name: str = ""
    district: str = ""
    extra: dict = field(default_factory=dict)

    def as_explanation(self) -> dict:
        """The JSON stored on a report (and returned by the route endpoint)."""
        data = asdict(self)
        data.pop("extra")
        return data


_ROUTE_SQL = """
WITH hits AS MATERIALIZED (
    -- One spatial index probe finds every polygon of every layer covering the point.
    SELECT a.id, a.layer_id, l.role, l.slug, a.name, a.authority, a.attributes, ST_Area(a.geom) AS area
    FROM geodata_jurisdictionarea a
    JOIN geodata_jurisdictionlayer l ON l.id = a.layer_id
    WHERE ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
),
hit AS (
    SELECT r.id AS rule_id, r.name AS rule_name, h.slug AS layer_slug, h.id AS area_id,
           h.name AS area_name, d.id AS dep_id, d.slug AS dep_slug, d.name AS dep_name
    FROM hits h
    JOIN routing_rules_routingrule r ON r.layer_id = h.layer_id
    JOIN routing_rules_department d ON d.id = r.department_id AND d.is_active
    WHERE r.is_active
      AND (r.category_id = %(cat_id)s OR r.category_group = %(cat_group)s
           OR (r.category_id IS NULL AND r.category_group = ''))
      AND h.attributes @> r.condition
    ORDER BY r.priority, r.id, h.area, h.id
    LIMIT 1
)
SELECT
    NOT EXISTS (SELECT 1 FROM geodata_jurisdictionlayer WHERE role = 'boundary')
        OR EXISTS (SELECT 1 FROM hits WHERE role = 'boundary'),
    n.authority, n.name,
    (SELECT name FROM hits WHERE role = 'district' ORDER BY area, id LIMIT 1),
    hit.rule_id, hit.rule_name, hit.layer_slug, hit.area_id, hit.area_name, hit.dep_id, hit.dep_slug, hit.dep_name
FROM (SELECT 1) AS one
LEFT JOIN hit ON true
LEFT JOIN LATERAL (
    SELECT authority, name FROM hits WHERE role = 'neighbour' ORDER BY area, id LIMIT 1
) AS n ON true
"""


def route_point(*, point: Point, category: Category) -> RoutingDecision:
    """Decide the responsible department for `point` (EPSG:4326, lon/lat) and `category`.

    Raises OutsideCity when the point is outside the city boundary. Writes nothing.
    """
    if point.srid != 4326:
        raise ValueError("route_point expects a point in EPSG:4326 (lon, lat)")
    params = {"lon": float(point.x), "lat": float(point.y), "cat_id": category.pk, "cat_group": category.group}
    with read_connection(RoutingRule).cursor() as cursor:
        cursor.execute(_ROUTE_SQL, params)
        row = cursor.fetchone()
    (inside, authority, neighbour_name, district, rule_id, rule_name, layer_slug, area_id, area_name,
     dep_id, dep_slug, dep_name) = row
    if not inside:
        raise OutsideCity(authority=authority or "", area_name=neighbour_name or "")
    if rule_id is not None:
        return RoutingDecision(
            department_id=dep_id, department_slug=dep_slug, department_name=dep_name, reason="rule",
            rule_id=rule_id, rule_name=rule_name, layer_slug=layer_slug, area_id=area_id,
            area_name=area_name, district=district or "",
        )
    dep = category.default_department
    return RoutingDecision(
        department_id=dep.pk, department_slug=dep.slug, department_name=dep.name, reason="default",
        district=district or "",
    )


def category_list(*, active_only: bool = True):
    """Categories for the citizen (with their default department), in display order."""
    qs = Category.objects.select_related("default_department")
    return qs.filter(is_active=True) if active_only else qs


def category_get(*, slug: str) -> Category | None:
    """An active category by slug, or None."""
    return category_list().filter(slug=slug).first()


def department_list():
    """Active departments by name."""
    return Department.objects.filter(is_active=True).only("id", "slug", "name", "email")
