"""The OZG services end to end, with the real services and real processes.

A citizen logged in at the required level applies through the HTTP views (the
Meldebescheinigung with the test payment, the Abmeldung ins Ausland at level hoch). The
registration office's destinations are made as the demo makes them
(`manage.py fitconnect_demo_destinations` over the test server's state). From then on nothing
is played by the test:

- a real Celery worker (`tests/fixtures_worker.py`) sends the submission to the local
  FIT-Connect test server (`python -m fitconnect_dev.server`, its own process);
- the reference subscriber (`python -m fitconnect_dev.subscriber`, its own process) decrypts,
  checks, accepts and replies with the certificate PDF;
- the test server calls the portal back (`/fitconnect/callback/` on the live server, HMAC
  signed); the callback queues the reading of the event log and of the replies, which the
  worker does: the case reaches the service's accepted status, the PDF becomes a message to
  the citizen, and the worker mails the citizen through the SMTP server.

The citizen's `/konto/` lists the case with the document, which only the owner downloads.
A rejection: the reference subscriber rejects only a submission that fails its own checks
(decryption, schema, hashes), which our sender never produces; so in that test the test plays
the specialist system and rejects a real Meldebescheinigung through the event log.
"""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cases.models import Case, CaseAttachment, CaseEvent, CaseMessage
from fitconnect_sender.models import FitConnectDestination, FitConnectReply, FitConnectSubmission
from payments.models import Payment
from tests.cases.conftest import _private_files  # noqa: F401 (autouse: attachments in the tmp private storage)
from tests.fitconnect_dev.fixtures import fitconnect_server, fitconnect_subscriber, wait_until  # noqa: F401
from tests.fitconnect_sender.conftest import Subscriber
from tests.services.meldewesen_fixtures import erika, login_as, office  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

CALLBACK_SECRET = "e2e-callback-secret-" + "x" * 24
ERIKA_MAIL = "erika.mustermann@example.org"
TIMEOUT = 90.0


@pytest.fixture
def ozg_delivery(settings, monkeypatch, live_server, fitconnect_server, office):  # noqa: F811
    """The sender configured for the test server (settings for this process, environment for
    the worker), callbacks to the live server, and the demo's destinations of the office."""
    sender = fitconnect_server.config["sender"]
    values = {"TOKEN_URL": fitconnect_server.token_url, "SUBMISSION_API_URL": fitconnect_server.api_url,
              "CLIENT_ID": sender["clientId"], "CLIENT_SECRET": sender["clientSecret"],
              "TRUSTED_CA_FILE": str(fitconnect_server.ca_path), "CALLBACK_SECRET": CALLBACK_SECRET}
    settings.FITCONNECT = {**settings.FITCONNECT, **values, "RETRY_BACKOFF": 1}
    settings.SITE_URL = live_server.url
    for key, value in values.items():
        monkeypatch.setenv(f"FITCONNECT_{key}", value)
    monkeypatch.setenv("FITCONNECT_RETRY_BACKOFF", "1")
    monkeypatch.setenv("SITE_URL", live_server.url)
    call_command("fitconnect_demo_destinations", state=str(fitconnect_server.state_dir), verbosity=0)
    assert sorted(FitConnectDestination.objects.filter(department=office.buergeramt, is_active=True)
                  .values_list("service", flat=True)) == ["abmeldung", "meldebescheinigung"]
    return fitconnect_server


@pytest.fixture
def worker(ozg_delivery, celery_worker):
    """The Celery worker, started after the sender's environment is set."""
    return celery_worker


def _citizen(erika, level: str) -> Client:  # noqa: F811
    client = Client()
    login_as(client, erika, level=level)
    return client


def _delivered(case: Case, worker) -> FitConnectSubmission:
    """Wait until the worker submitted the case; the history names the route."""
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DELIVERY).get().details == {"route": "fitconnect"}
    wait_until(lambda: FitConnectSubmission.objects.filter(case=case, state__in=("submitted", "accepted")).exists(),
               timeout=TIMEOUT, interval=0.3, message=f"submission sent; worker log:\n{worker.log()}")
    return FitConnectSubmission.objects.get(case=case)


def _answered(case: Case, *, status: str, worker) -> CaseAttachment:
    """Wait for the accept (status) and the reply (a message with one PDF), both applied by the worker."""
    def done():
        case.refresh_from_db()
        return case.status == status and CaseAttachment.objects.filter(message__case=case).exists()
    wait_until(done, timeout=TIMEOUT, interval=0.3, message=f"accept and reply; worker log:\n{worker.log()}")
    return CaseAttachment.objects.get(message__case=case)


