"""Canary test of the general request: a request's name, email, phone, text, attachment and
messages never appear in a public page, API, catalogue or open dataset (also after the
nightly `opendata_rebuild`), the receipt shows only the reference and the link, and a clerk
of another department sees nothing of it. The service itself is public (the catalogue)."""
import pytest
from django.core.management import call_command
from django.test import Client

from cases.models import Case
from cases.services import case_message_add, case_note_add

from .conftest import PDF, form_data, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eu_theme_groups")]

NAME, FAMILY, EMAIL, PHONE = "Kanarienvogel", "Anliegenkanarie", "kanarie-a11e@example.org", "0365 5550133"
TEXT, ANSWER, NOTE, FILE = "KANARIE-ANLIEGENTEXT", "KANARIE-ANTWORT-AN", "KANARIE-NOTIZ-AN", "KANARIE-ANHANG-AN"
CANARIES = (NAME, FAMILY, EMAIL, "kanarie-a11e", "5550133", TEXT, ANSWER, NOTE, FILE)


def _public_urls(token: str) -> list[str]:
    return ["/", "/leistungen/", "/leistungen/?q=anliegen", "/leistungen/?q=kanarie", "/leistungen.json",
            "/leistungen.csv", "/api/v1/services/", "/anliegen/", f"/anliegen/gesendet/{token}/", "/catalog.ttl",
            "/catalog.jsonld", "/dataset/", "/api/3/action/package_search?q=kanarie", "/api/3/action/package_list",
            "/api/3/action/current_package_list_with_resources", "/api/v1/reports/", "/open311/v2/requests.json",
            "/ogc/collections", "/statistik/"]


def test_a_requests_private_data_is_in_no_public_output(org):
    client = Client()
    response = client.post("/anliegen/", form_data(
        description=f"{TEXT} an der Ecke", contact_email=EMAIL, contact_phone=PHONE, contact_given_name=NAME,
        contact_family_name=FAMILY, attachments=[upload(f"{FILE}.pdf", PDF)]))
    assert response.status_code == 303
    case = Case.objects.get()
    assert (case.contact_name, case.contact_email) == (f"{NAME} {FAMILY}", EMAIL)  # stored, so the test means it
    case_message_add(case=case, body=ANSWER, direction="to_citizen", author=org.otto)
    case_note_add(case=case, note=NOTE, actor=org.otto)
    call_command("opendata_rebuild", verbosity=0)
    catalogue = client.get("/api/v1/services/").content.decode()
    assert '"anliegen"' in catalogue
    for url in _public_urls(case.tracking_token):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace").lower()
        for canary in CANARIES:
            assert canary.lower() not in text, (url, canary)

    # A clerk of another department: no work screen, nothing in the list or its search.
    client.force_login(org.gerd)
    assert client.get(f"/sachbearbeitung/vorgaenge/{case.pk}/").status_code == 404
    for url in ("/sachbearbeitung/vorgaenge/?tab=all", f"/sachbearbeitung/vorgaenge/?tab=all&suche={NAME}"):
        text = client.get(url).content.decode()
        assert case.reference not in text and EMAIL not in text and FAMILY not in text, url
    attachment = case.attachments.get()
    assert client.get(f"/sachbearbeitung/vorgaenge/dateien/{attachment.pk}/").status_code == 404
