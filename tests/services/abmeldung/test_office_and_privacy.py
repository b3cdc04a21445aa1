"""The registration office confirms a deregistration in the back office (the confirmation PDF
as a message, status "confirmed"), the citizen finds it in /konto/; privacy canary: the new
address, the members and the document numbers are in no public output, and a clerk of
another department sees nothing of the case."""
import pytest
from django.core.management import call_command
from django.test import Client

from cases.models import Case

from .conftest import PDF, form_data, login_as, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eu_theme_groups")]

STREET, CHILD, DOC = "Kanarienweg 7", "Kanarienkind", "KAN4R1E77"


def test_confirmation_into_the_account_and_no_leak(office, erika):
    citizen = Client()
    login_as(citizen, erika, level="hoch")
    response = citizen.post("/abmeldung-ausland/", form_data(new_street=STREET, **{
        "members-TOTAL_FORMS": "1", "members-0-given_name": CHILD, "members-0-family_name": "Mustermann",
        "members-0-birthdate": "12.03.2012", "documents-TOTAL_FORMS": "1", "documents-0-doc_type": "reisepass",
        "documents-0-doc_number": DOC}))
    assert response.status_code == 303
    case = Case.objects.get()
    assert STREET in str(case.data) and CHILD in str(case.data) and DOC in str(case.data)
    call_command("opendata_rebuild", verbosity=0)
    public = Client()
    for url in ["/", "/leistungen/", "/leistungen.json", "/leistungen.csv", "/api/v1/services/",
                f"/abmeldung-ausland/gesendet/{case.tracking_token}/", f"/vorgang/{case.tracking_token}/",
                "/catalog.ttl", "/api/3/action/package_search?q=kanarie", "/open311/v2/requests.json", "/statistik/"]:
        response = public.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        for canary in (STREET, CHILD, DOC, "1964-08-12"):
            assert canary not in text, (url, canary)
    other = Client()
    other.force_login(office.gerd)
    assert other.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").status_code == 404
    assert f">{case.reference}<" not in other.get("/sachbearbeitung/?ansicht=alle&suche=Mustermann").content.decode()

    clerk = Client()
    clerk.force_login(office.mia)
    assert clerk.post(f"/sachbearbeitung/vorgaenge/{case.pk}/nachricht/", {
        "body": "Ihre Abmeldebestätigung.", "attachments": [upload("abmeldebestaetigung.pdf", PDF)]}).status_code == 303
    assert clerk.post(f"/sachbearbeitung/vorgaenge/{case.pk}/status/", {"status": "confirmed"}).status_code == 303
    html = citizen.get("/konto/").content.decode()
    assert case.reference in html and "Abmeldung bestätigt" in html and "abmeldebestaetigung.pdf" in html