def _mails_to(smtp_server, reference: str, count: int, *, including: tuple[str, ...] = ()) -> list[str]:
    """Subjects of the mails the SMTP server received for the case: waits for `count` of them
    and for every subject in `including` (the outbox sends them in no fixed order)."""
    def subjects():
        found = [str(m.message["Subject"]) for m in smtp_server.messages
                 if ERIKA_MAIL in m.rcpt_tos and reference in str(m.message["Subject"])]
        return found if len(found) >= count and set(including) <= set(found) else None
    return sorted(wait_until(subjects, timeout=TIMEOUT, interval=0.3,
                             message=f"{count} mails about {reference}, including {including}"))


def _pdf(document: CaseAttachment) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _konto_shows(citizen: Client, case: Case, document: CaseAttachment, title: str) -> None:
    """The account lists the case with its document, downloadable by the owner only."""
    html = citizen.get("/konto/").content.decode()
    url = f"/konto/vorgaenge/{case.reference}/dateien/{document.pk}/"
    assert case.reference in html
    assert f'<a href="{url}" download>{title}.pdf</a>' in html
    download = citizen.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == _pdf(document)
    other = get_user_model().objects.create_user(username="otto", email="otto@example.org")
    stranger = Client()
    login_as(stranger, other, level="hoch", claims={"given_name": "Otto", "family_name": "Normal"})
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: to the login


def test_meldebescheinigung_paid_delivered_accepted_and_issued_as_pdf(
        ozg_delivery, worker, fitconnect_subscriber, smtp_server, office, erika):  # noqa: F811
    citizen = _citizen(erika, "substanziell")
    assert citizen.get("/meldebescheinigung/").status_code == 200
    response = citizen.post("/meldebescheinigung/", {
        "kind": "einfach", "for_whom": "ich", "purpose": "Vorlage beim Arbeitgeber", "delivery": "konto",
        "declaration": "on", "submission_key": "e2e-mb-1", "_submit": "1"})
    assert response.status_code == 303
    payment = Payment.objects.get()
    assert response["Location"] == f"/bezahlen/test/{payment.token}/"
    assert Case.objects.count() == 0  # payment first
    paid = citizen.post(response["Location"], {"action": "bezahlen"})
    assert paid.status_code == 303
    case = Case.objects.get()  # filed on the payment's commit
    receipt = citizen.get(paid["Location"])
    assert receipt.status_code == 303 and receipt["Location"] == f"/meldebescheinigung/gesendet/{case.tracking_token}/"
    assert case.reference in citizen.get(receipt["Location"]).content.decode()
    assert (case.service, case.department, case.owner) == ("meldebescheinigung", office.buergeramt, erika)

    submission = _delivered(case, worker)
    assert str(submission.destination_id) == ozg_delivery.destination_id
    document = _answered(case, status="issued", worker=worker)

    case.refresh_from_db()
    assert case.closed_at is not None
    submission.refresh_from_db()
    assert submission.state == "accepted"
    assert FitConnectReply.objects.get(submission=submission).state == "accepted"
    assert sorted(CaseMessage.objects.filter(case=case, direction=CaseMessage.Direction.TO_CITIZEN)
                  .values_list("body", flat=True)) == [
        "Die zuständige Stelle hat Ihnen ein Dokument geschickt: Meldebescheinigung. Sie finden es im Anhang "
        "dieser Nachricht.",
        "Die zuständige Stelle hat Ihren Antrag erhalten und angenommen."]
    assert (document.original_name, document.content_type) == ("Meldebescheinigung.pdf", "application/pdf")
    pdf = _pdf(document)
    assert pdf.startswith(b"%PDF-") and b"Meldebescheinigung" in pdf and b"Erika Mustermann" in pdf
    assert b"Markt 1" in pdf and str(submission.remote_case_id).encode() in pdf

    _konto_shows(citizen, case, document, "Meldebescheinigung")
    message = f"Neue Nachricht zu Ihrem Vorgang {case.reference}"
    subjects = _mails_to(smtp_server, case.reference, 2, including=(message,))
    assert message in subjects
    assert any(s.startswith(f"Ihr Vorgang {case.reference}: ") for s in subjects)


