"""Back-office pages: who may see what, the queue's filters and map, bulk assignment, the work
screen's actions (status with answer template, 409, errors, moderation, blur), query counts."""
import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from backoffice.answers import answer_render
from backoffice.models import AnswerTemplate
from notifications.models import Notification
from reporter.models import Report, ReportPhoto, StatusChange
from reporter.photos import photo_process
from tests.backoffice.conftest import NORTH, row_ids
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

LOGIN = "/sachbearbeitung/anmelden/"


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


# --- permissions ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/sachbearbeitung/", "/sachbearbeitung/meldungen/", "/sachbearbeitung/trupps/",
                                 "/sachbearbeitung/karte.geojson",
                                 "/sachbearbeitung/meldungen/1/", "/sachbearbeitung/fotos/1/original/"])
def test_anonymous_is_sent_to_login(client, office, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"


def test_anonymous_post_is_sent_to_login_and_writes_nothing(client, office):
    pk = office.r.new_north.pk
    response = client.post(f"/sachbearbeitung/meldungen/{pk}/status/", {"status-status": "open"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert Report.objects.get(pk=pk).status == "submitted"


def test_logged_in_non_staff_is_sent_to_login_with_a_reason(client, office):
    client.force_login(office.citizen)
    response = client.get("/sachbearbeitung/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    html = page(client, LOGIN)
    assert "Sie sind als buerger angemeldet, haben aber keinen Zugang zur Sachbearbeitung." in html


def test_login_page_logs_staff_in(client, office):
    html = page(client, LOGIN)
    assert '<label for="id_username">Benutzername</label>' in html and 'autocomplete="current-password"' in html
    response = client.post(LOGIN, {"username": "anna", "password": "pw-12345678", "next": "/sachbearbeitung/"})
    assert response.status_code == 302 and response["Location"] == "/sachbearbeitung/"
    bad = client.post(LOGIN, {"username": "anna", "password": "falsch"})
    assert bad.status_code == 200 and 'id="error-summary"' in bad.content.decode()


def test_staff_of_another_department_gets_404(client, office):
    client.force_login(office.staff_a)
    tree = office.r.tree
    assert client.get(f"/sachbearbeitung/meldungen/{tree.pk}/").status_code == 404
    response = client.post(f"/sachbearbeitung/meldungen/{tree.pk}/status/",
                           {"status-status": "in_progress", "status-note_public": "x"})
    assert response.status_code == 404
    assert Report.objects.get(pk=tree.pk).status == "open" and not StatusChange.objects.exists()
    photo = ReportPhoto.objects.create(report=tree, content_type="image/jpeg", original_bytes=1)
    assert client.get(f"/sachbearbeitung/fotos/{photo.pk}/original/").status_code == 404
    assert tree.pk not in row_ids(page(client, "/sachbearbeitung/meldungen/", ansicht="alle"))
    assert client.get("/sachbearbeitung/meldungen/999999/").status_code == 404


def test_superuser_sees_every_department(client, office):
    client.force_login(office.admin)
    r = office.r
    assert sorted(row_ids(page(client, "/sachbearbeitung/meldungen/", ansicht="alle"))) == sorted(
        [r.new_north.pk, r.overdue_south.pk, r.light_north.pk, r.resolved.pk, r.tree.pk])
    assert "Erika Muster" in page(client, f"/sachbearbeitung/meldungen/{r.new_north.pk}/")
    assert page(client, f"/sachbearbeitung/meldungen/{r.tree.pk}/")


def test_post_without_csrf_token_is_refused(office):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office.staff_a)
    response = client.post(f"/sachbearbeitung/meldungen/{office.r.new_north.pk}/annehmen/", {})
    assert response.status_code == 403
    assert Report.objects.get(pk=office.r.new_north.pk).status == "submitted"


# --- the queue ---------------------------------------------------------------------------

def test_queue_tabs_and_filters_give_exact_rows(client, office):
    client.force_login(office.staff_a)
    r = office.r
    queue = "/sachbearbeitung/meldungen/"
    # Default: open reports of my departments, earliest due first.
    assert row_ids(page(client, queue)) == [r.overdue_south.pk, r.new_north.pk, r.light_north.pk]
    assert row_ids(page(client, queue, ansicht="neu")) == [r.new_north.pk]
    assert row_ids(page(client, queue, ansicht="ueberfaellig")) == [r.overdue_south.pk]
    assert row_ids(page(client, queue, ansicht="alle")) == [r.resolved.pk, r.overdue_south.pk, r.new_north.pk,
                                                            r.light_north.pk]
    assert row_ids(page(client, queue, kategorie="laterne")) == [r.light_north.pk]
    assert row_ids(page(client, queue, stadtteil=office.north.pk)) == [r.new_north.pk, r.light_north.pk]
    assert row_ids(page(client, queue, stadtteil=office.south.pk, ansicht="alle")) == [r.resolved.pk,
                                                                                        r.overdue_south.pk]
    assert row_ids(page(client, queue, trupp=office.k2.pk)) == [r.light_north.pk]
    assert row_ids(page(client, queue, trupp="ohne")) == [r.new_north.pk]
    assert row_ids(page(client, queue, sortierung="-faellig")) == [r.light_north.pk, r.new_north.pk,
                                                                  r.overdue_south.pk]
    assert row_ids(page(client, queue, sortierung="nummer")) == sorted([r.new_north.pk, r.overdue_south.pk,
                                                                       r.light_north.pk])


def test_queue_row_shows_due_date_overdue_flag_district_and_tab_counts(client, office):
    client.force_login(office.staff_a)
    html = page(client, "/sachbearbeitung/meldungen/")
    row = re.search(rf'<tr id="row-{office.r.overdue_south.pk}".*?</tr>', html, re.S).group(0)
    assert 'class="overdue"' in row and '<time datetime="2026-03-09">09.03.2026</time>' in row
    assert '<span class="badge overdue-badge">überfällig</span>' in row
    assert "<td>Süd</td>" in row and "<td>Kolonne 1</td>" in row
    assert 'aria-label="Meldung ' in row
    assert re.sub(r"\s+", " ", html).count('aria-current="page">Alle offenen <span class="count">(3)</span>') == 1
    assert 'Neu eingegangen <span class="count">(1)</span>' in html
    assert 'Überfällig <span class="count">(1)</span>' in html
    # No personal data in the list.
    assert "Erika" not in html and "erika@example.org" not in html


def test_queue_invalid_filter_shows_an_error_summary(client, office):
    client.force_login(office.staff_a)
    response = client.get("/sachbearbeitung/meldungen/", {"kategorie": "gibtsnicht"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and '<a href="#id_kategorie">Kategorie:' in html


def test_queue_paging(client, office):
    client.force_login(office.staff_a)
    extra = [ReportFactory(category=office.pothole, status="open", location=NORTH, due_date=None) for _ in range(25)]
    first = row_ids(page(client, "/sachbearbeitung/meldungen/"))
    second = row_ids(page(client, "/sachbearbeitung/meldungen/", seite=2))
    assert len(first) == 25 and len(second) == 3
    assert set(first) | set(second) == {*(e.pk for e in extra), office.r.overdue_south.pk, office.r.new_north.pk,
                                        office.r.light_north.pk}


def test_queue_map_is_the_same_filtered_set_as_geojson(client, office):
    client.force_login(office.staff_a)
    response = client.get("/sachbearbeitung/karte.geojson", {"stadtteil": office.north.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    r = office.r
    assert [f["id"] for f in data["features"]] == [r.new_north.pk, r.light_north.pk]
    first = data["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [12.05, 50.885]}  # lon, lat
    assert first["properties"] == {"id": r.new_north.pk, "category": "Schlagloch", "status": "submitted",
                                   "address": "Markt 1", "due_date": "2026-03-12", "overdue": False, "crew": None}
    assert "erika" not in response.content.decode().lower()
    empty = json.loads(client.get("/sachbearbeitung/karte.geojson", {"kategorie": "baum"}).content)
    assert empty == {"type": "FeatureCollection", "features": []}


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/sachbearbeitung/meldungen/", {"ansicht": "alle"}).status_code == 200
    return len(ctx.captured_queries)


def test_queue_query_count_does_not_grow_with_rows(client, office, django_assert_max_num_queries):
    client.force_login(office.staff_a)
    few = _queue_queries(client)
    for i in range(20):
        ReportFactory(category=office.light, status="open", location=NORTH, crew=office.k1 if i % 2 else None)
    assert _queue_queries(client) == few
    with django_assert_max_num_queries(12):
        client.get("/sachbearbeitung/meldungen/", {"ansicht": "alle"})
    with django_assert_max_num_queries(6):
        client.get("/sachbearbeitung/karte.geojson")


def test_work_screen_query_count_is_bounded(client, office, django_assert_max_num_queries):
    client.force_login(office.staff_a)
    report = office.r.new_north
    for i in range(5):
        StatusChange.objects.create(report=report, to_status="submitted", note_internal=f"Notiz {i}",
                                    actor=office.staff_a)
    with django_assert_max_num_queries(16):
        assert client.get(f"/sachbearbeitung/meldungen/{report.pk}/").status_code == 200


# --- bulk assignment -------------------------------------------------------------------------

def test_bulk_assign_from_the_queue(client, office, django_capture_on_commit_callbacks):
    client.force_login(office.staff_a)
    r = office.r
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/sachbearbeitung/zuweisen/?ansicht=neu",
                               {"reports": [r.new_north.pk, r.light_north.pk], "crew": office.k1.pk})
    assert response.status_code == 302 and response["Location"] == "/sachbearbeitung/meldungen/?ansicht=neu"
    assert set(Report.objects.filter(crew=office.k1).values_list("pk", flat=True)) == {
        r.new_north.pk, r.light_north.pk, r.overdue_south.pk}
    html = page(client, "/sachbearbeitung/meldungen/", ansicht="neu")
    assert "2 Meldungen dem Trupp „Kolonne 1“ zugewiesen." in html


def test_bulk_assign_with_a_foreign_crew_or_report_is_refused(client, office):
    client.force_login(office.staff_a)
    r = office.r
    response = client.post("/sachbearbeitung/zuweisen/", {"reports": [r.new_north.pk], "crew": office.tree_crew.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and "Diesen Trupp gibt es in Ihren Fachbereichen nicht." in html
    response = client.post("/sachbearbeitung/zuweisen/", {"reports": [r.new_north.pk, r.tree.pk],
                                                          "crew": office.k1.pk})
    assert response.status_code == 400
    assert f"Meldung nicht gefunden: #{r.tree.pk}" in response.content.decode()
    response = client.post("/sachbearbeitung/zuweisen/", {"crew": office.k1.pk})
    assert "Bitte mindestens eine Meldung auswählen." in response.content.decode()
    assert Report.objects.get(pk=r.new_north.pk).crew_id is None
    assert not StatusChange.objects.exists()


def test_superuser_assigning_a_crew_of_another_department_gets_the_service_message(client, office):
    client.force_login(office.admin)
    response = client.post("/sachbearbeitung/zuweisen/", {"reports": [office.r.new_north.pk],
                                                          "crew": office.tree_crew.pk})
    assert response.status_code == 400
    assert ("Der Trupp „Baumtrupp“ gehört zu Grünflächenamt; diese Meldungen gehören zu einem anderen "
            f"Fachbereich: #{office.r.new_north.pk}") in response.content.decode()
    assert Report.objects.get(pk=office.r.new_north.pk).crew_id is None


# --- crew load ------------------------------------------------------------------------------

def test_crew_load(client, office):
    client.force_login(office.staff_a)
    html = re.sub(r"\s+", " ", page(client, "/sachbearbeitung/trupps/"))
    assert re.findall(r'<th scope="row"><a href="/sachbearbeitung/meldungen/\?trupp=\d+">([^<]+)</a></th>', html) == [
        "Kolonne 1", "Kolonne 2"]
    assert ('Kolonne 1</a></th> <td>Tiefbauamt</td> <td class="num">1</td> <td class="num">1</td>') in html
    assert ('Kolonne 2</a></th> <td>Tiefbauamt</td> <td class="num">1</td> <td class="num">0</td>') in html
    assert "Baumtrupp" not in html


# --- the work screen ------------------------------------------------------------------------

def test_work_screen_shows_everything_to_staff(client, office):
    client.force_login(office.staff_a)
    report = office.r.new_north
    StatusChange.objects.create(report=report, to_status="submitted", note_internal="Bürger ruft öfter an")
    html = page(client, f"/sachbearbeitung/meldungen/{report.pk}/")
    for text in ("Erika Muster", "erika@example.org", "Loch vor Haus 3, Auto von Herrn X beschädigt",
                 "Bürger ruft öfter an", "Nord", "12.03.2026", "Markt 1"):
        assert text in html, text
    for form in ("accept-form", "status-form", "reroute-form", "duplicate-form", "refer-form", "moderation-form"):
        assert f'id="{form}"' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 8


def test_answer_template_fills_placeholders(office):
    report = office.r.new_north
    Report.objects.filter(pk=report.pk).update(address="Markt 1")
    report.refresh_from_db()
    body = "Ihre Meldung #{nummer} vom {datum} ({kategorie}, {adresse}) ist bis {frist} erledigt. {unbekannt}"
    assert answer_render(body=body, report=report) == (
        f"Ihre Meldung #{report.pk} vom 10.03.2026 (Schlagloch, Markt 1) ist bis 12.03.2026 erledigt. {{unbekannt}}")


def test_status_change_with_answer_template(client, office, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(office.staff_a)
    report = office.r.new_north
    template = AnswerTemplate.objects.create(title="Erledigt", status="resolved", category=office.pothole,
                                             body="Die Stelle {adresse} ({kategorie}) wurde am {heute} repariert.")
    AnswerTemplate.objects.create(title="Nur Bäume", category=office.tree, body="x")
    url = f"/sachbearbeitung/meldungen/{report.pk}/"
    html = page(client, url)
    assert f'<option value="{template.pk}">Erledigt</option>' in html and "Nur Bäume" not in html
    assert "Die Stelle Markt 1 (Schlagloch) wurde am 10.03.2026 repariert." in html  # JSON for the script

    # Without JavaScript: "Vorlage einfügen" fills the note and preselects the status, saves nothing.
    response = client.post(url + "status/", {"status-status": "in_progress", "status-template": template.pk,
                                             "apply_template": "1"})
    assert response.status_code == 200
    filled = response.content.decode()
    assert "Die Stelle Markt 1 (Schlagloch) wurde am 10.03.2026 repariert.</textarea>" in filled
    assert '<option value="resolved" selected>' in filled
    assert Report.objects.get(pk=report.pk).status == "submitted"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "status/", {
            "status-status": "resolved", "status-template": template.pk,
            "status-note_public": "Die Stelle Markt 1 (Schlagloch) wurde am 10.03.2026 repariert.",
            "status-note_internal": "Kolonne 1, 20 Minuten"})
    assert response.status_code == 302 and response["Location"] == url
    change = StatusChange.objects.get(report=report, kind="status")
    assert (change.from_status, change.to_status, change.note_internal, change.actor) == (
        "submitted", "resolved", "Kolonne 1, 20 Minuten", office.staff_a)
    assert [m.to for m in mailoutbox] == [["erika@example.org"]]
    assert "Die Stelle Markt 1 (Schlagloch) wurde am 10.03.2026 repariert." in mailoutbox[0].body
    assert "Kolonne 1, 20 Minuten" not in mailoutbox[0].body
    assert "Der Status wurde geändert." in page(client, url)


def test_illegal_transition_is_409_listing_the_allowed_statuses(client, office):
    client.force_login(office.staff_a)
    report = office.r.resolved
    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/status/", {"status-status": "in_progress"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert ("Der Statuswechsel von „erledigt“ nach „in Bearbeitung“ ist nicht erlaubt. Möglich: „offen“."
            in html.replace("&bdquo;", "„").replace("&ldquo;", "“"))
    assert Report.objects.get(pk=report.pk).status == "resolved" and not StatusChange.objects.exists()
    response = client.post(f"/sachbearbeitung/meldungen/{office.r.light_north.pk}/annehmen/", {})
    assert response.status_code == 409


def test_invalid_action_shows_an_error_summary_with_links(client, office):
    client.force_login(office.staff_a)
    report = office.r.new_north
    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/weiterleiten/",
                           {"reroute-category": "laterne", "reroute-reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="error-summary" id="error-summary" role="alert" tabindex="-1"' in html
    assert '<a href="#id_reroute-reason">Begründung: Bitte begründen Sie die Weiterleitung.</a>' in html
    assert 'aria-invalid="true"' in html
    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/dublette/",
                           {"duplicate-original": office.r.tree.pk})
    assert response.status_code == 400
    assert f"Meldung #{office.r.tree.pk} gibt es in Ihren Fachbereichen nicht." in response.content.decode()
    assert not StatusChange.objects.exists()


def test_accept_duplicate_refer_assign_through_the_pages(client, office, django_capture_on_commit_callbacks):
    client.force_login(office.staff_a)
    r = office.r
    base = "/sachbearbeitung/meldungen/{}/"
    assert client.post(base.format(r.new_north.pk) + "annehmen/", {"accept-note_public": "Danke"}).status_code == 302
    assert Report.objects.get(pk=r.new_north.pk).status == "open"
    assert client.post(base.format(r.new_north.pk) + "zuweisen/", {"assign-crew": office.k2.pk}).status_code == 302
    assert Report.objects.get(pk=r.new_north.pk).crew_id == office.k2.pk
    assert client.post(base.format(r.new_north.pk) + "zuweisung-aufheben/").status_code == 302
    assert Report.objects.get(pk=r.new_north.pk).crew_id is None
    response = client.post(base.format(r.light_north.pk) + "dublette/", {"duplicate-original": r.new_north.pk})
    assert response.status_code == 302
    assert Report.objects.get(pk=r.light_north.pk).duplicate_of_id == r.new_north.pk
    response = client.post(base.format(r.overdue_south.pk) + "abgeben/", {"refer-authority": "Landratsamt Greiz"})
    assert response.status_code == 302
    assert Report.objects.get(pk=r.overdue_south.pk).status == "referred"
    response = client.post(base.format(r.overdue_south.pk) + "abgeben/", {"refer-authority": ""})
    assert response.status_code == 400


def test_reroute_through_the_page_requires_a_reason_and_notifies(client, office, django_capture_on_commit_callbacks):
    client.force_login(office.staff_a)
    report = office.r.new_north
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/weiterleiten/",
                               {"reroute-category": "baum", "reroute-reason": "Ist ein Baumschaden"})
    # The report now belongs to another department: anna goes back to her queue, not to a 404.
    assert (response.status_code, response["Location"]) == (302, "/sachbearbeitung/meldungen/")
    report.refresh_from_db()
    assert (report.category.slug, report.department.slug) == ("baum", "gruen")
    assert Notification.objects.filter(event="report.rerouted", recipient="gruen@stadt.example").count() == 1
    html = page(client, "/sachbearbeitung/meldungen/")
    assert (f"Die Meldung #{report.pk} wurde an „Grünflächenamt“ weitergeleitet und liegt nicht mehr in Ihren "
            "Fachbereichen.") in html
    assert client.get(f"/sachbearbeitung/meldungen/{report.pk}/").status_code == 404


# --- moderation and blurring --------------------------------------------------------------------

def _photo(report) -> ReportPhoto:
    # A sharp pattern: blurring must change it.
    img = Image.new("RGB", (200, 100), (255, 255, 255))
    for x in range(0, 200, 4):
        for y in range(100):
            img.putpixel((x, y), (0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    data = buf.getvalue()
    photo = ReportPhoto(report=report, content_type="image/jpeg", original_bytes=len(data), width=200, height=100)
    photo.original.save("original", ContentFile(data), save=False)
    photo.save()
    photo_process(photo=photo)
    return photo


def _read(field_file) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as fh:
        return fh.read()


def test_blur_changes_the_public_image_but_not_the_original(client, office):
    client.force_login(office.staff_a)
    report = office.r.new_north
    photo = _photo(report)
    original, public, thumb = _read(photo.original), _read(photo.image), _read(photo.thumbnail)

    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/fotos/{photo.pk}/verpixeln/",
                           {f"blur-{photo.pk}-left": "10", f"blur-{photo.pk}-top": "20",
                            f"blur-{photo.pk}-right": "60", f"blur-{photo.pk}-bottom": "80"})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert _read(photo.original) == original
    assert _read(photo.image) != public and _read(photo.thumbnail) != thumb
    blurred = Image.open(io.BytesIO(_read(photo.image))).convert("L")
    # Outside the box the stripes stay sharp, inside they are grey.
    assert blurred.getpixel((4, 50)) < 60 and 60 < blurred.getpixel((80, 50)) < 200
    assert StatusChange.objects.get(kind="moderation").details == {"blurred": {str(photo.pk): [0.1, 0.2, 0.6, 0.8]}}
    # Staff can still open the untouched original; the response is not cacheable.
    response = client.get(f"/sachbearbeitung/fotos/{photo.pk}/original/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == original
    assert response["Cache-Control"] == "private, no-store" and response["Content-Type"] == "image/jpeg"

    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/fotos/{photo.pk}/verpixeln/",
                           {f"blur-{photo.pk}-whole": "on"})
    assert response.status_code == 302
    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/fotos/{photo.pk}/verpixeln/",
                           {f"blur-{photo.pk}-left": "50", f"blur-{photo.pk}-top": "0",
                            f"blur-{photo.pk}-right": "40", f"blur-{photo.pk}-bottom": "10"})
    assert response.status_code == 400
    assert "Links muss kleiner als rechts und oben kleiner als unten sein." in response.content.decode()


def test_moderation_edits_public_text_hides_and_rejects_photos(client, office):
    client.force_login(office.staff_a)
    report = office.r.new_north
    photo = _photo(report)
    response = client.post(f"/sachbearbeitung/meldungen/{report.pk}/moderieren/", {
        "moderation-moderation": "approved", "moderation-public_description": "Loch vor Haus 3",
        f"moderation-photo_{photo.pk}": "rejected"})
    assert response.status_code == 302
    report.refresh_from_db()
    photo.refresh_from_db()
    assert (report.moderation, report.public_description, photo.moderation) == ("approved", "Loch vor Haus 3",
                                                                                "rejected")
    details = StatusChange.objects.get(kind="moderation").details
    assert details["description_original"] == "Loch vor Haus 3, Auto von Herrn X beschädigt"
    # The original text stays visible to staff in the history, never publicly.
    assert "Auto von Herrn X" in page(client, f"/sachbearbeitung/meldungen/{report.pk}/")
    assert "Auto von Herrn X" not in Client().get(f"/meldungen/{report.pk}/").content.decode()
    client.post(f"/sachbearbeitung/meldungen/{report.pk}/moderieren/", {
        "moderation-moderation": "hidden", "moderation-public_description": "Loch vor Haus 3"})
    assert Report.objects.get(pk=report.pk).moderation == "hidden"
    assert Client().get(f"/meldungen/{report.pk}/").status_code == 404
