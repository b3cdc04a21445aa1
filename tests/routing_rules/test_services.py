"""Routing rules to and from versioned YAML, all or nothing; the route_point command."""
import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from routing_rules.models import RoutingRule
from routing_rules.services import RulesFileError, rules_export, rules_load
from tests.factories import AreaFactory, CategoryFactory, DepartmentFactory, LayerFactory, RuleFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_setup(city):
    layer = LayerFactory(slug="parks")
    AreaFactory(layer=layer, name="Stadtpark", geom=square(12.02, 50.86, 12.04, 50.88))
    dep = DepartmentFactory(slug="gruen", name="Grünflächenamt")
    RuleFactory(name="Parks", layer=layer, category_group="gruen", department=dep, priority=10)
    RuleFactory(name="Schlaglöcher im Park", layer=layer, category=city.category, department=dep, priority=5,
                condition={"typ": "park"})
    return city


def test_export_then_load_roundtrip(rule_setup):
    data = rules_export()
    assert data["version"] == 1
    assert [r["name"] for r in data["rules"]] == ["Schlaglöcher im Park", "Parks"]
    assert data["rules"][0] == {"name": "Schlaglöcher im Park", "priority": 5, "category": "schlagloch",
                                "layer": "parks", "condition": {"typ": "park"}, "department": "gruen",
                                "active": True}
    text = yaml.safe_dump(data, allow_unicode=True)
    assert rules_load(data=yaml.safe_load(text)) == 2
    assert rules_export() == data


@pytest.mark.parametrize("mutation, message", [
    (lambda d: d.update(version=2), "version: 1"),
    (lambda d: d["rules"][0].update(layer="nope"), "unbekannte Ebene „nope“"),
    (lambda d: d["rules"][1].update(department="nope"), "Regel 2: unbekannter Fachbereich „nope“"),
    (lambda d: d["rules"][0].update(category="nope"), "unbekannte Kategorie „nope“"),
    (lambda d: d["rules"][0].update(colour="red"), "unbekannte Felder colour"),
    (lambda d: d["rules"][0].update(condition=[1]), "„condition“ muss ein Objekt"),
    (lambda d: d["rules"][0].update(priority="hoch"), "„priority“ muss eine ganze Zahl"),
    (lambda d: d["rules"][1].update(category="schlagloch"), "entweder „category“ oder „category_group“"),
])
def test_bad_rules_file_changes_nothing(rule_setup, mutation, message):
    before = list(RoutingRule.objects.values_list("id", "name"))
    data = rules_export()
    mutation(data)
    with pytest.raises(RulesFileError, match=message):
        rules_load(data=data)
    assert list(RoutingRule.objects.values_list("id", "name")) == before


def test_load_rules_command(rule_setup, tmp_path):
    path = tmp_path / "rules.yaml"
    call_command("export_rules", str(path), stdout=io.StringIO())
    RoutingRule.objects.all().delete()
    out = io.StringIO()
    call_command("load_rules", str(path), stdout=out)
    assert out.getvalue().strip() == "loaded 2 rules"
    assert RoutingRule.objects.count() == 2
    (tmp_path / "bad.yaml").write_text("version: 1\nrules: [\n")
    with pytest.raises(CommandError, match="not valid YAML"):
        call_command("load_rules", str(tmp_path / "bad.yaml"))


def test_route_point_command_explains(rule_setup):
    CategoryFactory(slug="baum", group="gruen")
    out = io.StringIO()
    call_command("route_point", "12.03", "50.87", "baum", stdout=out)
    assert '"department_slug": "gruen"' in out.getvalue()
    assert '"area_name": "Stadtpark"' in out.getvalue()
    with pytest.raises(CommandError, match="Landratsamt Greiz"):
        call_command("route_point", "12.15", "50.87", "baum")
    with pytest.raises(CommandError, match="unknown category: nix"):
        call_command("route_point", "12.03", "50.87", "nix")
    with pytest.raises(CommandError, match="out of range"):
        call_command("route_point", "200", "50.87", "baum")
