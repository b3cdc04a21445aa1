"""The statistics page: numbers against hand-computed expectations, assets only from our host,
and in Chromium: the heat map (MapLibre) draws, zero axe-core violations, the page without WebGL."""
import re
from datetime import date, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders

from reporter import statistics
from reporter.models import Report
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory
from tests.fixtures_browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    expect_map_replaced_by_note,
    request_hosts,
    screenshot,
)

BERLIN = ZoneInfo("Europe/Berlin")  # settings.TIME_ZONE; March 2026 is CET (UTC+1)
TODAY = date(2026, 3, 18)  # a Wednesday; its ISO week starts Monday 16 March


def at(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def report(category, created, closed=None, status=Report.Status.SUBMITTED, **kwargs) -> Report:
    """A report with the given timestamps (created_at is auto_now_add, so set afterwards)."""
    r = ReportFactory(category=category, status=status, **kwargs)
    Report.objects.filter(pk=r.pk).update(created_at=created, closed_at=closed)
    return r


# --- reports per category per week ----------------------------------------------

@pytest.mark.django_db
def test_reports_per_category_per_week():
    pothole = CategoryFactory(slug="schlagloch", name="Schlagloch", name_en="Pothole", order=1)
    CategoryFactory(slug="graffiti", name="Graffiti", order=2)  # no reports: a row of zeros
    CategoryFactory(slug="alt", name="Alt", order=3, is_active=False)  # inactive, no reports: left out
    report(pothole, at(2026, 3, 16, 0, 30))  # Monday 00:30 CET = Sunday 23:30 UTC: this week
    report(pothole, at(2026, 3, 15, 23, 30))  # Sunday: last week
    report(pothole, at(2026, 3, 17))
    report(pothole, at(2025, 12, 29, 8))  # Monday of the first of the 12 weeks
    report(pothole, at(2025, 12, 28, 20))  # the Sunday before: outside the period
    report(pothole, at(2026, 3, 17), moderation=Report.Moderation.HIDDEN)

    weeks, rows = statistics.reports_per_category_per_week(today=TODAY)

    assert weeks[0] == date(2025, 12, 29) and weeks[-1] == date(2026, 3, 16) and len(weeks) == 12
    assert [(r.category_slug, r.category_name) for r in rows] == [("schlagloch", "Schlagloch"),
                                                                  ("graffiti", "Graffiti")]
    assert rows[0].counts == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2)
    assert rows[0].total == 4 and rows[0].peak == 2
    assert rows[1].counts == (0,) * 12

    _, rows_en = statistics.reports_per_category_per_week(today=TODAY, language="en")
    assert rows_en[0].category_name == "Pothole"


# --- median time to resolve per department --------------------------------------

@pytest.mark.django_db
def test_median_time_to_resolve_per_department():
    roads = DepartmentFactory(name="Tiefbauamt")
    parks = DepartmentFactory(name="Grünflächenamt")
    road_cat = CategoryFactory(default_department=roads)
    park_cat = CategoryFactory(default_department=parks)
    t0 = at(2026, 3, 2, 9)
    resolved = Report.Status.RESOLVED
    for days in (1, 2, 4):
        report(road_cat, t0, t0 + timedelta(days=days), resolved)
    for hours in (1, 3):
        report(park_cat, t0, t0 + timedelta(hours=hours), resolved)
    # Not counted: closed otherwise, hidden, still open, resolved without closing time.
    report(road_cat, t0, t0 + timedelta(days=100), Report.Status.NOT_FIXABLE)
    report(road_cat, t0, t0 + timedelta(days=100), resolved, moderation=Report.Moderation.HIDDEN)
    report(road_cat, t0, None, Report.Status.IN_PROGRESS)
    report(road_cat, t0, None, resolved)

    rows = statistics.resolve_time_median_per_department()

    assert [(r.department_name, r.resolved, r.median) for r in rows] == [
        ("Grünflächenamt", 2, timedelta(hours=2)),  # percentile_cont: mean of the two middle values
        ("Tiefbauamt", 3, timedelta(days=2)),
    ]
    assert rows[1].median_days == 2.0
    assert rows[0].median_whole_hours == 2


