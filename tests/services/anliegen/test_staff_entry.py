"""The clerks' entry of requests from other channels /sachbearbeitung/anliegen/neu/: staff only,
channel stored, routed by the same rules or to the department the clerk picks; wrong input
400 with the error summary and nothing written."""
import pytest

from cases.models import Case, CaseAttachment

from .conftest import PDF, citizen_login, upload

pytestmark = pytest.mark.django_db

URL = "/sachbearbeitung/anliegen/neu/"


def entry(**extra) -> dict:
    data = {"channel": "phone", "topic": "ordnung", "description": "Anruf: Hund bellt seit Tagen.",
            "contact_name": "Hans Huber", "contact_email": "", "contact_phone": "0365 999", "department": "",
            "submission_key": "staff-1"}
    data.update(extra)
    return data


def test_anonymous_is_sent_to_the_login_and_a_citizen_is_refused(client, org, citizen):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/sachbearbeitung/anmelden/?next={URL}")
    assert client.post(URL, entry()).status_code == 302
    citizen_login(client, citizen)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/sachbearbeitung/anmelden/")
    assert client.post(URL, entry()).status_code == 302
    assert Case.objects.count() == 0


def test_clerk_records_a_phone_call_routed_by_the_rules(client, org):
    client.force_login(org.otto)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Telefon (115)" in html and "Schalter" in html and "Brief" in html
    response = client.post(URL, entry(attachments=[upload("notiz.pdf", PDF)]))
    case = Case.objects.get()
    assert (response.status_code, response["Location"]) == (303, f"/sachbearbeitung/vorgaenge/{case.pk}/")
    assert (case.channel, case.department, case.contact_name, case.contact_phone) == (
        "phone", org.order, "Hans Huber", "0365 999")
    assert case.events.get().actor == org.otto
    assert CaseAttachment.objects.get().uploaded_by == "staff"
    assert client.post(URL, entry()).status_code == 303  # the same page sent twice: one case
    assert Case.objects.count() == 1


def test_a_request_for_another_department_returns_to_the_entry_page(client, org):
    client.force_login(org.otto)
    response = client.post(URL, entry(channel="letter", topic="verwaltung", submission_key="staff-2"))
    case = Case.objects.get()
    assert (response.status_code, response["Location"]) == (303, URL)
    assert (case.department, case.channel) == (org.triage, "letter")
    assert f"Das Anliegen wurde als Vorgang {case.reference} erfasst (Bürgerservice)." in client.get(
        URL).content.decode()


def test_clerk_picks_any_department(client, org):
    client.force_login(org.tina)
    response = client.post(URL, entry(channel="counter", department="gruen", submission_key="staff-3"))
    assert response.status_code == 303
    assert Case.objects.get().department == org.parks


@pytest.mark.parametrize(("change", "anchor", "message"), [
    ({"channel": "web"}, "id_channel_0", "Bitte wählen Sie den Eingangskanal."),
    ({"channel": ""}, "id_channel_0", "Bitte wählen Sie den Eingangskanal."),
    ({"topic": "erfunden"}, "id_topic", "Bitte wählen Sie ein Thema."),
    ({"description": ""}, "id_description", "Bitte beschreiben Sie das Anliegen."),
    ({"contact_email": "kaputt"}, "id_contact_email", "Bitte geben Sie eine gültige E-Mail-Adresse an."),
    ({"department": "gibtsnicht"}, "id_department", "Bitte wählen Sie einen Fachbereich aus der Liste."),
])
def test_wrong_input_is_400_and_writes_nothing(client, org, change, anchor, message):
    client.force_login(org.otto)
    response = client.post(URL, entry(**change))
    assert response.status_code == 400
    assert f'<a href="#{anchor}">{message}</a>' in response.content.decode()
    assert Case.objects.count() == 0


def test_a_wrong_file_is_refused_with_its_status(client, org):
    client.force_login(org.otto)
    response = client.post(URL, entry(attachments=[upload("seite.html", b"<html>hallo</html>")]))
    assert response.status_code == 415
    assert '<a href="#id_attachments">Erlaubt sind nur PDF-, JPEG- und PNG-Dateien.</a>' in response.content.decode()
    assert Case.objects.count() == 0
