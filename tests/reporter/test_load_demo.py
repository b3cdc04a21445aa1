"""The demo city loads, routes its reports and is idempotent (the tests never rely on it)."""
import io

import pytest
from django.core.management import call_command

from backoffice.models import AnswerTemplate
from geodata.models import JurisdictionLayer
from portal import hooks
from reporter.models import Crew, Report
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
    # A field crew with the demo crew user and a task list; every report has a due date.
    crew = Crew.objects.get(name="Bautrupp Nord")
    assert list(crew.members.values_list("username", flat=True)) == ["bautrupp"]
    assigned = Report.objects.filter(crew=crew)
    assert assigned.exists()
    assert all(r.department_id == crew.department_id and r.is_open for r in assigned)
    assert not Report.objects.filter(due_date__isnull=True).exists()
    call_command("load_demo", stdout=(again := io.StringIO()))
    assert "demo data present" in again.getvalue()
    assert Report.objects.count() == 60
    assert RoutingRule.objects.count() == 5
    assert Report.objects.filter(crew=crew).count() == assigned.count()
    assert Crew.objects.count() == 3


def test_demo_texts_match_their_categories():
    """No "Spielplatz beschädigt – Tiefes Loch in der Fahrbahn": each text is written for its category."""
    from reporter.management.commands.load_demo import CATEGORIES, DESCRIPTIONS

    assert set(DESCRIPTIONS) == {row[0] for row in CATEGORIES}
    owners = {}
    for slug, texts in DESCRIPTIONS.items():
        for text in texts:
            assert owners.setdefault(text, slug) == slug, f"{text!r} is used for {owners[text]} and {slug}"
    call_command("load_demo", "--reports", "80", stdout=io.StringIO())
    mismatched = [(r.pk, r.category.slug, r.description) for r in Report.objects.select_related("category")
                  if r.description not in DESCRIPTIONS[r.category.slug]]
    assert mismatched == []
    assert len({r.category_id for r in Report.objects.all()}) >= 5


def test_load_demo_answers_is_idempotent():
    call_command("load_demo", "--reports", "5", stdout=io.StringIO())
    call_command("load_demo_answers", stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == "answer templates: 6 created, 0 present"
    call_command("load_demo_answers", stdout=(again := io.StringIO()))
    assert again.getvalue().strip() == "answer templates: 0 created, 6 present"
    assert AnswerTemplate.objects.filter(category__slug="schlagloch").count() == 1


def test_every_installed_service_brings_its_demo_and_a_failing_one_leaves_nothing():
    def probe(*, stdout):
        Department.objects.create(slug="probe-amt", name="Probeamt", email="probe@stadt.example")
        stdout.write("probe demo: one department")

    with hooks.register_temporarily("register_demo_data", probe):
        call_command("load_demo", "--reports", "5", stdout=(out := io.StringIO()))
    assert "probe demo: one department" in out.getvalue()
    assert Department.objects.filter(slug="probe-amt").count() == 1
    Department.objects.filter(slug="probe-amt").delete()
    Report.objects.all().delete()

    def broken(*, stdout):
        Department.objects.create(slug="probe-amt", name="Probeamt", email="probe@stadt.example")
        raise RuntimeError("probe failed")

    with hooks.register_temporarily("register_demo_data", broken), pytest.raises(RuntimeError, match="probe failed"):
        call_command("load_demo", "--reports", "5", stdout=io.StringIO())
    assert (Department.objects.filter(slug="probe-amt").count(), Report.objects.count()) == (0, 0)
