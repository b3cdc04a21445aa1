"""The registration office works a certificate in the back office: the clerk sends the PDF as a
message with attachment and sets the status "issued"; the citizen finds it in /konto/ with
the document and gets an email. Privacy canary: the application's contents (person, members,
purpose) are in no public page, API or dataset, and a clerk of another department sees
nothing of it."""
import pytest
from django.core.management import call_command
from django.test import Client

from cases.models import Case
from notifications.models import Notification

from .conftest import PDF, form_data, login_as, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eu_theme_groups")]

CANARY_CHILD, CANARY_PURPOSE = "Kanarienkind", "KANARIE-ZWECK-MB"


def _file(client, erika) -> Case:
    login_as(client, erika, level="substanziell")
    data = form_data(for_whom="haushalt", purpose=CANARY_PURPOSE, **{
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "8", "members-0-given_name": CANARY_CHILD, "members-0-family_name": "Mustermann",
        "members-0-birthdate": "12.03.2012"})
    location = client.post("/meldebescheinigung/", data)["Location"]
    client.get(client.post(location, {"action": "bezahlen"})["Location"])
    return Case.objects.get()


def test_the_clerk_sends_the_certificate_into_the_account(office, erika):
    citizen = Client()
    case = _file(citizen, erika)
    clerk = Client()
    clerk.force_login(office.mia)
    assert clerk.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").status_code == 200
    response = clerk.post(f"/sachbearbeitung/vorgaenge/{case.pk}/nachricht/", {
        "body": "Ihre Meldebescheinigung liegt bei.", "attachments": [upload("meldebescheinigung.pdf", PDF)]})
    assert response.status_code == 303
    response = clerk.post(f"/sachbearbeitung/vorgaenge/{case.pk}/status/", {"status": "issued"})
    assert response.status_code == 303
    case.refresh_from_db()
    assert (case.status, case.closed_at is not None) == ("issued", True)
    html = citizen.get("/konto/").content.decode()
    document = case.attachments.get(original_name="meldebescheinigung.pdf")
    assert case.reference in html and "Ausgestellt" in html
    assert f'href="/konto/vorgaenge/{case.reference}/dateien/{document.pk}/"' in html
    download = citizen.get(f"/konto/vorgaenge/{case.reference}/dateien/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    mails = Notification.objects.filter(recipient="erika.mustermann@example.org").values_list("event", flat=True)
    assert sorted(mails) == ["case.message_to_citizen", "case.status_to_citizen"]


def test_the_contents_are_in_no_public_output_nor_in_another_department(office, erika):
    citizen = Client()
    case = _file(citizen, erika)
    assert CANARY_CHILD in str(case.data) and CANARY_PURPOSE in str(case.data)  # stored, so the test means it
    call_command("opendata_rebuild", verbosity=0)
    public = Client()
    for url in ["/", "/leistungen/", "/leistungen/?q=meldebescheinigung", "/leistungen.json", "/leistungen.csv",
                "/api/v1/services/", f"/meldebescheinigung/gesendet/{case.tracking_token}/",
                f"/vorgang/{case.tracking_token}/", "/catalog.ttl", "/api/3/action/package_search?q=kanarie",
                "/api/v1/reports/", "/open311/v2/requests.json", "/statistik/"]:
        response = public.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        for canary in (CANARY_CHILD, CANARY_PURPOSE, "1964-08-12", "Markt 1"):
            assert canary not in text, (url, canary)
    other = Client()
    other.force_login(office.gerd)
    assert other.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").status_code == 404
    for url in ("/sachbearbeitung/?ansicht=alle", "/sachbearbeitung/?ansicht=alle&suche=Mustermann",
                f"/sachbearbeitung/?ansicht=alle&suche={case.reference}"):
        response = other.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert f">{case.reference}<" not in text and "Erika" not in text and CANARY_PURPOSE not in text, url
    mia = Client()
    mia.force_login(office.mia)  # the registration office does see it (so the search above means something)
    assert f">{case.reference}<" in mia.get("/sachbearbeitung/?ansicht=alle&suche=Mustermann").content.decode()
