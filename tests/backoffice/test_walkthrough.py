"""Defects a walk-through found in the back office (issue 10, section 3): reopening by the
reporter, re-routing to a chosen department, search and CSV export, answer templates."""
from datetime import date

import pytest

from notifications.models import Notification
from reporter.models import Report, StatusChange
from tests.backoffice.conftest import row_ids

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


# --- reopened by the reporter ---------------------------------------------------------------

def test_reopened_report_comes_back_as_new_with_a_new_due_date_and_the_department_is_told(client, office):
    report = office.r.resolved
    office.roads.webhook_url = "https://tiefbau.example/hooks"
    office.roads.webhook_secret = "geheim"
    office.roads.save()
    Report.objects.filter(pk=report.pk).update(escalated_at="2026-03-03T08:00:00+01:00")
    response = client.post(f"/verfolgen/{report.tracking_token}/wieder-oeffnen/",
                           {"note": "Das Loch ist wieder da, größer als vorher."})
    assert response.status_code == 302

    report.refresh_from_db()
    # Filed Tuesday 10 March, pothole target 2 working days: due Thursday 12 March.
    assert (report.status, report.due_date, report.closed_at, report.escalated_at) == (
        "submitted", date(2026, 3, 12), None, None)
    mail = Notification.objects.get(event="report.reopened", channel="email")
    assert mail.recipient == "tiefbau@stadt.example"
    assert mail.subject == f"[Stadtmelder] Meldung vom Meldenden wieder geöffnet: #{report.pk} Schlagloch"
    assert "Begründung: Das Loch ist wieder da, größer als vorher.\nNeue Frist: 12.03.2026\n" in mail.body
    hook = Notification.objects.get(event="report.reopened", channel="webhook")
    assert hook.recipient == "https://tiefbau.example/hooks"
    assert hook.payload["reason"] == "Das Loch ist wieder da, größer als vorher."
    assert hook.payload["report"]["status"] == "submitted" and hook.payload["report"]["due_date"] == "2026-03-12"

    client.force_login(office.staff_a)
    assert report.pk in row_ids(page(client, "/sachbearbeitung/meldungen/", ansicht="neu"))
    html = page(client, f"/sachbearbeitung/meldungen/{report.pk}/")
    assert "Vom Meldenden wieder geöffnet" in html
    assert "Vom Meldenden wieder geöffnet: Das Loch ist wieder da, größer als vorher." in html
    entry = StatusChange.objects.filter(report=report).last()
    assert (entry.kind, entry.from_status, entry.to_status, entry.details) == (
        "reopen", "resolved", "submitted", {"due_date": "2026-03-12"})


# --- re-routing to a chosen department --------------------------------------------------------

def test_reroute_form_offers_every_department_and_the_choice_wins(client, office):
    client.force_login(office.staff_a)
    report = office.r.light_north
    html = page(client, f"/sachbearbeitung/meldungen/{report.pk}/")
    assert '<select name="reroute-department"' in html
    assert '<option value="gruen">Grünflächenamt</option>' in html
    assert '<option value="tiefbau">Tiefbauamt</option>' in html

    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/weiterleiten/", {
        "reroute-category": "laterne", "reroute-department": "gruen", "reroute-reason": "Laterne im Park"})
    assert (response.status_code, response["Location"]) == (302, "/sachbearbeitung/meldungen/")
    report.refresh_from_db()
    # The rules would give Tiefbauamt; the clerk's choice wins and is explained.
    assert (report.category.slug, report.department.slug, report.crew_id) == ("laterne", "gruen", None)
    assert report.routing_explanation["reason"] == "staff"
    assert report.routing_explanation["department_slug"] == "gruen"
    mail = Notification.objects.get(event="report.rerouted", recipient="gruen@stadt.example")
    assert "Zuständigkeit: von der Sachbearbeitung gewählt\n" in mail.body
    entry = StatusChange.objects.get(report=report, kind="reroute")
    assert entry.details["to"]["department"] == "gruen" and entry.note_internal == "Laterne im Park"
    assert f"Die Meldung #{report.pk} wurde an „Grünflächenamt“ weitergeleitet" in page(client,
                                                                                         "/sachbearbeitung/meldungen/")


def test_reroute_within_own_departments_stays_on_the_work_screen(client, office):
    client.force_login(office.admin)
    report = office.r.new_north
    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/weiterleiten/", {
        "reroute-category": "schlagloch", "reroute-department": "gruen", "reroute-reason": "Parkweg"})
    assert (response.status_code, response["Location"]) == (302, f"/sachbearbeitung/meldungen/{report.pk}/")
    html = page(client, response["Location"])
    assert "Die Meldung wurde an „Grünflächenamt“ weitergeleitet." in html
    assert "<dt>Zuständigkeit</dt><dd>von der Sachbearbeitung gewählt</dd>" in html


