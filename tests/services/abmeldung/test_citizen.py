"""The citizen's way through /abmeldung-ausland/: login hoch (step-up from substanziell), the
person read only, the moving date's window of § 17 (2) BMG (refused outside with the dates
named), the country from ISO 3166 (not Germany), members and documents, every wrong input 400
with a German message and nothing stored, the catalogue entry and the case type."""
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from cases.types import case_type_get
from portal.selectors import service_list

from .conftest import form_data, login_as

pytestmark = pytest.mark.django_db


def _day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).strftime("%d.%m.%Y")


def test_catalogue_entry_and_case_type():
    service = next(s for s in service_list() if s.slug == "abmeldung")
    assert (service.trust_level, service.url_name, str(service.fees)) == ("hoch", "abmeldung:new", "kostenlos")
    case_type = case_type_get("abmeldung")
    assert (case_type.reference_prefix, case_type.delivered_status, case_type.accepted_status,
            case_type.rejected_status) == ("AB", "delivered", "confirmed", "rejected")


def test_substanziell_is_not_enough(client, office, erika):
    assert client.get("/abmeldung-ausland/")["Location"] == "/konto/anmelden/?stufe=hoch&next=%2Fabmeldung-ausland%2F"
    login_as(client, erika, level="substanziell")
    assert client.get("/abmeldung-ausland/")["Location"].startswith("/konto/anmelden/?stufe=hoch")
    assert client.post("/abmeldung-ausland/", form_data()).status_code == 302
    assert Case.objects.count() == 0


def test_filing_with_members_and_documents(client, office, erika):
    login_as(client, erika, level="hoch")
    html = client.get("/abmeldung-ausland/").content.decode()
    assert '<dd id="person-name">Erika Mustermann</dd>' in html and 'name="given_name"' not in html
    assert f"Heute können Sie sich für einen Auszug zwischen dem {_day(-14)} und dem {_day(7)} abmelden." in html
    data = form_data(given_name="Mallory", **{
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "10", "members-0-given_name": "Max", "members-0-family_name": "Mustermann",
        "members-0-birthdate": "12.03.2012",
        "documents-TOTAL_FORMS": "1", "documents-INITIAL_FORMS": "0", "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "12", "documents-0-doc_type": "reisepass", "documents-0-doc_number": "C01X00T47"})
    response = client.post("/abmeldung-ausland/", data)
    assert response.status_code == 303
    case = Case.objects.get()
    assert response["Location"] == f"/abmeldung-ausland/gesendet/{case.tracking_token}/"
    assert (case.service, case.department, case.owner, case.title, case.reference[:3]) == (
        "abmeldung", office.buergeramt, erika, "Abmeldung ins Ausland", "AB-")
    assert case.data["person"]["given_name"] == "Erika"
    assert case.data["new_address"] == {"street": "Praterstraße 1", "postcode": "1020", "city": "Wien",
                                        "country": "AT"}
    assert case.data["members"] == [{"given_name": "Max", "family_name": "Mustermann", "birthdate": "2012-03-12"}]
    assert case.data["documents"] == [{"doc_type": "reisepass", "doc_number": "C01X00T47"}]
    assert case.data["move_date"] == (timezone.localdate() + timedelta(days=3)).isoformat()
    assert case.reference in client.get(response["Location"]).content.decode()
    assert client.post("/abmeldung-ausland/", data).status_code == 303 and Case.objects.count() == 1  # re-send


@pytest.mark.parametrize("offset", [-14, 0, 7])
def test_the_window_edges_are_allowed(client, office, erika, offset):
    login_as(client, erika, level="hoch")
    assert client.post("/abmeldung-ausland/", form_data(move_date=_day(offset))).status_code == 303


@pytest.mark.parametrize("offset", [-15, 8, 400])
def test_dates_outside_the_window_are_refused(client, office, erika, offset):
    login_as(client, erika, level="hoch")
    response = client.post("/abmeldung-ausland/", form_data(move_date=_day(offset)))
    assert response.status_code == 400
    message = (f"Der Tag des Auszugs muss zwischen dem {_day(-14)} und dem {_day(7)} liegen: Die Abmeldung ist "
               "frühestens eine Woche vor und spätestens zwei Wochen nach dem Auszug möglich.")
    assert message in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("change", "message"), [
    ({"move_date": None}, "Bitte füllen Sie „Tag des Auszugs“ aus."),
    ({"move_date": "32.13.2026"}, "„Tag des Auszugs“"),
    ({"new_country": None}, "Bitte wählen Sie bei „Staat“"),
    ({"new_country": "XX"}, "„Staat“"),
    ({"new_country": "DE"}, "Bitte wählen Sie den Staat im Ausland, in den Sie ziehen."),
    ({"new_city": ""}, "Bitte füllen Sie „Ort“ aus."),
    ({"new_street": ""}, "Bitte füllen Sie „Straße und Hausnummer“ aus."),
    ({"declaration": None}, "Bitte bestätigen Sie „Ich behalte keine Wohnung in Deutschland, und meine Angaben sind "
                            "richtig.“."),
    ({"documents-TOTAL_FORMS": "1", "documents-INITIAL_FORMS": "0", "documents-MIN_NUM_FORMS": "0",
      "documents-MAX_NUM_FORMS": "12", "documents-0-doc_type": "reisepass", "documents-0-doc_number": "12<>"},
     "Die Dokumentnummer hat 8 bis 10 Buchstaben und Ziffern."),
])
def test_wrong_input_answers_400_and_stores_nothing(client, office, erika, change, message):
    login_as(client, erika, level="hoch")
    response = client.post("/abmeldung-ausland/", form_data(**change))
    assert response.status_code == 400
    html = response.content.decode().replace("&bdquo;", "„").replace("&ldquo;", "“")
    assert 'id="error-summary"' in html and message in html
    assert Case.objects.count() == 0
