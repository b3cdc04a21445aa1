"""The demo city loads, routes its reports and is idempotent (the tests never rely on it)."""
import io

import pytest
from django.core.management import call_command

from geodata.models import JurisdictionLayer
from reporter.models import Report
from routing_rules.models import Category, Department, RoutingRule

pytestmark = pytest.mark.django_db


def test_load_demo_is_complete_and_idempotent():
    out = io.StringIO()
    call_command("load_demo", "--reports", "60", stdout=out)
    assert "60 reports" in out.getvalue()
    assert Department.objects.count() >= 4
    assert Category.objects.count() >= 10
    assert JurisdictionLayer.objects.filter(is_demo=True).count() >= 6
    assert RoutingRule.objects.values("layer").distinct().count() >= 3
    assert RoutingRule.objects.count() == 5
    assert set(Report.objects.values_list("status", flat=True)) >= {"submitted", "open", "resolved"}
    # Every demo report lies inside the city and was routed by the real router.
    assert all(r.routing_explanation.get("reason") in ("rule", "default") for r in Report.objects.all())
    assert Report.objects.filter(routing_explanation__reason="rule").exists()
    call_command("load_demo", stdout=(again := io.StringIO()))
    assert "demo data present" in again.getvalue()
    assert Report.objects.count() == 60
    assert RoutingRule.objects.count() == 5