def test_reroute_to_an_unknown_department_is_400(client, office):
    client.force_login(office.staff_a)
    report = office.r.new_north
    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/weiterleiten/", {
        "reroute-category": "schlagloch", "reroute-department": "gibt-es-nicht", "reroute-reason": "x"})
    assert response.status_code == 400
    assert "Fachbereich: Bitte eine gültige Auswahl treffen." in response.content.decode()
    assert Report.objects.get(pk=report.pk).department_id == office.roads.pk


# --- search and CSV export ------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("{new}", ["new_north"]), ("#{new}", ["new_north"]), ("erika@EXAMPLE", ["new_north"]),
    ("südstraße", ["overdue_south"]), ("herrn x", ["new_north"]), ("gerd@example.org", []),
    ("99999999999999999999", []), ("nichts passt", []),
])
def test_queue_search_by_number_text_address_and_email(client, office, query, expected):
    client.force_login(office.staff_a)
    r = office.r
    query = query.format(new=r.new_north.pk)
    html = page(client, "/sachbearbeitung/meldungen/", suche=query, ansicht="alle")
    assert row_ids(html) == [getattr(r, name).pk for name in expected]
    assert f'value="{query}"' in html  # the search box keeps the query


def test_queue_search_by_tracking_token_and_with_a_nul_byte(client, office):
    client.force_login(office.staff_a)
    token = office.r.resolved.tracking_token
    assert row_ids(page(client, "/sachbearbeitung/meldungen/", suche=token, ansicht="alle")) == [office.r.resolved.pk]
    assert client.get("/sachbearbeitung/meldungen/", {"suche": "a\x00b"}).status_code == 400
    assert client.get("/sachbearbeitung/export.csv", {"suche": "a\x00b"}).status_code == 400


def _csv(response) -> list[list[str]]:
    import csv
    import io

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meldungen-2026-03-10.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_export_streams_the_current_filter_of_my_departments_only(client, office):
    client.force_login(office.staff_a)
    r = office.r
    html = page(client, "/sachbearbeitung/meldungen/", kategorie="schlagloch", ansicht="alle")
    assert 'href="/sachbearbeitung/export.csv?kategorie=schlagloch&amp;ansicht=alle" download' in html
    rows = _csv(client.get("/sachbearbeitung/export.csv", {"kategorie": "schlagloch", "ansicht": "alle"}))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Nummer", "Eingang", "Status", "Kategorie", "Fachbereich"]
    assert [int(row[0]) for row in body] == row_ids(html)
    assert sorted(int(row[0]) for row in body) == sorted([r.new_north.pk, r.overdue_south.pk, r.resolved.pk])
    new = dict(zip(header, next(row for row in body if int(row[0]) == r.new_north.pk), strict=True))
    assert (new["Status"], new["Kategorie"], new["Fachbereich"], new["Stadtteil"]) == (
        "eingegangen", "Schlagloch", "Tiefbauamt", "Nord")
    assert (new["E-Mail"], new["Name"], new["Adresse"]) == ("erika@example.org", "Erika Muster", "Markt 1")
    assert (new["Längengrad (WGS 84)"], new["Breitengrad (WGS 84)"], new["Fällig am"]) == (
        "12.050000", "50.885000", "2026-03-12")
    assert new["Beschreibung"] == "Loch vor Haus 3, Auto von Herrn X beschädigt"
    overdue = next(row for row in body if int(row[0]) == r.overdue_south.pk)
    assert overdue[header.index("Überfällig")] == "ja"
    # Another department's reports are never in it, whatever the filter says.
    rows = _csv(client.get("/sachbearbeitung/export.csv", {"ansicht": "alle", "suche": "gerd@example.org"}))
    assert rows[1:] == []


def test_csv_export_defuses_formulas_and_needs_staff(client, office):
    office.r.new_north.description = "=HYPERLINK(\"http://böse.example\")"
    office.r.new_north.save()
    client.force_login(office.staff_a)
    rows = _csv(client.get("/sachbearbeitung/export.csv", {"suche": "HYPERLINK"}))
    assert rows[1][rows[0].index("Beschreibung")] == "'=HYPERLINK(\"http://böse.example\")"
    client.force_login(office.citizen)
    response = client.get("/sachbearbeitung/export.csv")
    assert response.status_code == 302 and response["Location"].startswith("/sachbearbeitung/anmelden/")


# --- answer templates: clerks edit their own department's -------------------------------------

@pytest.fixture
def templates(office):
    from backoffice.models import AnswerTemplate

    return {
        "roads": AnswerTemplate.objects.create(title="Loch verfüllt", body="Verfüllt: {adresse}",
                                               department=office.roads, category=office.pothole, status="resolved"),
        "parks": AnswerTemplate.objects.create(title="Baum gefällt", body="Gefällt.", department=office.parks),
        "shared": AnswerTemplate.objects.create(title="Danke", body="Danke für Nr. {nummer}."),
    }


