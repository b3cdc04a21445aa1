"""In Chromium at desktop size: log in, the queue with its map, a status change with an answer
template done with the keyboard only, the error summary taking focus; axe-core finds no
WCAG 2.1 A/AA violation on the queue and the work screen. Screenshot: office-queue-desktop."""
import re

import pytest
from playwright.sync_api import expect

from backoffice.models import AnswerTemplate
from reporter.models import Report, StatusChange
from tests.backoffice.test_pages import _photo
from tests.fixtures_browser import DESKTOP, axe_violations, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# MapLibre has drawn N report circles on the queue map (layer id in backoffice/js/queue.js).
QUEUE_MAP_DRAWN = """() => { const map = window.stadtmelderMap;
  return map && map.loaded() && !map.isMoving() && map.getLayer('queue-reports')
    && map.queryRenderedFeatures({layers: ['queue-reports']}).length === N; }"""


def _login(page):
    page.goto("/sachbearbeitung/")
    page.wait_for_url("**/sachbearbeitung/anmelden/?next=/sachbearbeitung/")
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^[^?]*/sachbearbeitung/$"))  # staff land on the inbox
    page.goto("/sachbearbeitung/meldungen/")


def _tab_to(page, element_id: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} not reached with Tab")


def test_queue_and_keyboard_status_change_with_template(new_context, office, django_capture_on_commit_callbacks):
    report = office.r.new_north
    _photo(report)
    AnswerTemplate.objects.create(title="Erledigt", status="resolved", category=office.pothole,
                                  body="Die Stelle {adresse} ({kategorie}) wurde am {heute} repariert.")
    page = new_context(viewport=DESKTOP).new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page)

    # The queue: three open reports in the list and on the map.
    expect(page.locator("#queue-table tbody tr")).to_have_count(3)
    expect(page.locator("#map-status")).to_have_text("3 Meldungen auf der Karte")
    page.wait_for_function(QUEUE_MAP_DRAWN.replace("N", "3"))
    assert axe_violations(page) == []
    screenshot(page, "office-queue-desktop")

    # Select all, then the selection count is announced.
    page.locator("#select-all").check()
    expect(page.locator("#selection-status")).to_have_text("3 Meldungen ausgewählt")

    page.goto(f"/sachbearbeitung/meldungen/{report.pk}/")
    expect(page.locator("h1")).to_have_text(f"Meldung #{report.pk}: Schlagloch")
    assert axe_violations(page) == []

    # Keyboard only: Tab to the template, pick it with the arrow key, add an internal note, submit.
    _tab_to(page, "id_status-template")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_status-note_public")).to_have_value(
        "Die Stelle Markt 1 (Schlagloch) wurde am 10.03.2026 repariert.")
    expect(page.locator("#id_status-status")).to_have_value("resolved")
    expect(page.locator("#template-status")).to_have_text("Vorlage in die öffentliche Notiz eingefügt.")
    _tab_to(page, "id_status-note_internal")
    page.keyboard.type("Kolonne 1 war vor Ort")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Status speichern"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sachbearbeitung/meldungen/{report.pk}/")
    expect(page.locator(".messages")).to_contain_text("Der Status wurde geändert.")

    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    change = StatusChange.objects.get(report=report, kind="status")
    assert (change.note_public, change.note_internal) == (
        "Die Stelle Markt 1 (Schlagloch) wurde am 10.03.2026 repariert.", "Kolonne 1 war vor Ort")

    # An invalid action: the error summary is shown and takes the focus.
    page.locator("#id_reroute-category").select_option("laterne")
    page.locator("#reroute-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Bitte begründen Sie die Weiterleitung.")
    assert axe_violations(page) == []
    assert errors == []


def test_search_export_link_and_answer_templates_pass_axe(new_context, office):
    """The pages added for the walk-through (search, CSV link, templates list and form) are
    accessible, and a template is edited with the keyboard only, without JavaScript needed."""
    template = AnswerTemplate.objects.create(title="Loch verfüllt", body="Verfüllt: {adresse}",
                                             department=office.roads)
    page = new_context(viewport=DESKTOP).new_page()
    _login(page)
    page.get_by_label("Suche").fill("Südstraße")
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.locator("#queue-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="Diese Auswahl als CSV herunterladen")).to_have_attribute(
        "href", "/sachbearbeitung/export.csv?ansicht=offen&suche=S%C3%BCdstra%C3%9Fe&sortierung=faellig")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Antwortvorlagen").click()
    expect(page.locator("h1")).to_have_text("Antwortvorlagen")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Loch verfüllt").click()
    assert axe_violations(page) == []
    page.get_by_label("Titel").fill("Schlagloch verfüllt")
    page.get_by_label("Titel").press("Enter")
    expect(page.locator(".messages")).to_have_text("Die Vorlage „Schlagloch verfüllt“ wurde gespeichert.")
    template.refresh_from_db()
    assert template.title == "Schlagloch verfüllt"

    page.goto("/sachbearbeitung/vorlagen/neu/")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"/sachbearbeitung/meldungen/{office.r.new_north.pk}/")
    expect(page.get_by_label("Fachbereich", exact=True)).to_have_count(1)
    assert axe_violations(page) == []
