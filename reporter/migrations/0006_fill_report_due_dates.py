"""Fill `Report.due_date` where it is missing (reports filed before service levels existed).

The due date is `Category.sla_days` working days after the day the report was filed
(`created_at` as a date in the site's time zone, settings.TIME_ZONE): Monday to Friday
without the public holidays of `STADTMELDER["HOLIDAY_STATE"]`, as in
`reporter.service_levels.due_date_for`. The date arithmetic is copied here rather than
imported, so that this migration keeps meaning what it meant when later code changes
(and because `reporter.service_levels` imports the current models).

Reverse is a no-op: the forward step only fills NULLs, and after it nobody can tell a
filled date from one set when the report was filed, so there is nothing safe to undo.
"""
from datetime import date, timedelta

import holidays
from django.conf import settings
from django.db import migrations
from django.utils import timezone

BATCH = 2000
_SATURDAY = 5  # date.weekday(): Monday = 0 … Sunday = 6


def _working_days_add(start: date, days: int, *, state: str, cache: dict) -> date:
    """The `days`-th working day after `start` (`start` itself for 0)."""
    current = start
    while days:
        current += timedelta(days=1)
        if current.year not in cache:
            cache[current.year] = frozenset(holidays.country_holidays("DE", subdiv=state, years=current.year))
        if current.weekday() < _SATURDAY and current not in cache[current.year]:
            days -= 1
    return current


def fill_due_dates(apps, schema_editor):
    Report = apps.get_model("reporter", "Report")
    state = getattr(settings, "STADTMELDER", {}).get("HOLIDAY_STATE", "TH")
    site_zone = timezone.get_default_timezone()
    holiday_cache: dict[int, frozenset[date]] = {}
    rows = (Report.objects.using(schema_editor.connection.alias).filter(due_date__isnull=True)
            .select_related("category").only("id", "created_at", "category__sla_days").order_by("id"))
    batch = []
    for report in rows.iterator(chunk_size=BATCH):
        filed_on = timezone.localtime(report.created_at, site_zone).date()
        report.due_date = _working_days_add(filed_on, report.category.sla_days, state=state, cache=holiday_cache)
        batch.append(report)
        if len(batch) >= BATCH:
            Report.objects.using(schema_editor.connection.alias).bulk_update(batch, ["due_date"])
            batch = []
    if batch:
        Report.objects.using(schema_editor.connection.alias).bulk_update(batch, ["due_date"])


class Migration(migrations.Migration):

    dependencies = [
        ("reporter", "0005_add_crews_and_assignment"),
        ("routing_rules", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_due_dates, migrations.RunPython.noop, elidable=True),
    ]
