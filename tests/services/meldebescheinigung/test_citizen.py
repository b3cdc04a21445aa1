"""The citizen's way through /meldebescheinigung/: login level (step-up), the person read only
(a tampered POST is ignored), the fee, the payment first (paid → one case; cancelled or
failed → nothing filed, the values deleted), a re-send, every wrong input 400 with a German
message and nothing stored, English, the catalogue entry and the case type."""
import pytest
from django.test import override_settings

from cases.models import Case
from cases.types import case_type_get
from payments.models import Payment
from portal.selectors import service_list
from services.meldebescheinigung.models import PendingApplication

from .conftest import form_data, login_as

pytestmark = pytest.mark.django_db


def _members(*people) -> dict:
    data = {"members-TOTAL_FORMS": str(len(people)), "members-INITIAL_FORMS": "0", "members-MIN_NUM_FORMS": "1",
            "members-MAX_NUM_FORMS": "8"}
    for n, (given, family, born) in enumerate(people):
        data.update({f"members-{n}-given_name": given, f"members-{n}-family_name": family,
                     f"members-{n}-birthdate": born})
    return data


def test_catalogue_entry_and_case_type():
    service = next(s for s in service_list() if s.slug == "meldebescheinigung")
    assert (service.trust_level, service.leika_key, service.url_name) == (
        "substanziell", "99115004000000", "meldebescheinigung:new")
    assert str(service.fees) == "10,00 € je einfacher, 10,00 € je erweiterter Bescheinigung; online zu bezahlen."
    case_type = case_type_get("meldebescheinigung")
    assert (case_type.reference_prefix, case_type.delivered_status, case_type.accepted_status,
            case_type.rejected_status) == ("MB", "delivered", "issued", "rejected")
    assert case_type.closed_statuses == {"issued", "rejected"}


