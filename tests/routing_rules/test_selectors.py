"""Routing decisions on real PostGIS: boundaries, holes, overlaps, multipolygons, outside."""
import pytest
from django.contrib.gis.geos import MultiPolygon, Point

from routing_rules.selectors import OutsideCity, route_point
from tests.factories import AreaFactory, CategoryFactory, DepartmentFactory, LayerFactory, RuleFactory, square

pytestmark = pytest.mark.django_db


def pt(lon, lat):
    return Point(lon, lat, srid=4326)


def test_default_department_when_no_rule_matches(city):
    decision = route_point(point=pt(12.05, 50.875), category=city.category)
    assert decision.reason == "default"
    assert decision.department_slug == "tiefbau"
    assert decision.rule_id is None


def test_outside_city_names_neighbour_authority(city):
    with pytest.raises(OutsideCity) as exc:
        route_point(point=pt(12.15, 50.875), category=city.category)
    assert exc.value.authority == "Landratsamt Greiz"


def test_outside_city_without_known_authority(city):
    with pytest.raises(OutsideCity) as exc:
        route_point(point=pt(13.5, 52.5), category=city.category)
    assert exc.value.authority == ""


def test_point_on_city_boundary_is_inside(city):
    assert route_point(point=pt(12.0, 50.875), category=city.category).reason == "default"


def test_point_on_shared_boundary_is_deterministic(city):
    layer = LayerFactory(slug="abschnitte")
    west = AreaFactory(layer=layer, name="West", attributes={"abschnitt": "W"}, geom=square(12.0, 50.85, 12.05, 50.9))
    AreaFactory(layer=layer, name="Ost", attributes={"abschnitt": "O"}, geom=square(12.05, 50.85, 12.1, 50.9))
    dep_w, dep_o = DepartmentFactory(slug="west"), DepartmentFactory(slug="ost")
    RuleFactory(layer=layer, condition={"abschnitt": "W"}, department=dep_w, priority=10)
    RuleFactory(layer=layer, condition={"abschnitt": "O"}, department=dep_o, priority=10)
    # On the shared edge lon=12.05 both polygons cover the point: equal priority → lower rule id.
    for _ in range(3):
        decision = route_point(point=pt(12.05, 50.87), category=city.category)
        assert (decision.department_slug, decision.area_id) == ("west", west.pk)
    assert route_point(point=pt(12.07, 50.87), category=city.category).department_slug == "ost"


def test_same_rule_two_polygons_on_shared_edge_prefers_smaller_polygon(city):
    layer = LayerFactory(slug="parks")
    AreaFactory(layer=layer, name="Großer Park", geom=square(12.0, 50.85, 12.05, 50.9))
    small = AreaFactory(layer=layer, name="Kleiner Park", geom=square(12.05, 50.86, 12.06, 50.87))
    RuleFactory(layer=layer, department=DepartmentFactory(slug="gruen"))
    decision = route_point(point=pt(12.05, 50.865), category=city.category)
    assert decision.area_id == small.pk
    assert decision.area_name == "Kleiner Park"


def test_point_in_hole_is_not_in_polygon(city):
    layer = LayerFactory(slug="schulhoefe")
    AreaFactory(layer=layer, geom=square(12.02, 50.86, 12.08, 50.89, holes=[(12.04, 50.87, 12.06, 50.88)]))
    RuleFactory(layer=layer, department=DepartmentFactory(slug="schulamt"))
    assert route_point(point=pt(12.05, 50.875), category=city.category).reason == "default"
    assert route_point(point=pt(12.03, 50.875), category=city.category).department_slug == "schulamt"


def test_overlapping_polygons_priority_wins(city):
    parks, roads = LayerFactory(slug="parks"), LayerFactory(slug="strassen")
    AreaFactory(layer=parks, geom=square(12.02, 50.86, 12.06, 50.88))
    AreaFactory(layer=roads, geom=square(12.04, 50.86, 12.08, 50.88))
    RuleFactory(layer=roads, department=DepartmentFactory(slug="strasse"), priority=20)
    RuleFactory(layer=parks, department=DepartmentFactory(slug="gruen"), priority=10)
    decision = route_point(point=pt(12.05, 50.87), category=city.category)
    assert decision.department_slug == "gruen"
    assert decision.layer_slug == "parks"
    assert route_point(point=pt(12.07, 50.87), category=city.category).department_slug == "strasse"


def test_multipolygon_second_part(city):
    layer = LayerFactory(slug="friedhoefe")
    geom = MultiPolygon(square(12.01, 50.86, 12.02, 50.87)[0], square(12.08, 50.88, 12.09, 50.89)[0], srid=4326)
    area = AreaFactory(layer=layer, geom=geom)
    RuleFactory(layer=layer, department=DepartmentFactory(slug="friedhof"))
    decision = route_point(point=pt(12.085, 50.885), category=city.category)
    assert (decision.department_slug, decision.area_id) == ("friedhof", area.pk)


def test_category_and_group_filters(city):
    layer = LayerFactory(slug="gruen")
    AreaFactory(layer=layer, geom=square(12.0, 50.85, 12.1, 50.9))
    RuleFactory(layer=layer, category_group="gruen", department=DepartmentFactory(slug="gruenamt"))
    tree = CategoryFactory(slug="baum", group="gruen")
    assert route_point(point=pt(12.05, 50.87), category=tree).department_slug == "gruenamt"
    assert route_point(point=pt(12.05, 50.87), category=city.category).reason == "default"


def test_attribute_condition_and_inactive_rule(city):
    layer = LayerFactory(slug="bezirke")
    AreaFactory(layer=layer, attributes={"bezirk": "Nord", "nr": 1}, geom=square(12.0, 50.85, 12.1, 50.9))
    RuleFactory(layer=layer, condition={"bezirk": "Süd"}, department=DepartmentFactory(slug="sued"), priority=1)
    RuleFactory(layer=layer, condition={"bezirk": "Nord"}, department=DepartmentFactory(slug="aus"), priority=2,
                is_active=False)
    RuleFactory(layer=layer, condition={"bezirk": "Nord"}, department=DepartmentFactory(slug="nord"), priority=3)
    decision = route_point(point=pt(12.05, 50.87), category=city.category)
    assert decision.department_slug == "nord"
    assert decision.as_explanation()["rule_name"] == decision.rule_name


def test_no_boundary_layer_accepts_everywhere(db):
    category = CategoryFactory()
    assert route_point(point=pt(0.0, 0.0), category=category).reason == "default"


def test_rejects_other_srid(city):
    with pytest.raises(ValueError):
        route_point(point=Point(700000, 5640000, srid=25833), category=city.category)