# --- share resolved within the target time (working days) -----------------------

@pytest.fixture
def target_reports():
    two_days = CategoryFactory(slug="schlagloch", name="Schlagloch", sla_days=2, order=1)
    one_day = CategoryFactory(slug="ampel", name="Ampel gestört", sla_days=1, order=2)
    resolved = Report.Status.RESOLVED
    # March 2026: Mon 2, Tue 3, Wed 4, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9, Tue 10, Wed 11.
    report(two_days, at(2026, 3, 6, 10), at(2026, 3, 9, 9), resolved)  # Fri → Mon: 1 working day, within
    report(two_days, at(2026, 3, 2, 10), at(2026, 3, 5), resolved)  # Mon → Thu: 3, late
    report(two_days, at(2026, 3, 5), at(2026, 3, 10), resolved)  # Thu → Tue: Fri, Mon, Tue = 3, late
    report(two_days, at(2026, 3, 11, 8), at(2026, 3, 11, 17), resolved)  # same day: 0, within
    report(two_days, at(2026, 3, 7), at(2026, 3, 10), resolved)  # Sat → Tue: Mon, Tue = 2, within
    # Tue 00:30 CET (Mon 23:30 UTC) → Thu: Wed, Thu = 2, within (in UTC dates it would be 3).
    report(two_days, at(2026, 3, 3, 0, 30), at(2026, 3, 5, 12), resolved)
    report(two_days, at(2026, 3, 2), None, Report.Status.OPEN)  # not resolved: not counted
    report(two_days, at(2026, 3, 2), at(2026, 3, 30), Report.Status.NOT_FIXABLE)  # not counted
    report(one_day, at(2026, 3, 5), at(2026, 3, 6), resolved)  # Thu → Fri: 1, within
    return two_days, one_day


@pytest.mark.django_db
def test_resolved_within_target_counts_working_days(target_reports):
    rows = statistics.resolved_within_target_per_category()

    assert [(r.category_slug, r.target_days, r.resolved, r.within_target) for r in rows] == [
        ("schlagloch", 2, 6, 4),
        ("ampel", 1, 1, 1),
    ]
    assert rows[0].share == pytest.approx(4 / 6)


# --- the page ---------------------------------------------------------------------

EXTERNAL_URL = re.compile(r"https?://[^\s\"'<>&]+")


@pytest.mark.django_db
def test_stats_page_shows_the_numbers(client, target_reports, time_machine):
    time_machine.move_to(at(2026, 3, 18), tick=False)
    html = client.get("/statistik/").content.decode()

    assert '<html lang="de">' in html
    # Share within target, as text and in the table.
    assert "67 %" in html and "(4 von 6)" in html
    assert '<td class="num">6</td><td class="num">4</td><td class="num">67 %</td>' in html
    assert "Zielzeit 1 Arbeitstag" in html and "Zielzeit 2 Arbeitstage" in html
    # Weekly counts: 7 reports in the week of 2 March, 1 in the week of 9 March, none this week.
    flat = re.sub(r">\s+<", "><", html)
    cells = "".join(f'<td class="num">{n}</td>' for n in (0,) * 9 + (7, 1, 0, 8))
    assert f'<th scope="row">Schlagloch</th>{cells}</tr>' in flat
    assert "KW 1 (ab 29.12.2025) bis KW 12" in html
    # Median per department: all categories route to their own factory department.
    assert "Median der Bearbeitungszeit je Fachbereich" in html
    # Charts have text alternatives: role=img with a label, tables with captions and scopes.
    assert 'role="img"' in html and 'aria-label="Schlagloch: 8 Meldungen in 12 Wochen, höchstens' in html
    assert '<div id="heat-map" class="heat-map" role="region" aria-label="Wärmekarte der Meldungen"' in html