def test_anonymous_and_lower_logins_are_sent_to_log_in_at_substanziell(client, office, erika):
    response = client.get("/meldebescheinigung/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/?stufe=substanziell&next=%2Fmeldebescheinigung%2F"
    login_as(client, erika, level="basisregistrierung")
    assert client.get("/meldebescheinigung/")["Location"].startswith("/konto/anmelden/?stufe=substanziell")
    assert client.post("/meldebescheinigung/", form_data()).status_code == 302
    assert (PendingApplication.objects.count(), Payment.objects.count(), Case.objects.count()) == (0, 0, 0)


@override_settings(MELDEBESCHEINIGUNG={"TRUST_LEVEL": "hoch"})
def test_the_level_is_configurable(client, office, erika):
    login_as(client, erika, level="substanziell")
    assert client.get("/meldebescheinigung/")["Location"].startswith("/konto/anmelden/?stufe=hoch")


def test_the_person_is_shown_read_only_with_the_fees(client, office, erika):
    login_as(client, erika, level="substanziell")
    response = client.get("/meldebescheinigung/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="person-name">Erika Mustermann</dd>' in html
    assert '<dd id="person-birthdate">1964-08-12</dd>' in html
    assert '<dd id="person-address">Markt 1, 07545 Gera</dd>' in html
    assert 'name="given_name"' not in html and 'name="birthdate"' not in html  # no input for the person
    assert "Einfache Meldebescheinigung: 10,00 €, erweiterte Meldebescheinigung: 10,00 € – je Person." in html


def test_an_identity_without_address_cannot_apply(client, office, erika):
    login_as(client, erika, level="hoch", claims={"given_name": "Erika", "family_name": "Mustermann"})
    assert "Ihre Anmeldung reicht dafür nicht aus" in client.get("/meldebescheinigung/").content.decode()
    response = client.post("/meldebescheinigung/", form_data())
    assert response.status_code == 400
    assert (PendingApplication.objects.count(), Payment.objects.count()) == (0, 0)


def test_paid_application_becomes_one_case_with_the_identity_not_the_posted_values(
        client, office, erika, django_capture_on_commit_callbacks):
    login_as(client, erika, level="substanziell")
    tampered = form_data(given_name="Mallory", family_name="Fälscher", birthdate="2001-01-01",
                         address__street="Falschweg", person="x", fee_cents="1")
    response = client.post("/meldebescheinigung/", tampered)
    assert response.status_code == 303
    payment = Payment.objects.get()
    assert response["Location"] == f"/bezahlen/test/{payment.token}/"
    assert (payment.status, payment.amount_cents, payment.service, payment.owner, payment.purpose) == (
        "pending", 1000, "meldebescheinigung", erika, "Meldebescheinigung")
    assert Case.objects.count() == 0  # payment first
    page = client.get(response["Location"])
    assert page.status_code == 200 and '<dd id="payment-amount">10,00 EUR</dd>' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(response["Location"], {"action": "bezahlen"})
    assert back.status_code == 303 and back["Location"] == f"/meldebescheinigung/zahlung/{payment.token}/"
    case = Case.objects.get()  # filed by the payment signal (on commit), before the citizen is back
    receipt = client.get(back["Location"])
    assert receipt.status_code == 303 and receipt["Location"] == f"/meldebescheinigung/gesendet/{case.tracking_token}/"
    assert case.reference in client.get(receipt["Location"]).content.decode()
    assert (case.service, case.department, case.owner, case.status, case.title) == (
        "meldebescheinigung", office.buergeramt, erika, "new", "Einfache Meldebescheinigung")
    assert case.data["person"] == {"given_name": "Erika", "family_name": "Mustermann", "birthdate": "1964-08-12",
                                   "street_address": "Markt 1", "postal_code": "07545", "locality": "Gera"}
    assert (case.data["kind"], case.data["delivery"], case.data["purpose"], case.data["fee_cents"]) == (
        "einfach", "konto", "Vorlage beim Arbeitgeber", 1000)
    assert case.data["payment"] == {"provider": "test", "reference": f"test-{payment.pk}", "amount_cents": 1000}
    assert (case.contact_name, case.contact_email) == ("Erika Mustermann", "erika.mustermann@example.org")
    assert "Mallory" not in str(case.data) and "Falschweg" not in str(case.data)
    assert PendingApplication.objects.get().data == {}  # the case holds the values now
    # The payment page again: paying twice is a no-op, cancelling a paid payment is refused.
    assert client.post(f"/bezahlen/test/{payment.token}/", {"action": "bezahlen"}).status_code == 303
    refused = client.post(f"/bezahlen/test/{payment.token}/", {"action": "abbrechen"})
    assert refused.status_code == 409
    assert "Diese Zahlung ist bereits abgeschlossen (bezahlt)." in refused.content.decode()
    assert Case.objects.count() == 1 and Payment.objects.get().status == "paid"


def test_household_members_count_in_the_fee(client, office, erika):
    login_as(client, erika, level="substanziell")
    data = form_data(kind="erweitert", for_whom="haushalt", delivery="post",
                     **_members(("Max", "Mustermann", "12.03.2012"), ("Lena", "Mustermann", "01.07.2015")))
    with override_settings(MELDEBESCHEINIGUNG={"FEE_EXTENDED_CENTS": 1250}):
        assert client.post("/meldebescheinigung/", data).status_code == 303
    payment = Payment.objects.get()
    assert payment.amount_cents == 3750
    back = client.post(f"/bezahlen/test/{payment.token}/", {"action": "bezahlen"})
    assert Case.objects.count() == 0  # no commit in this test: the signal did not run …
    assert client.get(back["Location"]).status_code == 303  # … the citizen's return files it
    case = Case.objects.get()
    assert case.data["members"] == [{"given_name": "Max", "family_name": "Mustermann", "birthdate": "2012-03-12"},
                                    {"given_name": "Lena", "family_name": "Mustermann", "birthdate": "2015-07-01"}]
    assert (case.title, case.data["delivery"]) == ("Erweiterte Meldebescheinigung", "post")


@pytest.mark.parametrize(("action", "status", "heading"), [
    ("abbrechen", "cancelled", "Bezahlung abgebrochen"), ("fehlschlagen", "failed", "Bezahlung fehlgeschlagen")])
def test_a_cancelled_or_failed_payment_files_nothing_and_deletes_the_values(
        client, office, erika, action, status, heading, django_capture_on_commit_callbacks):
    login_as(client, erika, level="substanziell")
    response = client.post("/meldebescheinigung/", form_data())
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(response["Location"], {"action": action})
    assert back.status_code == 303
    page = client.get(back["Location"])
    assert page.status_code == 200 and heading in page.content.decode()
    assert (Payment.objects.get().status, Case.objects.count(), PendingApplication.objects.count()) == (status, 0, 0)
    assert client.post(response["Location"], {"action": "bezahlen"}).status_code == 409
    assert Case.objects.count() == 0


def test_a_resend_reuses_the_application_and_payment(client, office, erika):
    login_as(client, erika, level="substanziell")
    first = client.post("/meldebescheinigung/", form_data())
    second = client.post("/meldebescheinigung/", form_data())
    assert first["Location"] == second["Location"]
    assert (Payment.objects.count(), PendingApplication.objects.count()) == (1, 1)
    client.get(client.post(first["Location"], {"action": "bezahlen"})["Location"])
    third = client.post("/meldebescheinigung/", form_data())  # after paying: the receipt
    assert third["Location"] == f"/meldebescheinigung/gesendet/{Case.objects.get().tracking_token}/"


@override_settings(MELDEBESCHEINIGUNG={"FEE_SIMPLE_CENTS": 0})
def test_a_free_certificate_is_filed_at_once(client, office, erika):
    login_as(client, erika, level="substanziell")
    response = client.post("/meldebescheinigung/", form_data())
    case = Case.objects.get()
    assert response["Location"] == f"/meldebescheinigung/gesendet/{case.tracking_token}/"
    assert (Payment.objects.count(), case.data["fee_cents"]) == (0, 0)


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": None}, "Bitte wählen Sie bei „Welche Bescheinigung brauchen Sie?“ eine Antwort aus."),
    ({"kind": "gold"}, "Bitte wählen Sie bei „Welche Bescheinigung brauchen Sie?“ eine der angebotenen Antworten."),
    ({"for_whom": None}, "Bitte wählen Sie bei „Für wen?“ eine Antwort aus."),
    ({"delivery": None}, "Bitte wählen Sie bei „Wie möchten Sie die Bescheinigung erhalten?“ eine Antwort aus."),
    ({"purpose": "x" * 201}, "„Verwendungszweck (freiwillig)“ darf höchstens 200 Zeichen lang sein."),
    ({"declaration": None}, "Bitte bestätigen Sie „Ich beantrage die Bescheinigung für mich oder für Personen, "
                            "für die ich dazu berechtigt bin.“."),
    ({"for_whom": "haushalt", **_members(("", "Mustermann", "12.03.2012"))},
     "Person 1: Bitte füllen Sie „Vorname“ aus."),
    ({"for_whom": "haushalt", **_members(("Max", "Mustermann", "12.03.2099"))}, "Person 1: „Geburtsdatum“"),
])
def test_wrong_input_answers_400_and_stores_nothing(client, office, erika, change, message):
    login_as(client, erika, level="substanziell")
    response = client.post("/meldebescheinigung/", form_data(**change))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message in html.replace("&bdquo;", "„").replace("&ldquo;", "“")
    assert (PendingApplication.objects.count(), Payment.objects.count(), Case.objects.count()) == (0, 0, 0)


