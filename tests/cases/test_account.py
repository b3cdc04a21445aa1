"""Cases in the citizen account: the section "Meine Anliegen und Anträge" lists only the
owner's cases (no canary of another citizen's case), the department's documents download for
the owner only, the email switch per case stops the citizen's mails of that case only, and
the export (DSGVO Art. 15) and erasure (Art. 17) hooks."""
import json

import pytest
from django.contrib.auth import get_user_model

from cases import services
from cases.account import case_list_for_account
from cases.models import Case, CaseEvent, CaseMessage
from notifications.models import Notification
from portal import hooks
from portal.catalogue import Service, TrustLevel
from portal.lebenslagen import UMWELT
from tests.accounts.conftest import citizen_login

from .conftest import PDF, upload

pytestmark = pytest.mark.django_db
User = get_user_model()
CANARY = "Kanarienvogel-Geheimnis-4711"


def catalogue_entry():
    return Service(slug="testdienst", title="Testdienst beantragen", short_description="-", audience="-",
                   trust_level=TrustLevel.BASISREGISTRIERUNG, fees="-", processing_time="-",
                   url_name="service-catalogue", lebenslagen=(UMWELT,))



@pytest.fixture
def cases(make_case, org, erika, otto):
    """Erika's two cases (one with a department's PDF and an unread message), Otto's canary case."""
    older = make_case(owner=erika, title="Älterer Antrag")
    mine = make_case(owner=erika, title="Mein Antrag")
    services.case_message_add(case=mine, body="Ihre Bescheinigung", direction="to_citizen", author=org.anna,
                              attachments=[upload("bescheinigung.pdf", PDF)])
    services.case_message_add(case=mine, body="Noch eine Frage", direction="to_citizen", author=org.anna)
    theirs = make_case(owner=otto, title=CANARY, contact_name=CANARY, contact_email="otto@example.org")
    services.case_message_add(case=theirs, body=CANARY, direction="to_citizen", author=org.anna,
                              attachments=[upload("otto-bescheid.pdf", PDF)])
    return mine, older, theirs