def test_clerk_lists_and_edits_own_departments_templates(client, office, templates):
    client.force_login(office.staff_a)
    html = page(client, "/sachbearbeitung/vorlagen/")
    assert f'href="/sachbearbeitung/vorlagen/{templates["roads"].pk}/">Loch verfüllt</a>' in html
    assert "Baum gefällt" not in html
    assert f'<li id="template-{templates["shared"].pk}">Danke</li>' in html  # read-only

    url = f"/sachbearbeitung/vorlagen/{templates['roads'].pk}/"
    html = page(client, url)
    assert 'value="Loch verfüllt"' in html and '<option value="tiefbau" selected>Tiefbauamt</option>' in html
    assert 'value="gruen"' not in html  # only my departments
    response = client.post(url, {"title": "Schlagloch verfüllt", "department": "tiefbau", "category": "schlagloch",
                                 "status": "resolved", "body": "Das Loch an {adresse} ist zu.", "order": "5",
                                 "is_active": "on"})
    assert (response.status_code, response["Location"]) == (302, "/sachbearbeitung/vorlagen/")
    templates["roads"].refresh_from_db()
    assert (templates["roads"].title, templates["roads"].body, templates["roads"].order) == (
        "Schlagloch verfüllt", "Das Loch an {adresse} ist zu.", 5)
    assert "Die Vorlage „Schlagloch verfüllt“ wurde gespeichert." in page(client, "/sachbearbeitung/vorlagen/")


def test_clerk_creates_a_template_that_appears_on_own_reports_only(client, office, templates):
    from backoffice.models import AnswerTemplate

    client.force_login(office.staff_a)
    assert "Neue Vorlage" in page(client, "/sachbearbeitung/vorlagen/neu/")
    response = client.post("/sachbearbeitung/vorlagen/neu/", {
        "title": "Laterne getauscht", "department": "tiefbau", "category": "", "status": "",
        "body": "Die Lampe ist neu.", "order": "100", "is_active": "on"})
    assert response.status_code == 302
    created = AnswerTemplate.objects.get(title="Laterne getauscht")
    assert (created.department, created.category, created.status) == (office.roads, None, "")
    assert "Laterne getauscht" in page(client, f"/sachbearbeitung/meldungen/{office.r.light_north.pk}/")
    client.force_login(office.staff_b)
    html = page(client, f"/sachbearbeitung/meldungen/{office.r.tree.pk}/")
    assert "Laterne getauscht" not in html and "Baum gefällt" in html and "Danke" in html


def test_clerk_cannot_edit_other_departments_or_shared_templates(client, office, templates):
    from backoffice.models import AnswerTemplate

    client.force_login(office.staff_a)
    response = client.get(f"/sachbearbeitung/vorlagen/{templates['parks'].pk}/")
    assert response.status_code == 404
    assert "Diese Vorlage gibt es nicht in Ihren Fachbereichen." in response.content.decode()
    assert client.post(f"/sachbearbeitung/vorlagen/{templates['parks'].pk}/", {
        "title": "x", "department": "tiefbau", "body": "x", "order": "1"}).status_code == 404
    assert client.get(f"/sachbearbeitung/vorlagen/{templates['shared'].pk}/").status_code == 403
    assert client.post(f"/sachbearbeitung/vorlagen/{templates['shared'].pk}/", {
        "title": "x", "department": "tiefbau", "body": "x", "order": "1"}).status_code == 403
    # Creating one for another department is a validation error (the choice is not offered).
    response = client.post("/sachbearbeitung/vorlagen/neu/", {"title": "x", "department": "gruen", "body": "x",
                                                               "order": "1"})
    assert response.status_code == 400
    assert "Fachbereich: Bitte eine gültige Auswahl treffen." in response.content.decode()
    response = client.post("/sachbearbeitung/vorlagen/neu/", {"title": "", "department": "", "body": "",
                                                               "order": "1"})
    assert response.status_code == 400
    assert '<a href="#id_title">Titel: Bitte einen Titel angeben.</a>' in response.content.decode()
    assert AnswerTemplate.objects.count() == 3
    assert (AnswerTemplate.objects.get(pk=templates["parks"].pk).title,
            AnswerTemplate.objects.get(pk=templates["shared"].pk).title) == ("Baum gefällt", "Danke")


def test_service_refuses_other_departments_template(office, templates):
    from django.core.exceptions import PermissionDenied

    from backoffice.services import answer_template_save

    with pytest.raises(PermissionDenied):
        answer_template_save(user=office.staff_a, template=templates["parks"], values={"title": "x"})
    with pytest.raises(PermissionDenied):  # moving my template to another department
        answer_template_save(user=office.staff_a, template=templates["roads"], values={"department": office.parks})
    saved = answer_template_save(user=office.admin, template=templates["shared"], values={"title": "Vielen Dank"})
    assert saved.title == "Vielen Dank"
