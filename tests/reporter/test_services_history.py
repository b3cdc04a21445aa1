"""One owner for a report's history and version: `reporter.history`.

Every write through a service bumps `version` (the crew API's ETag) and `updated_at` once and
leaves one history row; no other module writes `StatusChange` rows or bumps versions itself.
"""
import re
from pathlib import Path

import pytest

from reporter import dispatch, services
from reporter.history import history_record, report_save, reports_update
from reporter.models import Report, StatusChange
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("reporter", "mobile_api", "backoffice", "frontend", "notifications", "open311", "opendata", "geodata",
        "routing_rules")
# Writing history rows or bumping the version by hand, anywhere but reporter/history.py.
HAND_WRITTEN = re.compile(r"(?<!class )(?<!\w)StatusChange\(|StatusChange\.objects\.(create|bulk_create)|version \+= 1|"
                          r"version=F\([\"']version[\"']\)")


def test_no_module_but_reporter_history_writes_history_or_versions():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == "reporter/history.py":
                continue
            offenders += [f"{relative}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                          if HAND_WRITTEN.search(line)]
    assert offenders == []


@pytest.mark.django_db
def test_helpers_bump_version_touch_updated_at_and_record_the_actor():
    report = ReportFactory(status=Report.Status.OPEN)
    before = Report.objects.values_list("version", "updated_at").get(pk=report.pk)
    report.address = "Markt 2"
    report_save(report, fields=["address"])
    after = Report.objects.values_list("version", "updated_at", "address").get(pk=report.pk)
    assert after[0] == before[0] + 1 and after[1] > before[1] and after[2] == "Markt 2"

    assert reports_update([report.pk], address="Markt 3") == 1
    assert Report.objects.values_list("version", "address").get(pk=report.pk) == (before[0] + 2, "Markt 3")

    clerk = UserFactory(is_staff=True)
    entry = history_record(report, kind="note", actor=clerk, note_internal="intern")
    anonymous = history_record(report, kind="note", actor=None)
    assert (entry.from_status, entry.to_status, entry.actor, anonymous.actor) == ("open", "open", clerk, None)


@pytest.mark.django_db
def test_every_service_write_bumps_the_version_once_and_leaves_one_history_row():
    department = DepartmentFactory()
    category = CategoryFactory(default_department=department)
    report = ReportFactory(category=category, department=department, status=Report.Status.SUBMITTED)
    clerk = UserFactory(is_staff=True)

    def step(write):
        version, rows = Report.objects.get(pk=report.pk).version, StatusChange.objects.filter(report=report).count()
        write()
        assert Report.objects.get(pk=report.pk).version == version + 1
        assert StatusChange.objects.filter(report=report).count() == rows + 1

    step(lambda: dispatch.report_accept(report=report, actor=clerk))
    step(lambda: services.report_status_change(report=report, to_status="in_progress", actor=clerk))
    step(lambda: services.report_moderate(report=report, moderation="approved", actor=clerk))
    step(lambda: services.report_status_change(report=report, to_status="resolved", note_public="erledigt"))
