"""Service levels: due dates in working days (weekends and Thuringian holidays skipped), overdue
reports escalated once to the department's lead, and "resolved within target" with holidays."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point

from config.celery import app as celery_app
from config.celery import beat_schedule
from notifications.models import Notification
from reporter import services, statistics
from reporter.models import Report, StatusChange
from reporter.service_levels import (
    due_date_for,
    holidays_in,
    report_is_overdue,
    reports_escalate_overdue,
    working_days_between,
)
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory

BERLIN = ZoneInfo("Europe/Berlin")


def at(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


class Cat:
    """A category stand-in: due_date_for only reads sla_days."""

    def __init__(self, sla_days):
        self.sla_days = sla_days


# --- working days ------------------------------------------------------------------

@pytest.mark.parametrize(("filed", "sla", "due"), [
    (at(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday → Monday
    (at(2026, 3, 6), 2, date(2026, 3, 10)),  # Friday → Tuesday, across the weekend
    (at(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday → Monday
    (at(2026, 3, 4), 0, date(2026, 3, 4)),  # a target of 0 days: due the same day
    (at(2026, 3, 2), 10, date(2026, 3, 16)),  # two full weeks
    (at(2025, 10, 30), 1, date(2025, 11, 3)),  # Thursday; Fri 31 Oct is Reformationstag in TH
    (at(2024, 9, 19), 1, date(2024, 9, 23)),  # Thursday; Fri 20 Sep is Weltkindertag (TH only)
    (at(2026, 4, 2), 1, date(2026, 4, 7)),  # Thursday before Easter: Good Friday, Easter Monday skipped
    (at(2026, 4, 2), 3, date(2026, 4, 9)),
    (at(2025, 12, 23), 3, date(2025, 12, 30)),  # Christmas: 24 Dec counts, 25/26 are holidays
])
def test_due_date_counts_working_days_without_thuringian_holidays(filed, sla, due):
    assert due_date_for(category=Cat(sla), filed_at=filed) == due


def test_filing_date_is_taken_in_the_site_time_zone():
    # Tuesday 00:30 in Berlin is Monday 23:30 UTC: the local date (Tuesday) counts.
    filed = at(2026, 3, 3, 0, 30)
    assert filed.astimezone(ZoneInfo("UTC")).date() == date(2026, 3, 2)
    assert due_date_for(category=Cat(1), filed_at=filed) == date(2026, 3, 4)


def test_holidays_follow_the_configured_state(settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "HOLIDAY_STATE": "BY"}
    # In Bavaria neither Reformationstag nor Weltkindertag is a holiday.
    assert due_date_for(category=Cat(1), filed_at=at(2025, 10, 30)) == date(2025, 10, 31)
    assert due_date_for(category=Cat(1), filed_at=at(2024, 9, 19)) == date(2024, 9, 20)


def test_default_state_is_thuringia():
    from reporter.conf import DEFAULTS, stadtmelder_setting

    assert DEFAULTS["HOLIDAY_STATE"] == "TH"
    assert stadtmelder_setting("HOLIDAY_STATE") == "TH"  # nothing in the environment overrides it
    assert date(2025, 9, 20) in holidays_in(start=date(2025, 1, 1), end=date(2025, 12, 31))


def test_working_days_between():
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1  # Easter
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # weekend
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0


# --- due dates on reports ------------------------------------------------------------

@pytest.mark.django_db
def test_report_create_sets_due_date(city, time_machine):
    city.category.sla_days = 1
    city.category.save()
    time_machine.move_to(at(2025, 10, 30, 15), tick=False)
    report = services.report_create(category=city.category, point=Point(12.05, 50.87, srid=4326))
    assert report.due_date == date(2025, 11, 3)
    report.refresh_from_db()
    assert report.due_date == date(2025, 11, 3)


@pytest.mark.django_db
def test_reroute_to_another_category_sets_the_new_due_date(city, time_machine):
    time_machine.move_to(at(2026, 3, 2, 9), tick=False)  # Monday
    city.category.sla_days = 2
    city.category.save()
    report = services.report_create(category=city.category, point=Point(12.05, 50.87, srid=4326))
    assert report.due_date == date(2026, 3, 4)
    Report.objects.filter(pk=report.pk).update(escalated_at=at(2026, 3, 5))
    slow = CategoryFactory(sla_days=10, default_department=city.department)
    time_machine.move_to(at(2026, 3, 5, 9), tick=False)
    services.report_reroute(report=report, category=slow, reason="falsche Kategorie")
    report.refresh_from_db()
    # Counted from the day it was filed, not from the re-routing.
    assert (report.due_date, report.escalated_at) == (date(2026, 3, 16), None)
    # Moving the point only (same category) keeps the due date.
    services.report_reroute(report=report, point=Point(12.06, 50.871, srid=4326), reason="Ort korrigiert")
    report.refresh_from_db()
    assert report.due_date == date(2026, 3, 16)


@pytest.mark.django_db
def test_overdue_means_open_and_due_before_today():
    today = date(2026, 3, 10)
    assert report_is_overdue(ReportFactory(due_date=date(2026, 3, 9), status="open"), today=today)
    assert not report_is_overdue(ReportFactory(due_date=date(2026, 3, 10), status="open"), today=today)
    assert not report_is_overdue(ReportFactory(due_date=date(2026, 3, 1), status="resolved"), today=today)
    assert not report_is_overdue(ReportFactory(due_date=None), today=today)


# --- escalation ----------------------------------------------------------------------

@pytest.fixture
def overdue_set():
    roads = DepartmentFactory(name="Tiefbauamt", email="tiefbau@stadt.example", lead_email="leitung@stadt.example")
    parks = DepartmentFactory(name="Grünflächenamt", email="gruen@stadt.example")  # no lead: contact email
    road_cat = CategoryFactory(name="Schlagloch", default_department=roads)
    park_cat = CategoryFactory(name="Baum", default_department=parks)
    due = date(2026, 3, 9)
    return {
        "overdue": ReportFactory(category=road_cat, status="open", due_date=due, address="Markt 1"),
        "overdue_new": ReportFactory(category=park_cat, status="submitted", due_date=due),
        "due_today": ReportFactory(category=road_cat, status="open", due_date=date(2026, 3, 10)),
        "resolved": ReportFactory(category=road_cat, status="resolved", due_date=due),
        "escalated": ReportFactory(category=road_cat, status="in_progress", due_date=due,
                                   escalated_at=at(2026, 3, 9, 8)),
        "no_due_date": ReportFactory(category=road_cat, status="open", due_date=None),
    }


@pytest.mark.django_db
def test_escalation_mails_each_overdue_report_once(overdue_set, time_machine, django_capture_on_commit_callbacks,
                                                   mailoutbox):
    time_machine.move_to(at(2026, 3, 10, 7), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_escalate_overdue() == 2

    sent = sorted((m.to[0], m.subject) for m in mailoutbox)
    a, b = overdue_set["overdue"], overdue_set["overdue_new"]
    assert sent == sorted([
        ("leitung@stadt.example", f"[Stadtmelder] Frist überschritten: #{a.pk} Schlagloch"),
        ("gruen@stadt.example", f"[Stadtmelder] Frist überschritten: #{b.pk} Baum"),
    ])
    body = next(m.body for m in mailoutbox if m.to == ["leitung@stadt.example"])
    assert "Fällig am: 09.03.2026" in body and "Überfällig seit: 1 Arbeitstag\n" in body
    assert f"/sachbearbeitung/meldungen/{a.pk}/" in body
    a.refresh_from_db()
    assert a.escalated_at == at(2026, 3, 10, 7) and a.version == 2
    assert StatusChange.objects.get(report=a, kind="escalation").details == {
        "recipient": "leitung@stadt.example", "due_date": "2026-03-09"}
    untouched = [overdue_set[k].pk for k in ("due_today", "resolved", "escalated", "no_due_date")]
    assert not StatusChange.objects.filter(report_id__in=untouched).exists()

    # Never twice: the next hourly run, and the next day, find nothing new.
    time_machine.move_to(at(2026, 3, 11, 7), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_escalate_overdue() == 1  # "due_today" is overdue now
        assert reports_escalate_overdue() == 0
    assert len(mailoutbox) == 3
    assert Notification.objects.filter(event="report.escalated").count() == 3


@pytest.mark.django_db
def test_escalation_sends_one_digest_per_lead_and_run(time_machine, django_capture_on_commit_callbacks,
                                                      mailoutbox):
    """221 overdue reports of one department: one email to its lead, listing them all."""
    roads = DepartmentFactory(name="Tiefbauamt", email="tiefbau@stadt.example", lead_email="leitung@stadt.example")
    parks = DepartmentFactory(name="Grünflächenamt", email="gruen@stadt.example")
    road_cat = CategoryFactory(name="Schlagloch", default_department=roads)
    park_cat = CategoryFactory(name="Baum", default_department=parks)
    roads_overdue = [ReportFactory(category=road_cat, status="open", due_date=date(2026, 3, 6)) for _ in range(5)]
    parks_overdue = [ReportFactory(category=park_cat, status="open", due_date=date(2026, 3, 9)) for _ in range(2)]
    time_machine.move_to(at(2026, 3, 10, 7), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_escalate_overdue() == 7

    assert sorted(m.to[0] for m in mailoutbox) == ["gruen@stadt.example", "leitung@stadt.example"]
    lead = next(m for m in mailoutbox if m.to == ["leitung@stadt.example"])
    assert lead.subject == "[Stadtmelder] Frist überschritten: 5 Meldungen"
    assert lead.body.startswith("5 Meldungen sind überfällig:\n")
    for report in roads_overdue:
        assert f"/sachbearbeitung/meldungen/{report.pk}/" in lead.body
    assert "Überfällig seit: 2 Arbeitstagen\n" in lead.body  # Friday 6 → Tuesday 10 March
    assert not any(f"/meldungen/{r.pk}/" in lead.body for r in parks_overdue)
    assert "/sachbearbeitung/?ansicht=ueberfaellig" in lead.body
    notification = Notification.objects.get(recipient="leitung@stadt.example")
    assert sorted(notification.payload["report_ids"]) == sorted(r.pk for r in roads_overdue)
    assert StatusChange.objects.filter(kind="escalation").count() == 7


def test_escalation_runs_hourly_from_beat():
    entry = beat_schedule()["reports-escalate-overdue"]
    assert entry["task"] == "reporter.tasks.reports_escalate_overdue_task"
    assert entry["schedule"] == timedelta(hours=1)
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks


# --- statistics: resolved within target, with holidays ---------------------------------

@pytest.mark.django_db
def test_resolved_within_target_skips_holidays():
    one_day = CategoryFactory(slug="ampel", name="Ampel", sla_days=1, order=1)
    resolved = Report.Status.RESOLVED

    def report(created, closed):
        r = ReportFactory(category=one_day, status=resolved)
        Report.objects.filter(pk=r.pk).update(created_at=created, closed_at=closed)

    report(at(2026, 4, 2), at(2026, 4, 7))  # Thu → Tue after Easter: 1 working day, within
    report(at(2025, 10, 30), at(2025, 11, 3))  # Thu → Mon, Reformationstag between: 1, within
    report(at(2026, 3, 5), at(2026, 3, 9))  # Thu → Mon, no holiday: 2, late
    report(at(2025, 5, 1), at(2025, 5, 2))  # filed on a holiday (Thu), resolved Fri: 1, within

    rows = statistics.resolved_within_target_per_category()
    assert [(r.category_slug, r.resolved, r.within_target) for r in rows] == [("ampel", 4, 3)]
