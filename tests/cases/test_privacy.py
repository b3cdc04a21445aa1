"""Canary test: the private data of a case (contact, form contents, title, description,
messages, notes, attachment names) never appears in a public page or API, while the service
itself is in the catalogue."""
import pytest
from django.test import Client

from cases import services
from portal import hooks
from portal.catalogue import Service, TrustLevel

from .conftest import PDF, upload

pytestmark = pytest.mark.usefixtures("eu_theme_groups")

NAME, EMAIL, PHONE = "Kanarien Vogelsang", "kanarie-7c1d@example.org", "+49 151 5550177"
CANARIES = (NAME, EMAIL, "5550177", "KANARIE-BETREFF", "KANARIE-BESCHREIBUNG", "KANARIE-FORMULAR",
            "KANARIE-NACHRICHT", "KANARIE-ANTWORT", "KANARIE-NOTIZ", "KANARIE-ANHANG", "kanarie-7c1d")


def _service():
    from portal.lebenslagen import RECHT_ORDNUNG

    return Service(slug="testdienst", title="Testdienst", short_description="Ein Dienst für Tests.",
                   audience="alle", trust_level=TrustLevel.NONE, fees="keine", processing_time="eine Woche",
                   url_name="frontend:home", lebenslagen=(RECHT_ORDNUNG,))


def test_case_private_data_is_in_no_public_output(org):
    case, _created = services.case_create(
        service="testdienst", department=org.roads, title="KANARIE-BETREFF", description="KANARIE-BESCHREIBUNG",
        data={"feld": "KANARIE-FORMULAR"}, contact_name=NAME, contact_email=EMAIL, contact_phone=PHONE,
        attachments=[upload("KANARIE-ANHANG.pdf", PDF)])
    services.case_message_add(case=case, body="KANARIE-NACHRICHT", direction="to_citizen", author=org.anna)
    services.case_message_add_by_token(token=case.tracking_token, body="KANARIE-ANTWORT")
    services.case_note_add(case=case, note="KANARIE-NOTIZ", actor=org.anna)
    client = Client()
    with hooks.register_temporarily("register_service", _service):
        catalogue = client.get("/api/v1/services/")
        assert catalogue.status_code == 200
        assert "testdienst" in catalogue.content.decode()  # the service is public, its cases are not
        for url in ("/", "/leistungen/", "/leistungen/?q=testdienst", "/api/v1/services/", "/catalog.ttl",
                    "/api/3/action/package_search", "/api/3/action/package_search?q=kanarie",
                    "/api/3/action/package_list", "/catalog.jsonld", "/api/v1/reports/"):
            response = client.get(url)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            for canary in CANARIES:
                assert canary.lower() not in text.lower(), (url, canary)