def test_abmeldung_ins_ausland_at_level_hoch_confirmed_with_pdf(
        ozg_delivery, worker, fitconnect_subscriber, smtp_server, office, erika):  # noqa: F811
    citizen = _citizen(erika, "substanziell")
    assert citizen.get("/abmeldung-ausland/")["Location"].startswith("/konto/anmelden/?stufe=hoch")
    citizen = _citizen(erika, "hoch")
    assert citizen.get("/abmeldung-ausland/").status_code == 200
    data = {"move_date": (timezone.localdate() + timedelta(days=3)).strftime("%d.%m.%Y"),
            "new_street": "Praterstraße 1", "new_postcode": "1020", "new_city": "Wien", "new_country": "AT",
            "declaration": "on", "submission_key": "e2e-ab-1", "_submit": "1"}
    for group, most in (("members", 10), ("documents", 12)):
        data.update({f"{group}-TOTAL_FORMS": "0", f"{group}-INITIAL_FORMS": "0", f"{group}-MIN_NUM_FORMS": "0",
                     f"{group}-MAX_NUM_FORMS": str(most)})
    response = citizen.post("/abmeldung-ausland/", data)
    assert response.status_code == 303
    case = Case.objects.get()
    assert response["Location"] == f"/abmeldung-ausland/gesendet/{case.tracking_token}/"
    assert (case.service, case.department, case.owner) == ("abmeldung", office.buergeramt, erika)

    submission = _delivered(case, worker)
    document = _answered(case, status="confirmed", worker=worker)
    submission.refresh_from_db()
    assert submission.state == "accepted"
    assert (document.original_name, document.content_type) == ("Abmeldebestätigung.pdf", "application/pdf")
    pdf = _pdf(document)
    assert pdf.startswith(b"%PDF-") and b"Abmeldebest\xe4tigung" in pdf and b"Erika Mustermann" in pdf

    _konto_shows(citizen, case, document, "Abmeldebestätigung")
    message = f"Neue Nachricht zu Ihrem Vorgang {case.reference}"
    subjects = _mails_to(smtp_server, case.reference, 2, including=(message,))
    assert message in subjects


def test_a_rejected_meldebescheinigung_reaches_the_citizen(ozg_delivery, worker, smtp_server, office, erika):  # noqa: F811
    """No reference subscriber here: the test is the specialist system and rejects."""
    citizen = _citizen(erika, "substanziell")
    location = citizen.post("/meldebescheinigung/", {
        "kind": "erweitert", "for_whom": "ich", "delivery": "konto", "declaration": "on",
        "submission_key": "e2e-mb-2", "_submit": "1"})["Location"]
    citizen.get(citizen.post(location, {"action": "bezahlen"})["Location"])
    case = Case.objects.get()
    submission = _delivered(case, worker)

    server = ozg_delivery
    fachverfahren = Subscriber(SimpleNamespace(url=server.base_url, api_url=server.api_url, config=server.config))
    problem = {"type": "https://schema.fitko.de/fit-connect/events/problems/missing-authentication",
               "title": "Person im Melderegister nicht gefunden", "detail": "Keine Person mit diesen Angaben.",
               "instance": "data"}
    answer = fachverfahren.answer(submission_id=str(submission.submission_id), case_id=str(submission.remote_case_id),
                                  event="reject-submission", payload={"problems": [problem]})
    assert answer.status_code == 204, answer.text

    def rejected():
        case.refresh_from_db()
        return case.status == "rejected"
    wait_until(rejected, timeout=TIMEOUT, interval=0.3, message=f"rejection applied; worker log:\n{worker.log()}")
    submission.refresh_from_db()
    assert submission.state == "rejected"
    [message] = CaseMessage.objects.filter(case=case, direction=CaseMessage.Direction.TO_CITIZEN)
    assert message.body == ("Die zuständige Stelle konnte Ihren Antrag nicht annehmen. Grund: Person im Melderegister "
                            "nicht gefunden. Wir melden uns bei Ihnen, wie es weitergeht.")
    change = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STATUS, to_status="rejected")
    assert change.note_internal == "FIT-Connect: vom Fachverfahren abgelehnt (Person im Melderegister nicht gefunden)."
    assert not CaseAttachment.objects.filter(message__case=case).exists()
    html = citizen.get("/konto/").content.decode()
    assert case.reference in html
    assert any(s.startswith(f"Ihr Vorgang {case.reference}: ") for s in _mails_to(smtp_server, case.reference, 1))
