"""Reports in the citizen account: filing while logged in records the report (form and API,
one INSERT, only for citizens), opening the tracking link while logged in claims it (once;
anonymous visitors and staff do not), "Meine Meldungen" on /konto/ lists only my reports with
what the tracking link shows, the status-email switch per report, export and erasure."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from reporter import services
from reporter.models import Report, ReportOwnership, StatusChange
from tests.accounts.conftest import citizen_login
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db
KEY = "k" * 32
CANARY = "Kanarienvogel-Meldung-0815"



def send_form(client, **data):
    return client.post("/melden/", {"step": "senden", "category": "schlagloch", "lon": "12.05", "lat": "50.875",
                                    "submission_key": KEY, "description": "Tiefes Loch",
                                    "email": "erika@example.org", **data})


def test_filing_with_the_form_while_logged_in_records_the_report(client, city, erika):
    citizen_login(client, erika)
    response = send_form(client)
    report = Report.objects.get()
    assert response.status_code == 302
    assert list(ReportOwnership.objects.values_list("report_id", "user_id", "how")) == [
        (report.pk, erika.pk, "filed")]
    assert send_form(client).status_code == 302  # re-sent: the same report, still one link
    assert ReportOwnership.objects.count() == 1


def test_filing_anonymously_or_as_staff_records_nothing(client, city):
    assert send_form(client).status_code == 302
    staff = UserFactory(username="clerk", is_staff=True)
    citizen_login(client, staff, level="hoch")
    assert send_form(client, submission_key="s" * 32).status_code == 302
    client.logout()
    client.force_login(UserFactory(username="no-citizen-session"))  # a login without the citizen level
    assert send_form(client, submission_key="n" * 32).status_code == 302
    assert Report.objects.count() == 3
    assert ReportOwnership.objects.count() == 0


def _ownership_sql(queries) -> list[str]:
    return [q["sql"] for q in queries if "reporter_reportownership" in q["sql"]]


def test_api_create_adds_one_insert_for_a_logged_in_citizen_only(client, city, erika):
    payload = {"category": "schlagloch", "lon": 12.05, "lat": 50.875, "description": "Loch"}
    with CaptureQueriesContext(connection) as anonymous:
        assert client.post("/api/v1/reports/", payload, content_type="application/json").status_code == 201
    assert _ownership_sql(anonymous.captured_queries) == []
    citizen_login(client, erika)
    with CaptureQueriesContext(connection) as logged_in:
        response = client.post("/api/v1/reports/", payload, content_type="application/json")
    assert response.status_code == 201
    [insert] = _ownership_sql(logged_in.captured_queries)
    assert insert.startswith('INSERT INTO "reporter_reportownership"')
    assert len(logged_in.captured_queries) == len(anonymous.captured_queries) + 1 + _session_queries(logged_in)
    assert ReportOwnership.objects.get().report_id == response.json()["id"]


def _session_queries(captured) -> int:
    """The logged-in request also reads its session and user (not the report's cost)."""
    return sum(1 for q in captured.captured_queries if '"django_session"' in q["sql"] or '"auth_user"' in q["sql"])


def test_public_list_never_touches_the_ownerships(client, city, erika):
    ReportOwnership.objects.create(report=ReportFactory(category=city.category), user=erika, how="filed")
    citizen_login(client, erika)
    with CaptureQueriesContext(connection) as listing:
        assert client.get("/api/v1/reports/").status_code == 200
    assert _ownership_sql(listing.captured_queries) == []


def test_opening_the_tracking_link_logged_in_claims_the_report_once(client, city, erika):
    report = ReportFactory(category=city.category)
    url = f"/verfolgen/{report.tracking_token}/"
    assert client.get(url).status_code == 200  # anonymous: nothing
    assert ReportOwnership.objects.count() == 0
    citizen_login(client, erika)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert list(ReportOwnership.objects.values_list("report_id", "user_id", "how")) == [
        (report.pk, erika.pk, "claimed")]
    assert client.get("/verfolgen/unbekannt/").status_code == 404
    assert ReportOwnership.objects.count() == 1


def test_a_filed_report_stays_filed_and_staff_claim_nothing(client, city, erika):
    report = ReportFactory(category=city.category)
    ReportOwnership.objects.create(report=report, user=erika, how="filed")
    citizen_login(client, erika)
    client.get(f"/verfolgen/{report.tracking_token}/")
    assert ReportOwnership.objects.get().how == "filed"
    citizen_login(client, UserFactory(username="clerk", is_staff=True), level="hoch")
    assert client.get(f"/verfolgen/{report.tracking_token}/").status_code == 200
    assert ReportOwnership.objects.count() == 1


@pytest.fixture
def reports(city, erika, otto):
    mine = ReportFactory(category=city.category, reporter_email="erika@example.org", reporter_name="Erika M.")
    claimed = ReportFactory(category=city.category, reporter_email="jemand@example.org",
                            description="gefunden")
    theirs = ReportFactory(category=city.category, reporter_email="otto@example.org", reporter_name=CANARY,
                           description=CANARY)
    ReportOwnership.objects.create(report=mine, user=erika, how="filed")
    ReportOwnership.objects.create(report=claimed, user=erika, how="claimed")
    ReportOwnership.objects.create(report=theirs, user=otto, how="filed")
    return mine, claimed, theirs


def test_account_lists_my_reports_only_with_what_the_tracking_link_shows(client, erika, reports):
    mine, claimed, theirs = reports
    citizen_login(client, erika)
    html = client.get("/konto/").content.decode()
    assert "Meine Meldungen</h2>" in html
    assert html.index(f"Meldung #{claimed.pk}") < html.index(f"Meldung #{mine.pk}")  # newest link first
    assert f'<a href="/verfolgen/{mine.tracking_token}/">Meldung #{mine.pk}: Schlagloch</a>' in html
    assert "<dt>Status</dt><dd><strong>eingegangen</strong></dd>" in html
    assert f'action="/konto/meldungen/{mine.pk}/benachrichtigungen/"' in html
    assert theirs.tracking_token not in html and f"Meldung #{theirs.pk}" not in html and CANARY not in html
    # Contact data and the original text are not shown, not even my own.
    assert "erika@example.org" not in html and "jemand@example.org" not in html and "gefunden" not in html


def _reporter_mails(report) -> int:
    return Notification.objects.filter(object_id=str(report.pk), event="report.status.reporter").count()


def test_switching_status_emails_off_for_one_report(client, erika, reports):
    mine, claimed, theirs = reports
    citizen_login(client, erika)
    response = client.post(f"/konto/meldungen/{mine.pk}/benachrichtigungen/", {"notify": "0"})
    assert response.status_code == 303
    assert response["Location"] == f"/konto/#meldung-{mine.pk}"
    assert list(Report.objects.filter(notify_reporter=False).values_list("pk", flat=True)) == [mine.pk]
    assert f"Sie erhalten keine E-Mails mehr zu Ihrer Meldung #{mine.pk}." in client.get("/konto/").content.decode()
    version = Report.objects.get(pk=mine.pk).version
    assert version == mine.version  # a preference, not a change of the report
    services.report_follow(report=mine, email="nachbar@example.org")
    services.report_status_change(report=mine, to_status="open", note_public="Angesehen")
    services.report_status_change(report=claimed, to_status="open")
    assert _reporter_mails(mine) == 0 and _reporter_mails(claimed) == 1
    assert Notification.objects.filter(object_id=str(mine.pk), event="report.status.follower").count() == 1
    response = client.post(f"/konto/meldungen/{mine.pk}/benachrichtigungen/", {"notify": "1"})
    assert response.status_code == 303
    services.report_status_change(report=mine, to_status="in_progress")
    assert _reporter_mails(mine) == 1


def test_status_email_switch_refuses_other_reports_and_bad_input(client, erika, reports):
    mine, _claimed, theirs = reports
    citizen_login(client, erika)
    response = client.post(f"/konto/meldungen/{theirs.pk}/benachrichtigungen/", {"notify": "0"})
    assert response.status_code == 404
    assert client.post("/konto/meldungen/999999/benachrichtigungen/", {"notify": "0"}).status_code == 404
    response = client.post(f"/konto/meldungen/{mine.pk}/benachrichtigungen/", {"notify": ""})
    assert response.status_code == 400
    assert "Bitte wählen Sie, ob Sie E-Mails erhalten möchten." in response.content.decode()
    assert client.get(f"/konto/meldungen/{mine.pk}/benachrichtigungen/").status_code == 405
    assert not Report.objects.filter(notify_reporter=False).exists()
    client.logout()
    assert client.post(f"/konto/meldungen/{mine.pk}/benachrichtigungen/", {"notify": "0"}).status_code == 302


def test_export_contains_my_reports(client, erika, reports):
    mine, claimed, _theirs = reports
    citizen_login(client, erika)
    data = json.loads(client.get("/konto/daten.json").content)
    assert [r["number"] for r in data["meldungen"]] == [mine.pk, claimed.pk]
    filed, found = data["meldungen"]
    assert filed["contact"] == {"name": "Erika M.", "email": "erika@example.org", "phone": ""}
    assert filed["description"] == "Schlagloch vor dem Haus"
    assert (filed["category"], filed["status"], filed["in_account"]) == ("Schlagloch", "eingegangen", "gemeldet")
    assert filed["tracking_url"].endswith(f"/verfolgen/{mine.tracking_token}/")
    assert "contact" not in found and "description" not in found  # claimed: what the link shows only
    assert CANARY not in json.dumps(data)


def test_erase_removes_the_links_and_my_contact_data(client, erika, reports):
    mine, claimed, theirs = reports
    also_mine = ReportFactory(category=mine.category, reporter_email="ERIKA@example.org", reporter_phone="0365 1")
    ReportOwnership.objects.create(report=also_mine, user=erika, how="claimed")
    citizen_login(client, erika)
    assert client.post("/konto/loeschen/", {"confirm": "on"}).status_code == 200
    assert list(ReportOwnership.objects.values_list("report_id", flat=True)) == [theirs.pk]
    contacts = dict(Report.objects.values_list("pk", "reporter_email"))
    assert contacts == {mine.pk: "", also_mine.pk: "", claimed.pk: "jemand@example.org",
                        theirs.pk: "otto@example.org"}
    assert Report.objects.get(pk=mine.pk).reporter_name == ""
    assert Report.objects.get(pk=also_mine.pk).reporter_phone == ""
    assert Report.objects.get(pk=mine.pk).description == "Schlagloch vor dem Haus"  # the report stays
    assert set(StatusChange.objects.filter(kind="anonymised").values_list("report_id", flat=True)) == {
        mine.pk, also_mine.pk}


def test_the_device_list_points_to_the_account(client):
    """"Meine Meldungen" (kept in the browser) tells where the account keeps them on every device."""
    html = client.get("/meine-meldungen/").content.decode()
    assert 'unter <a href="/konto/">Mein Konto</a>' in html
    english = client.get("/meine-meldungen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'under <a href="/konto/">My account</a>' in english