@pytest.mark.django_db
def test_stats_page_loads_nothing_from_other_hosts(client, target_reports):
    html = client.get("/statistik/").content.decode()
    assert EXTERNAL_URL.findall(html) == []
    assert '<script type="module" src="/static/frontend/js/heatmap.mjs">' in html
    assert 'data-maplibre-url="/static/vendor/maplibre-gl/maplibre-gl.mjs"' in html
    assert "srcdoc" not in html and "leaflet" not in html.lower()
    for path in ("vendor/maplibre-gl/maplibre-gl.mjs", "frontend/js/heatmap.mjs", "frontend/css/stats.css"):
        assert finders.find(path), path


@pytest.mark.django_db
def test_stats_page_with_tiles_uses_only_the_configured_tile_server(client, settings, target_reports):
    settings.FRONTEND = {**settings.FRONTEND, "TILE_URL": "https://tiles.stadt.example/{z}/{x}/{y}.png",
                         "TILE_ATTRIBUTION": "Stadt"}
    html = client.get("/statistik/").content.decode()
    assert {url.split("/")[2] for url in EXTERNAL_URL.findall(html)} == {"tiles.stadt.example"}


@pytest.mark.django_db
def test_stats_page_without_any_report(client):
    html = client.get("/statistik/").content.decode()
    assert "Bisher wurde noch keine Meldung erledigt." in html
    assert "Es gibt noch keine Kategorien." in html


@pytest.mark.django_db
def test_stats_page_in_english(client, target_reports):
    html = client.get("/statistik/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert 'aria-label="Heat map of reports"' in html
    assert 'data-t-zoom-in="Zoom in"' in html


# --- in the browser ---------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_browser_stats_heat_map_and_no_axe_violations(new_context, target_reports, viewport):
    pothole = target_reports[0]
    for i in range(20):
        ReportFactory(category=pothole, location=Point(12.08 + i * 0.0004, 50.88 - i * 0.0002, srid=4326))
    page = new_context(viewport=viewport).new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/statistik/")
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded() && "
                           "window.stadtmelderMap.getLayer('report-heat')")
    assert page.evaluate("window.stadtmelderMap.getLayer('report-heat').type") == "heatmap"
    # Every heat cell is in the layer's source, and none carries more than its weight.
    heat = page.evaluate("window.stadtmelderMap.getSource('report-heat').serialize().data.features")
    assert len(heat) == page.evaluate("JSON.parse(document.getElementById('heat-points').textContent).features.length")
    assert all(set(f["properties"]) == {"weight"} for f in heat)
    assert page.locator(".maplibregl-ctrl-zoom-in").get_attribute("aria-label") == "Vergrößern"

    assert axe_violations(page) == []
    # The tables are in closed <details>: open them and scan again.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []
    assert errors == []
    if viewport == PHONE:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        page.locator("#heat-map").evaluate("el => el.scrollIntoView({block: 'end'})")
        screenshot(page, "stats-phone")


@pytest.mark.django_db(transaction=True)
def test_browser_stats_heat_map_loads_from_our_host_only(new_context, live_server, target_reports):
    context = new_context(viewport=DESKTOP)
    hosts = request_hosts(context)
    page = context.new_page()
    page.goto("/statistik/")
    page.wait_for_function("window.stadtmelderMap && window.stadtmelderMap.loaded()")
    assert hosts == {urlparse(live_server.url).netloc}, hosts


@pytest.mark.django_db(transaction=True)
def test_browser_stats_without_webgl_keep_the_tables(no_webgl_page, target_reports):
    page = no_webgl_page
    page.goto("/statistik/")
    expect_map_replaced_by_note(page, "#heat-map", "#heat-map-note")
    assert page.locator("table").count() >= 3
    assert axe_violations(page) == []
