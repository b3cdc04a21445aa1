"""Key figures from known cases and reports: online applications per service and month (in
the site's time zone, the 12-month window), median processing time per service (duplicates and
hidden reports left out); progress by month from the history; overall level = lowest criterion."""
from datetime import date, timedelta

import pytest

from cases.models import Case
from ozgmonitor.figures import online_applications_per_month, processing_time_median_per_service
from ozgmonitor.maturity import overall_level
from ozgmonitor.selectors import progress_by_month

from .conftest import at, case_filed, report_filed

TODAY = date(2026, 12, 7)


@pytest.fixture
def filed(org):
    dep = org.citizens
    original = case_filed(service="anliegen", department=dep, created=at(2026, 11, 3, 10), closed=at(2026, 11, 5, 10))
    case_filed(service="anliegen", department=dep, created=at(2026, 11, 20, 9), closed=at(2026, 11, 24, 9))
    case_filed(service="anliegen", department=dep, created=at(2026, 11, 12, 8), closed=at(2026, 11, 13, 8),
               merged_into=original)
    case_filed(service="anliegen", department=dep, created=at(2026, 12, 1, 12))
    case_filed(service="anliegen", department=dep, created=at(2026, 11, 10, 8), closed=at(2026, 11, 20, 8),
               channel=Case.Channel.PHONE)
    case_filed(service="anliegen", department=dep, created=at(2026, 1, 1, 0, 30))  # 2025-12-31 23:30 UTC
    case_filed(service="anliegen", department=dep, created=at(2025, 12, 31, 23, 30))  # before the window
    report_filed(created=at(2026, 11, 4, 7), closed=at(2026, 11, 7, 7), status="resolved")
    report_filed(created=at(2026, 12, 2, 7), channel="app")
    report_filed(created=at(2026, 11, 5, 7), closed=at(2026, 11, 6, 7), status="resolved", channel="phone")
    report_filed(created=at(2026, 11, 6, 7), closed=at(2026, 11, 6, 9), status="resolved", moderation="hidden")
    report_filed(created=at(2026, 11, 7, 7), closed=at(2026, 11, 7, 19), status="duplicate")


def test_online_applications_per_month(filed):
    months, rows = online_applications_per_month(months=12, today=TODAY)
    assert months[0] == date(2026, 1, 1) and months[-1] == date(2026, 12, 1) and len(months) == 12
    by_service = {row.service: row.counts for row in rows}
    assert set(by_service) == {"anliegen", "maengelmelder"}
    assert by_service["anliegen"] == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1)
    assert by_service["maengelmelder"] == (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1)
    assert [row.title for row in rows] == ["Allgemeines Anliegen an die Stadtverwaltung",
                                           "Mängelmelder: Schaden oder Gefahr im öffentlichen Raum melden"]


def test_median_processing_time_per_service(filed):
    rows = {row.service: row for row in processing_time_median_per_service()}
    assert (rows["anliegen"].closed, rows["anliegen"].median) == (3, timedelta(days=4))
    assert (rows["maengelmelder"].closed, rows["maengelmelder"].median) == (2, timedelta(days=2))
    assert rows["maengelmelder"].median_days == 2.0


def test_no_cases_no_figures(org):
    assert online_applications_per_month(today=TODAY)[1] == []
    assert processing_time_median_per_service() == []


def test_progress_by_month_from_the_history(entries):
    months, counts = progress_by_month(months=12, today=TODAY)
    assert months[0] == date(2026, 1, 1)
    # Jan: wohngeld planned; Apr: wohngeld in progress; Jun: + hundesteuer; Aug: + planned
    # sondernutzung; Sep: wohngeld online.
    assert counts["planned"] == [1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    assert counts["in_progress"] == [0, 0, 0, 1, 1, 2, 2, 2, 1, 1, 1, 1]
    assert counts["online"] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    assert counts["retired"] == [0] * 12


def test_overall_level_is_the_lowest_criterion(entries):
    assert overall_level({"a": 4, "b": 2, "c": 3}) == 2
    assert overall_level({}) is None
    assert (entries.wohngeld.maturity_level, entries.hund.maturity_level, entries.sperr.maturity_level) == (3, 2, 2)


def test_history_rows_only_on_change(entries):
    wohngeld = entries.wohngeld
    assert list(wohngeld.changes.values_list("changed_on", "status", "maturity_level")) == [
        (date(2026, 1, 10), "planned", 3), (date(2026, 4, 2), "in_progress", 3), (date(2026, 9, 15), "online", 3)]
    from ozgmonitor.services import ozg_service_save
    wohngeld.provider = "Land Thüringen"
    ozg_service_save(service=wohngeld, changed_on=date(2026, 10, 1))
    assert wohngeld.changes.count() == 3
    wohngeld.maturity = {**wohngeld.maturity, "nachweise": 4, "antragsprozess": 4}
    ozg_service_save(service=wohngeld, changed_on=date(2026, 11, 1))
    assert wohngeld.changes.last().maturity_level == 4
