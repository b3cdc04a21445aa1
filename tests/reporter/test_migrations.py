"""Data migration `reporter.0006_fill_report_due_dates`, run with Django's MigrationExecutor.

The database is migrated back to the migration before it, rows without `due_date` are
written with the historical models, and the migration runs forward. Due dates count
working days after the filing day in Europe/Berlin, without weekends and the public
holidays of Thuringia (HOLIDAY_STATE "TH"; 20 September is Weltkindertag there only).
"""
from datetime import UTC, date, datetime

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

PREVIOUS = ("reporter", "0005_add_crews_and_assignment")
AFTER = [("reporter", "0006_fill_report_due_dates")]


def targets_before() -> list[tuple[str, str]]:
    """reporter at the migration before the data migration, every other app at its newest
    (so that e.g. `routing_rules.Category.updated_at`, added later, is in the state)."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [PREVIOUS] + [node for node in leaves if node[0] != "reporter"]


@pytest.fixture
def migrated_back():
    """Historical apps before the data migration; afterwards the newest migrations again."""
    before = targets_before()
    MigrationExecutor(connection).migrate(before)
    try:
        yield MigrationExecutor(connection).loader.project_state(before).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_due_dates_are_filled_in_working_days(migrated_back, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    settings.STADTMELDER = {**settings.STADTMELDER, "HOLIDAY_STATE": "TH"}
    apps = migrated_back
    Department = apps.get_model("routing_rules", "Department")
    Category = apps.get_model("routing_rules", "Category")
    Report = apps.get_model("reporter", "Report")
    department = Department.objects.create(slug="tiefbau", name="Tiefbau", email="tiefbau@stadt.example")

    def category(slug, sla_days):
        return Category.objects.create(slug=slug, name=slug, group="strasse", default_department=department,
                                       sla_days=sla_days)

    def report(cat, filed_at, due_date=None):
        row = Report.objects.create(tracking_token=f"t{Report.objects.count()}", location=Point(12.05, 50.875,
                                    srid=4326), category=cat, department=department, due_date=due_date)
        Report.objects.filter(pk=row.pk).update(created_at=filed_at)
        return row.pk

    two_days, one_day, same_day = category("zwei", 2), category("eins", 1), category("null", 0)
    # Wednesday 18 Sep 2024, 22:30 UTC = Thursday 19 Sep, 00:30 CEST: filed on Thursday.
    # Friday 20 Sep is Weltkindertag (Thuringia), then the weekend: Mon 23 (1), Tue 24 (2).
    across_holiday = report(two_days, datetime(2024, 9, 18, 22, 30, tzinfo=UTC))
    # Friday 13 Sep 2024, 10:00 UTC; one working day later, across the weekend: Monday 16.
    across_weekend = report(one_day, datetime(2024, 9, 13, 10, 0, tzinfo=UTC))
    # Saturday 21 Sep 2024 with a target of 0 days: the filing day itself.
    zero_days = report(same_day, datetime(2024, 9, 21, 9, 0, tzinfo=UTC))
    already_set = report(two_days, datetime(2024, 9, 18, 22, 30, tzinfo=UTC), due_date=date(2030, 1, 2))

    MigrationExecutor(connection).migrate(AFTER)

    due = dict(Report.objects.values_list("pk", "due_date"))
    assert due == {
        across_holiday: date(2024, 9, 24),
        across_weekend: date(2024, 9, 16),
        zero_days: date(2024, 9, 21),
        already_set: date(2030, 1, 2),
    }


def test_reverse_keeps_the_filled_due_dates(migrated_back):
    """Backwards is a no-op: the forward step only filled NULLs, so nothing is undone."""
    apps = migrated_back
    department = apps.get_model("routing_rules", "Department").objects.create(
        slug="tiefbau", name="Tiefbau", email="tiefbau@stadt.example")
    category = apps.get_model("routing_rules", "Category").objects.create(
        slug="eins", name="eins", group="strasse", default_department=department, sla_days=1)
    Report = apps.get_model("reporter", "Report")
    row = Report.objects.create(tracking_token="t0", location=Point(12.05, 50.875, srid=4326), category=category,
                                department=department)
    # Tuesday 1 Oct 2024, 08:00 UTC; Wednesday 2 Oct is a working day.
    Report.objects.filter(pk=row.pk).update(created_at=datetime(2024, 10, 1, 8, 0, tzinfo=UTC))

    MigrationExecutor(connection).migrate(AFTER)
    MigrationExecutor(connection).migrate([PREVIOUS])

    assert ("reporter", "0006_fill_report_due_dates") not in MigrationExecutor(connection).recorder.applied_migrations()
    assert Report.objects.get(pk=row.pk).due_date == date(2024, 10, 2)