def test_account_lists_my_cases_with_status_unread_messages_and_documents(client, erika, cases):
    mine, older, theirs = cases
    citizen_login(client, erika)
    with hooks.register_temporarily("register_service", catalogue_entry):
        response = client.get("/konto/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2 id=\"account-section-1\">Meine Anliegen und Anträge</h2>" in html
    assert html.index(mine.reference) < html.index(older.reference)  # newest first
    assert f'<a href="/vorgang/{mine.tracking_token}/">{mine.reference}</a>: Mein Antrag' in html
    assert "<dt>Leistung</dt><dd>Testdienst beantragen</dd>" in html
    assert "<dt>Status</dt><dd><strong>Eingegangen</strong></dd>" in html
    assert "<strong>2 ungelesene Nachrichten</strong>" in html
    document = mine.attachments.get()
    assert (f'<a href="/konto/vorgaenge/{mine.reference}/dateien/{document.pk}/" download>bescheinigung.pdf</a>'
            in html)
    assert f'action="/konto/vorgaenge/{mine.reference}/benachrichtigungen/"' in html
    assert CANARY not in html and theirs.reference not in html and "otto-bescheid.pdf" not in html
    assert theirs.tracking_token not in html


def test_opening_the_case_page_reads_the_messages(client, erika, cases):
    mine, _older, _theirs = cases
    citizen_login(client, erika)
    assert client.get(f"/vorgang/{mine.tracking_token}/").status_code == 200
    html = client.get("/konto/").content.decode()
    assert "ungelesene Nachricht" not in html
    # Replying from there works as on any tracking page.
    response = client.post(f"/vorgang/{mine.tracking_token}/", {"body": "Danke!"})
    assert response.status_code == 303
    assert mine.messages.filter(direction="from_citizen", body="Danke!").count() == 1


def test_account_list_takes_three_queries(erika, cases, django_assert_num_queries):
    with django_assert_num_queries(3):
        listed = case_list_for_account(user=erika)
        assert [c.unread_messages for c in listed] == [2, 0]
        assert [[d.original_name for d in c.documents] for c in listed] == [["bescheinigung.pdf"], []]


def test_no_cases_says_so(client, erika):
    citizen_login(client, erika)
    html = client.get("/konto/").content.decode()
    assert "Sie haben noch keine Anliegen oder Anträge mit diesem Konto gestellt." in html


def test_documents_download_for_the_owner_only(client, erika, otto, cases, org):
    mine, _older, theirs = cases
    document = mine.attachments.get()
    url = f"/konto/vorgaenge/{mine.reference}/dateien/{document.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login
    citizen_login(client, erika)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bescheinigung.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    # Another case's number in the URL, or Otto's file under my case: 404.
    otto_file = theirs.attachments.get()
    assert client.get(f"/konto/vorgaenge/{mine.reference}/dateien/{otto_file.pk}/").status_code == 404
    assert client.get(f"/konto/vorgaenge/{theirs.reference}/dateien/{otto_file.pk}/").status_code == 404
    citizen_login(client, otto)
    response = client.get(url)
    assert response.status_code == 404
    assert "Vorgang nicht gefunden" in response.content.decode()
    citizen_login(client, org.anna, level="hoch")  # a clerk's session is no citizen login
    assert client.get(url).status_code == 302


def _citizen_mails(case) -> int:
    return Notification.objects.filter(object_id=str(case.pk), event__in=[
        "case.message_to_citizen", "case.status_to_citizen"]).count()


def test_switching_emails_off_stops_the_citizen_mails_of_that_case_only(client, erika, cases, org):
    mine, older, _theirs = cases
    citizen_login(client, erika)
    before = _citizen_mails(mine)
    assert before == 2  # the two messages
    response = client.post(f"/konto/vorgaenge/{mine.reference}/benachrichtigungen/", {"notify": "0"})
    assert response.status_code == 303
    assert response["Location"] == f"/konto/#vorgang-{mine.reference}"
    assert Case.objects.get(pk=mine.pk).notify_citizen is False
    assert Case.objects.get(pk=older.pk).notify_citizen is True
    html = client.get(response["Location"]).content.decode()
    assert f"Sie erhalten keine E-Mails mehr zu Ihrem Vorgang {mine.reference}." in html
    assert "E-Mail-Benachrichtigungen: aus" in html and 'name="notify" value="1"' in html

    services.case_message_add(case=mine, body="Noch etwas", direction="to_citizen", author=org.anna)
    services.case_status_change(case=mine, status="in_progress", actor=org.anna, note_public="Wir prüfen.")
    assert _citizen_mails(mine) == before
    # The department's mails do not depend on it.
    services.case_message_add(case=mine, body="Antwort", direction="from_citizen")
    assert Notification.objects.filter(object_id=str(mine.pk), event="case.message_from_citizen").count() == 1
    # The otto case still mails.
    services.case_message_add(case=older, body="Hallo", direction="to_citizen", author=org.anna)
    services.case_status_change(case=older, status="in_progress", actor=org.anna)
    assert _citizen_mails(older) == 2

    response = client.post(f"/konto/vorgaenge/{mine.reference}/benachrichtigungen/", {"notify": "1"})
    assert response.status_code == 303
    services.case_status_change(case=mine, status="done", actor=org.anna)
    assert _citizen_mails(mine) == before + 1


def test_status_mail_only_when_the_citizens_status_changes(make_case, org):
    case = make_case()
    services.case_status_change(case=case, status="in_progress", actor=org.anna)
    services.case_status_change(case=case, status="waiting", actor=org.anna)  # reads "In Bearbeitung" too
    mails = Notification.objects.filter(event="case.status_to_citizen")
    assert [(m.recipient, m.subject) for m in mails] == [
        ("erika@example.org", f"Ihr Vorgang {case.reference}: In Bearbeitung")]
    assert f"/vorgang/{case.tracking_token}/" in mails[0].body
    services.case_status_change(case=case, status="in_progress", actor=org.anna, note_public="Rückfrage geklärt")
    assert Notification.objects.filter(event="case.status_to_citizen").count() == 2


def test_email_switch_refuses_bad_input_and_other_peoples_cases(client, erika, otto, cases):
    mine, _older, theirs = cases
    citizen_login(client, erika)
    url = f"/konto/vorgaenge/{mine.reference}/benachrichtigungen/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"notify": "vielleicht"})
    assert response.status_code == 400
    assert "Bitte wählen Sie, ob Sie E-Mails erhalten möchten." in response.content.decode()
    response = client.post(f"/konto/vorgaenge/{theirs.reference}/benachrichtigungen/", {"notify": "0"})
    assert response.status_code == 404
    assert client.post("/konto/vorgaenge/XX-0000-000000/benachrichtigungen/", {"notify": "0"}).status_code == 404
    assert Case.objects.filter(notify_citizen=False).count() == 0
    client.logout()
    response = client.post(url, {"notify": "0"})
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")


def test_tracking_page_offers_the_same_switch(client, make_case):
    case = make_case()
    url = f"/vorgang/{case.tracking_token}/"
    html = client.get(url).content.decode()
    assert f'action="/vorgang/{case.tracking_token}/benachrichtigungen/"' in html
    response = client.post(f"{url}benachrichtigungen/", {"notify": "0"})
    assert response.status_code == 303
    assert response["Location"] == f"{url}#benachrichtigungen"
    assert Case.objects.get(pk=case.pk).notify_citizen is False
    assert "Sie erhalten keine E-Mails mehr zu diesem Vorgang." in client.get(url).content.decode()
    assert client.post("/vorgang/unbekannt/benachrichtigungen/", {"notify": "0"}).status_code == 404
    assert client.post(f"{url}benachrichtigungen/", {}).status_code == 400


def test_export_contains_my_cases_without_internal_data(client, erika, cases, org):
    mine, older, _theirs = cases
    services.case_note_add(case=mine, note="Intern: Akte prüfen", actor=org.anna)
    services.case_status_change(case=mine, status="in_progress", actor=org.anna, note_public="Wir prüfen.",
                                note_internal="Nur intern")
    citizen_login(client, erika)
    response = client.get("/konto/daten.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [c["reference"] for c in data["vorgaenge"]] == [mine.reference, older.reference]
    exported = data["vorgaenge"][0]
    assert exported["contact"] == {"name": "Erika Muster", "email": "erika@example.org", "phone": ""}
    assert exported["form_data"] == {"geburtsdatum": "1970-01-01"}
    assert exported["status"] == "In Bearbeitung"
    assert [(h["status"], h["note"]) for h in exported["history"]] == [("Eingegangen", ""),
                                                                       ("In Bearbeitung", "Wir prüfen.")]
    assert [(m["direction"], m["body"], m["files"]) for m in exported["messages"]] == [
        ("to_citizen", "Ihre Bescheinigung", ["bescheinigung.pdf"]), ("to_citizen", "Noch eine Frage", [])]
    assert [f["name"] for f in exported["files"]] == ["bescheinigung.pdf"]
    text = response.content.decode()
    assert "Intern: Akte prüfen" not in text and "Nur intern" not in text and "anna" not in text
    assert CANARY not in text


def test_erase_anonymises_my_cases_and_keeps_them(client, erika, cases, org):
    mine, older, theirs = cases
    versions = dict(Case.objects.values_list("pk", "version"))
    citizen_login(client, erika)
    response = client.post("/konto/loeschen/", {"confirm": "on"})
    assert response.status_code == 200
    assert not User.objects.filter(pk=erika.pk).exists()
    for case in (mine, older):
        stored = Case.objects.get(pk=case.pk)
        assert (stored.owner_id, stored.contact_name, stored.contact_email, stored.contact_phone) == (None, "", "", "")
        assert stored.data == {"geburtsdatum": "1970-01-01"}  # the department's file (see docs/cases.md)
        assert stored.version == versions[case.pk] + 1
        assert CaseEvent.objects.filter(case=case, kind="note",
                                        note_internal__startswith="Das Bürgerkonto wurde gelöscht").count() == 1
    assert CaseMessage.objects.filter(case=mine).count() == 2 and mine.attachments.count() == 1
    untouched = Case.objects.get(pk=theirs.pk)
    assert (untouched.owner_id, untouched.contact_name) == (theirs.owner_id, CANARY)
    # The department still works the case; nobody is emailed any more.
    services.case_message_add(case=mine, body="Hallo?", direction="to_citizen", author=org.anna)
    assert Notification.objects.filter(object_id=str(mine.pk), event="case.message_to_citizen").count() == 2
