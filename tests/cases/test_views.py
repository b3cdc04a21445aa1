"""HTTP: the citizen's tracking page (no JavaScript needed, PRG, 404 for unknown tokens, no
internal note) and the clerks' case list and work screen (department scoping, actions)."""
import re

import pytest

from cases import services
from cases.models import CaseAttachment, CaseMessage
from notifications.models import Notification

from .conftest import PDF, PDF_JS, upload

INTERNAL_CANARY = "KANARIE-intern-4711"


def test_tracking_page_shows_status_public_notes_and_messages(client, make_case, org):
    case = make_case()
    services.case_status_change(case=case, status="in_progress", actor=org.anna, note_public="Wir prüfen das.",
                                note_internal=INTERNAL_CANARY)
    services.case_note_add(case=case, note=INTERNAL_CANARY, actor=org.anna)
    services.case_department_add(case=case, department=org.parks, actor=org.anna, note=INTERNAL_CANARY)
    services.case_message_add(case=case, body="Haben Sie ein Foto?", direction="to_citizen", author=org.anna,
                              attachments=[upload("bescheid.pdf", PDF)])
    response = client.get(f"/vorgang/{case.tracking_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert "In Bearbeitung" in html
    assert "Wir prüfen das." in html
    assert "Haben Sie ein Foto?" in html
    assert INTERNAL_CANARY not in html
    assert "anna" not in html  # clerks' names stay internal
    assert response["Referrer-Policy"] == "same-origin"
    link = re.search(r'href="(/vorgang/[^"]+/dateien/\d+/)"', html).group(1)
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_unknown_token_is_404(client, db):
    response = client.get("/vorgang/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Vorgang nicht gefunden" in response.content.decode()


def test_reply_without_javascript_redirects_and_notifies(client, make_case):
    case = make_case()
    url = f"/vorgang/{case.tracking_token}/"
    response = client.post(url, {"body": "Hier das Foto.", "attachments": [upload("foto.pdf", PDF)]})
    assert response.status_code == 303
    assert response["Location"] == url + "#nachrichten"
    message = CaseMessage.objects.get()
    assert (message.direction, message.body) == ("from_citizen", "Hier das Foto.")
    assert message.attachments.get().original_name == "foto.pdf"
    assert Notification.objects.filter(event="case.message_from_citizen", recipient="tiefbau@stadt.example").exists()
    page = client.get(url)
    assert "Ihre Nachricht wurde gesendet." in page.content.decode()


def test_reply_with_bad_attachment_shows_the_error_and_keeps_the_text(client, make_case):
    case = make_case()
    response = client.post(f"/vorgang/{case.tracking_token}/",
                           {"body": "Mein Text", "attachments": [upload("x.pdf", PDF_JS)]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "PDF-Dateien mit JavaScript oder automatischen Aktionen sind nicht erlaubt." in html
    assert "Mein Text" in html
    assert CaseMessage.objects.count() == 0 and CaseAttachment.objects.count() == 0


def test_reply_in_english(client, make_case):
    case = make_case()
    client.cookies["django_language"] = "en"
    response = client.post(f"/vorgang/{case.tracking_token}/", {"body": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Please write a message." in response.content.decode()


def test_staff_list_shows_only_the_clerks_departments(client, make_case, org):
    mine = make_case(title="Tiefbau-Fall")
    theirs = make_case(department=org.parks, title="Grün-Fall")
    shared = make_case(department=org.parks, title="Geteilter Fall", participants=[org.roads])
    client.force_login(org.anna)
    response = client.get("/sachbearbeitung/vorgaenge/", follow=True)  # the inbox, filtered to cases
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.reference in html and shared.reference in html
    assert theirs.reference not in html
    assert client.get(f"/sachbearbeitung/vorgaenge/{theirs.pk}/").status_code == 404
    assert client.post(f"/sachbearbeitung/vorgaenge/{theirs.pk}/notiz/", {"note": "x"}).status_code == 404
    assert client.get(f"/sachbearbeitung/vorgaenge/{shared.pk}/").status_code == 200


def test_staff_list_tabs_and_search(client, make_case, org, time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/Berlin")), tick=False)
    old = make_case(title="Alter Fall", contact_name="Gerd Grün")
    time_machine.move_to(datetime(2026, 3, 20, 12, 0, tzinfo=ZoneInfo("Europe/Berlin")), tick=False)
    fresh = make_case(title="Neuer Fall")
    services.case_status_change(case=fresh, status="in_progress", actor=org.anna)
    closed = make_case(title="Zu")
    services.case_status_change(case=closed, status="rejected", actor=org.anna)
    client.force_login(org.anna)

    def refs(query):
        html = client.get("/sachbearbeitung/vorgaenge/" + query, follow=True).content.decode()
        return {ref for ref in (old.reference, fresh.reference, closed.reference) if ref in html}

    assert refs("?tab=new") == {old.reference}
    assert refs("?tab=open") == {old.reference, fresh.reference}
    assert refs("?tab=overdue") == {old.reference}
    assert refs("?tab=all") == {old.reference, fresh.reference, closed.reference}
    assert refs("?tab=all&suche=gerd") == {old.reference}
    assert refs(f"?tab=all&suche={fresh.reference.lower()}") == {fresh.reference}


def test_staff_list_queries_do_not_grow_with_cases(client, make_case, org, django_assert_max_num_queries):
    for _ in range(15):
        make_case()
    client.force_login(org.anna)
    with django_assert_max_num_queries(12):
        assert client.get("/sachbearbeitung/?art=vorgang&ansicht=alle").status_code == 200


def test_anonymous_is_sent_to_login(client, make_case):
    case = make_case()
    response = client.get(f"/sachbearbeitung/vorgaenge/{case.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sachbearbeitung/anmelden/")


def test_staff_actions(client, make_case, org):
    case = make_case()
    client.force_login(org.anna)
    base = f"/sachbearbeitung/vorgaenge/{case.pk}/"
    response = client.post(base + "status/", {"status": "in_progress", "note_public": "Läuft"})
    assert response.status_code == 303 and response["Location"] == base
    assert client.post(base + "status/", {"status": "new"}).status_code == 409
    response = client.post(base + "nachricht/", {"body": "Rückfrage", "attachments": [upload("a.pdf", PDF)]})
    assert response.status_code == 303
    assert Notification.objects.filter(event="case.message_to_citizen").count() == 1
    assert client.post(base + "notiz/", {"note": ""}).status_code == 400
    assert client.post(base + "notiz/", {"note": "intern"}).status_code == 303
    assert client.post(base + "beteiligen/", {"department": "gruen"}).status_code == 303
    assert client.post(base + "beteiligen/", {"department": "gruen"}).status_code == 409
    assert client.post(base + "zusammenfuehren/", {"original": "TD-1999-000001"}).status_code == 400
    assert client.post(base + "gibtsnicht/", {}).status_code == 404
    response = client.post(base + "weiterleiten/", {"department": "gruen", "reason": ""})
    assert response.status_code == 400
    assert "Bitte geben Sie einen Grund für die Weiterleitung an." in response.content.decode()
    response = client.post(base + "weiterleiten/", {"department": "gruen", "reason": "Zuständig"})
    assert response.status_code == 303
    assert response["Location"] == "/sachbearbeitung/vorgaenge/"  # the case left anna's departments
    case.refresh_from_db()
    assert case.department == org.parks


def test_merge_from_the_work_screen(client, make_case, org):
    case, original = make_case(), make_case()
    client.force_login(org.anna)
    response = client.post(f"/sachbearbeitung/vorgaenge/{case.pk}/zusammenfuehren/", {"original": original.reference})
    assert response.status_code == 303
    case.refresh_from_db()
    assert (case.status, case.merged_into_id) == ("merged", original.pk)


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_attachment_of_other_department_is_404(client, make_case, org, method):
    case = make_case(department=org.parks, attachments=[upload("a.pdf", PDF)])
    client.force_login(org.anna)
    pk = case.attachments.get().pk
    response = getattr(client, method)(f"/sachbearbeitung/vorgaenge/dateien/{pk}/")
    assert response.status_code == (404 if method == "get" else 405)


def test_staff_status_change_with_stale_version_is_409(client, make_case, org):
    case = make_case()
    client.force_login(org.anna)
    response = client.post(f"/sachbearbeitung/vorgaenge/{case.pk}/status/", {"status": "in_progress", "version": "7"})
    assert response.status_code == 409
    assert "Der Vorgang wurde inzwischen geändert." in response.content.decode()


def test_nul_character_in_a_reply_is_400_not_500(client, make_case):
    case = make_case()
    response = client.post(f"/vorgang/{case.tracking_token}/", {"body": "a\x00b"})
    assert response.status_code == 400


def test_back_office_navigation_lists_the_cases_in_the_inbox(client, org):
    client.force_login(org.anna)
    html = client.get("/sachbearbeitung/vorgaenge/", follow=True).content.decode()
    assert '<a href="/sachbearbeitung/" aria-current="page">Posteingang</a>' in html
    assert '<option value="vorgang" selected>Vorgänge</option>' in html


def test_admin_is_read_only_and_closed_to_clerks(client, make_case, org):
    from tests.factories import UserFactory

    case = make_case()
    client.force_login(org.anna)
    assert client.get("/admin/cases/case/").status_code == 403
    boss = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    client.force_login(boss)
    assert case.reference in client.get("/admin/cases/case/").content.decode()
    assert client.get("/admin/cases/case/add/").status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403


def test_reply_with_too_large_file_is_413(client, make_case, settings):
    settings.CASES = {**settings.CASES, "ATTACHMENT_MAX_BYTES": 50}
    case = make_case()
    response = client.post(f"/vorgang/{case.tracking_token}/", {"body": "Anbei", "attachments": [upload("a.pdf", PDF)]})
    assert response.status_code == 413
    assert "Die Datei ist zu groß" in response.content.decode()
    assert CaseMessage.objects.count() == 0


def test_odd_tokens_are_404(client, db):
    assert client.get("/vorgang/%C3%A4/").status_code == 404
    assert client.post("/vorgang/%C3%A4/", {"body": "x"}).status_code == 404


# A NUL byte is refused where input enters (config.middleware), before the case views.
@pytest.mark.parametrize("url", ["/vorgang/%00/", "/vorgang/a%00b/dateien/1/"])
def test_tokens_with_a_nul_byte_are_400(client, db, url):
    assert client.get(url).status_code == 400
    assert client.post(url.split("dateien")[0], {"body": "x"}).status_code == 400


@pytest.mark.parametrize("query", ["?suche=%00", "?fachbereich=%00&leistung=%00", "?tab=%00&seite=x"])
def test_odd_list_queries_are_400_never_500(client, org, query):
    client.force_login(org.anna)
    response = client.get("/sachbearbeitung/vorgaenge/" + query)
    assert response.status_code == 400
    assert "Steuerzeichen" in response.content.decode()


def test_odd_list_values_are_no_500(client, org):
    client.force_login(org.anna)
    response = client.get("/sachbearbeitung/vorgaenge/?tab=nix&seite=x&fachbereich=abc")
    assert (response.status_code, response["Location"]) == (302, "/sachbearbeitung/?art=vorgang&fachbereich=abc")
    response = client.get(response["Location"])
    assert response.status_code == 400 and '<a href="#id_fachbereich">Fachbereich:' in response.content.decode()


def test_odd_action_input_is_400(client, make_case, org):
    case = make_case()
    client.force_login(org.anna)
    base = f"/sachbearbeitung/vorgaenge/{case.pk}/"
    assert client.post(base + "zusammenfuehren/", {"original": "abc"}).status_code == 400
    assert client.post(base + "beteiligen/", {"department": "abc"}).status_code == 400
    assert client.post(base + "status/", {"status": "gibtsnicht"}).status_code == 409
    assert client.post(base + "status/", {"status": "\x00"}).status_code == 400  # refused where input enters


def test_messages_are_marked_read_when_the_recipient_opens_the_case(client, make_case, org):
    case = make_case()
    services.case_message_add(case=case, body="Frage", direction="to_citizen", author=org.anna)
    services.case_message_add_by_token(token=case.tracking_token, body="Antwort 1")
    services.case_message_add_by_token(token=case.tracking_token, body="Antwort 2")
    client.force_login(org.anna)
    assert "2 neue Nachrichten" in client.get("/sachbearbeitung/vorgaenge/", follow=True).content.decode()
    client.get(f"/sachbearbeitung/vorgaenge/{case.pk}/")
    assert CaseMessage.objects.filter(direction="from_citizen", read_at__isnull=True).count() == 0
    assert "neue Nachricht" not in client.get("/sachbearbeitung/vorgaenge/", follow=True).content.decode()
    assert CaseMessage.objects.get(direction="to_citizen").read_at is None
    client.get(f"/vorgang/{case.tracking_token}/")
    assert CaseMessage.objects.get(direction="to_citizen").read_at is not None


def test_work_screen_shows_history_with_labels_and_internal_notes(client, make_case, org):
    case = make_case()
    services.case_status_change(case=case, status="in_progress", actor=org.anna, note_internal=INTERNAL_CANARY)
    client.force_login(org.anna)
    html = client.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").content.decode()
    assert "Status geändert → In Bearbeitung (anna)" in html
    assert INTERNAL_CANARY in html
    assert "erika@example.org" in html