def test_without_the_office_the_service_answers_503(client, erika, db):
    login_as(client, erika, level="substanziell")
    response = client.post("/meldebescheinigung/", form_data())
    assert response.status_code == 503
    assert "Diese Leistung ist im Moment nicht verfügbar." in response.content.decode()
    assert (PendingApplication.objects.count(), Payment.objects.count()) == (0, 0)


def test_another_account_cannot_open_the_payment_or_its_return(client, office, erika, django_user_model):
    login_as(client, erika, level="substanziell")
    location = client.post("/meldebescheinigung/", form_data())["Location"]
    token = Payment.objects.get().token
    other = django_user_model.objects.create(username="otto-x")
    login_as(client, other, level="substanziell")
    assert client.get(location).status_code == 404
    assert client.post(location, {"action": "bezahlen"}).status_code == 404
    assert client.get(f"/meldebescheinigung/zahlung/{token}/").status_code == 404
    assert Payment.objects.get().status == "pending"


def test_english_page(client, office, erika):
    login_as(client, erika, level="substanziell")
    html = client.get("/meldebescheinigung/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Apply for a registration certificate</h1>" in html and "Your details in the population register" in html
    response = client.post("/meldebescheinigung/", form_data(kind=None), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Which certificate do you need?" in response.content.decode()


def test_an_abandoned_payment_expires_and_the_waiting_values_are_deleted(
        client, office, erika, time_machine, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from payments.tasks import payments_expire_task

    login_as(client, erika, level="substanziell")
    client.post("/meldebescheinigung/", form_data())
    assert (Payment.objects.get().status, PendingApplication.objects.count()) == ("pending", 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_expire_task() == 0  # not yet 24 hours
    time_machine.move_to(timezone.now() + timedelta(hours=25), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_expire_task() == 1
    assert (Payment.objects.get().status, PendingApplication.objects.count(), Case.objects.count()) == (
        "cancelled", 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert payments_expire_task() == 0
