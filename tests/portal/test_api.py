"""`GET /api/v1/services/`: every field of a service, `?q=` and `?lebenslage=` filters, 400 in
the API's error format on bad input (control characters included), English, and the OpenAPI
schema describing it."""
import pytest
import yaml

from portal import hooks

from .conftest import wohngeld_service

pytestmark = pytest.mark.django_db

URL = "/api/v1/services/"


def test_service_list_has_every_field(api_client):
    response = api_client.get(URL)
    assert response.status_code == 200
    assert response.json() == [{
        "slug": "maengelmelder",
        "title": "Mängelmelder: Schaden oder Gefahr im öffentlichen Raum melden",
        "short_description": "Schlaglöcher, defekte Straßenlaternen, wilden Müll, beschädigte Spielgeräte oder "
                             "umgestürzte Bäume mit Ort und Foto melden. Die Meldung geht direkt an die "
                             "zuständige Stelle, und Sie können verfolgen, was daraus wird.",
        "audience": "Alle, die einen Mangel im öffentlichen Raum bemerken – ohne Konto, auf Wunsch anonym.",
        "trust_level": "none",
        "trust_level_label": "ohne Anmeldung",
        "fees": "kostenlos",
        "processing_time": "Eingangsbestätigung sofort; die Frist für die Bearbeitung hängt von der Kategorie "
                           "ab und wird in Arbeitstagen gezählt.",
        "leika_key": None,
        "lebenslagen": [{"slug": "umwelt", "title": "Umwelt und öffentlicher Raum"},
                        {"slug": "mobilitaet-reisen", "title": "Mobilität und Reisen"}],
        "keywords": ["Schlagloch", "Straßenlaterne", "Müll", "Spielplatz", "Baum", "Straßenschaden", "Meldung",
                     "Stadtmelder"],
        "icon": None,
        "is_spatial": True,
        "url": "http://testserver/melden/",
    }]


@pytest.mark.parametrize("params, expected", [
    ({"q": "mietzuschuss"}, ["wohngeld-test"]),
    ({"q": "Schlagloch"}, ["maengelmelder"]),
    ({"q": "  "}, ["maengelmelder", "wohngeld-test"]),
    ({"lebenslage": "wohnen-test"}, ["wohngeld-test"]),
    ({"lebenslage": "umwelt", "q": "wohngeld"}, []),
    ({"lebenslage": ""}, ["maengelmelder", "wohngeld-test"]),
])
def test_filters(api_client, params, expected):
    with hooks.register_temporarily("register_service", wohngeld_service):
        response = api_client.get(URL, params)
    assert response.status_code == 200
    assert [s["slug"] for s in response.json()] == expected


# C0 control characters and DEL are refused where input enters (config.middleware).
@pytest.mark.parametrize("params, field", [
    ({"q": "a\x00b"}, "q"), ({"q": "a\nb"}, "q"), ({"q": "a\x1bb"}, "q"), ({"lebenslage": "umwelt\x00"}, "lebenslage"),
])
def test_control_characters_are_refused_where_input_enters(api_client, params, field):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert response.json() == {"detail": f"Unzulässiges Steuerzeichen (z. B. ein NUL-Byte) im Parameter „{field}“."}


@pytest.mark.parametrize("params, field, message", [
    ({"q": "a\x85b"}, "q", "Der Suchbegriff enthält Steuerzeichen."),
    ({"q": "x" * 101}, "q", "Der Suchbegriff ist zu lang (höchstens 100 Zeichen)."),
    ({"lebenslage": "gibt-es-nicht"}, "lebenslage", "Unbekannte Lebenslage. Bitte wählen Sie eine aus der Liste."),
    ({"lebenslage": "x" * 5000}, "lebenslage", "Unbekannte Lebenslage. Bitte wählen Sie eine aus der Liste."),
])
def test_bad_input_is_a_400_with_the_field_and_message(api_client, params, field, message):
    response = api_client.get(URL, params)
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {field: [message]}}


def test_english(api_client):
    response = api_client.get(URL, {"q": "pothole"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    [service] = response.json()
    assert (service["title"], service["trust_level_label"], service["fees"]) == (
        "Defect reporter: report damage or a hazard in public space", "no login", "free of charge")
    response = api_client.get(URL, {"q": "a\u0085b"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == "The search term contains control characters."
    response = api_client.get(URL, {"q": "a\tb"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == "Control character (such as a NUL byte) not allowed in parameter “q”."


def test_post_is_405(api_client):
    assert api_client.post(URL, {}).status_code == 405


def test_openapi_schema_documents_the_endpoint(api_client):
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    operation = schema["paths"]["/api/v1/services/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"q", "lebenslage"}
    item = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    properties = schema["components"]["schemas"][item.rsplit("/", 1)[1]]["properties"]
    assert set(properties) == {"slug", "title", "short_description", "audience", "trust_level",
                               "trust_level_label", "fees", "processing_time", "leika_key", "lebenslagen",
                               "keywords", "icon", "is_spatial", "url"}
    assert properties["leika_key"]["nullable"] is True
