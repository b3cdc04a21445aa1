"""The citizen page /anliegen/: filing anonymously and logged in (owner, prefill shown), a
re-send stores one case, every wrong input answers 400 with a German message and writes
nothing, the receipt shows the reference and the tracking link; in English too."""
import pytest

from cases.models import Case, CaseAttachment
from portal import hooks

from .conftest import PDF, citizen_login, form_data, upload

pytestmark = pytest.mark.django_db


def test_the_service_is_in_the_catalogue_navigation_and_case_types(client, org):
    from cases.types import case_type_get

    assert "Allgemeines Anliegen an die Stadtverwaltung" in client.get("/leistungen/").content.decode()
    assert 'href="/anliegen/"' in client.get("/leistungen/").content.decode()
    case_type = case_type_get("anliegen")
    assert (case_type.reference_prefix, case_type.sla_days, case_type.escalation_departments) == (
        "AN", 10, ("buergerservice",))
    assert any(fn().slug == "anliegen" for fn in hooks.get_hooks("register_service"))


def test_anonymous_filing_routes_by_topic_and_shows_the_receipt(client, org):
    page = client.get("/anliegen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Allgemeines Anliegen</h1>" in html and 'name="submission_key"' in html
    assert "aus Ihrem Konto übernommen" not in html
    response = client.post("/anliegen/", form_data(attachments=[upload("brief.pdf", PDF)]))
    assert response.status_code == 303
    case = Case.objects.get()
    assert response["Location"] == f"/anliegen/gesendet/{case.tracking_token}/"
    assert (case.service, case.department, case.channel, case.owner, case.status) == (
        "anliegen", org.order, "web", None, "new")
    assert (case.contact_name, case.contact_email, case.contact_phone) == ("Erika Muster", "erika@example.org",
                                                                          "0365 1234567")
    assert case.title == "Ordnung und Sicherheit" and case.reference.startswith("AN-")
    assert case.data == {"topic": "ordnung", "contact_wanted": "ja", "routed_by": "Ordnung → Ordnungsamt"}
    assert case.form_version == "anliegen@1" and case.due_date is not None
    assert list(case.attachments.values_list("original_name", "content_type")) == [("brief.pdf", "application/pdf")]
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    text = receipt.content.decode()
    assert case.reference in text and f'href="/vorgang/{case.tracking_token}/"' in text
    assert receipt["Referrer-Policy"] == "same-origin"


def test_without_reply_no_contact_data_is_kept(client, org):
    response = client.post("/anliegen/", form_data(contact_wanted="nein"))
    assert response.status_code == 303
    case = Case.objects.get()
    assert (case.contact_name, case.contact_email, case.contact_phone) == ("", "", "")


def test_logged_in_citizen_gets_prefill_and_owns_the_case(client, org, citizen):
    citizen_login(client, citizen, claims={"given_name": "Erika", "family_name": "Mustermann",
                                           "email": "erika.m@example.org"})
    html = client.get("/anliegen/").content.decode()
    assert 'value="erika.m@example.org"' in html and 'value="Mustermann"' in html
    assert html.count('class="eform-prefilled"') == 3
    assert 'id="prefill-note"' in html
    response = client.post("/anliegen/", form_data(contact_email="erika.m@example.org"))
    assert response.status_code == 303
    assert Case.objects.get().owner == citizen


def test_a_resend_stores_one_case(client, org):
    first = client.post("/anliegen/", form_data())
    second = client.post("/anliegen/", form_data())
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1


def test_no_rule_matches_goes_to_triage_and_keywords_route(client, org):
    client.post("/anliegen/", form_data(topic="verwaltung", description="Wann hat das Bürgeramt offen?",
                                        submission_key="k-1"))
    client.post("/anliegen/", form_data(topic="sonstiges", description="Im Park liegt SPERRMÜLL herum.",
                                        submission_key="k-2"))
    client.post("/anliegen/", form_data(topic="verkehr", description="Die Ampel ist zu kurz grün.",
                                        submission_key="k-3"))  # the rule for "verkehr" is inactive
    routed = dict(Case.objects.values_list("submission_key", "department__slug"))
    assert routed == {"k-1": "buergerservice", "k-2": "gruen", "k-3": "buergerservice"}
    assert Case.objects.get(submission_key="k-1").data["routed_by"] == "Triage (keine Themenregel passt)"


@pytest.mark.parametrize(("change", "message"), [
    ({"topic": None}, "Bitte wählen Sie bei „Worum geht es?“ eine Antwort aus."),
    ({"topic": "erfunden"}, "Bitte wählen Sie bei „Worum geht es?“ eine der angebotenen Antworten."),
    ({"description": ""}, "Bitte füllen Sie „Beschreibung“ aus."),
    ({"description": "kurz"}, "„Beschreibung“ muss mindestens 10 Zeichen lang sein."),
    ({"description": "x" * 5001}, "„Beschreibung“ darf höchstens 5000 Zeichen lang sein."),
    ({"contact_email": "kaputt"},
     "Bitte geben Sie bei „E-Mail-Adresse“ eine E-Mail-Adresse an, z. B. name@example.org."),
    ({"contact_email": ""}, "Bitte füllen Sie „E-Mail-Adresse“ aus."),
    ({"contact_phone": "abc"}, "Bitte geben Sie bei „Telefonnummer“ eine Telefonnummer an, z. B. 0361 123456."),
    ({"declaration": None}, "Bitte bestätigen Sie „Ich habe die Hinweise zum Datenschutz gelesen.“."),
    ({"contact_wanted": None}, "Bitte wählen Sie bei „Möchten Sie eine Antwort?“ eine Antwort aus."),
])
def test_wrong_input_answers_400_and_writes_nothing(client, org, change, message):
    response = client.post("/anliegen/", form_data(**change))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message.replace("„", "&bdquo;") in html or message in html
    assert Case.objects.count() == 0


def test_wrong_files_answer_400_and_write_nothing(client, org):
    js_pdf = b"%PDF-1.4\n1 0 obj << /OpenAction 2 0 R >> endobj\n2 0 obj << /S /JavaScript /JS (x) >> endobj\n%%EOF\n"
    for name, content, message in [
        ("skript.pdf", js_pdf, "enthält aktive Inhalte"),
        ("seite.html", b"<html><script>alert(1)</script></html>", "Dieser Dateityp ist hier nicht erlaubt."),
    ]:
        response = client.post("/anliegen/", form_data(attachments=[upload(name, content)]))
        assert response.status_code == 400, name
        assert message in response.content.decode()
    four = [upload(f"{n}.pdf", PDF) for n in range(4)]
    response = client.post("/anliegen/", form_data(attachments=four))
    assert response.status_code == 400
    assert "Bitte laden Sie bei „Anhänge“ höchstens 3 Dateien hoch." in response.content.decode()
    assert (Case.objects.count(), CaseAttachment.objects.count()) == (0, 0)


def test_nul_characters_are_refused(client, org):
    response = client.post("/anliegen/", form_data(description="Laut in der Nacht \x00 immer wieder"))
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_the_receipt_of_an_unknown_token_is_404(client, org):
    assert client.get("/anliegen/gesendet/unbekannt/").status_code == 404


def test_english_page(client, org):
    client.cookies["django_language"] = "en"
    html = client.get("/anliegen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>General request</h1>" in html and "What is it about?" in html
    response = client.post("/anliegen/", form_data(description=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Please fill in" in response.content.decode()
    response = client.post("/anliegen/", form_data(), HTTP_ACCEPT_LANGUAGE="en")
    case = Case.objects.get()
    assert (case.language, case.title) == ("en", "Ordnung und Sicherheit")  # stored for clerks in German
    assert "Thank you, your request has been received" in client.get(response["Location"]).content.decode()
