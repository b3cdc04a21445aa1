"""End to end with real processes: a Celery worker sends a new case through the local
Zustelldienst; the PyPI `fitconnect` SDK, as the subscriber, decrypts what our sender made;
the answer comes back through the beat task that reads the event log. And the whole way with
the reference subscriber process: filed → delivered → accepted → a PDF reply in the case's
messages for the citizen."""
import dataclasses
import json
import time

import pytest
from fitconnect import Environment, FITConnectClient

from cases.models import CaseAttachment, CaseMessage
from cases.services import case_create
from cases.types import case_type_get
from fitconnect_sender.models import FitConnectReply, FitConnectSubmission
from fitconnect_sender.tasks import events_poll_task, replies_poll_task
from portal import hooks
from tests.cases.conftest import PDF, upload
from tests.fitconnect_dev.fixtures import process_stop, subscriber_process_start

FORM = {"given_name": "Erika", "family_name": "Mustermann", "purpose": "Arbeitgeber"}


def _wait_for(predicate, *, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return True


@pytest.mark.django_db(transaction=True)
def test_worker_sends_and_the_sdk_decrypts(fitconnect_settings, fitconnect_server, registry_office, subscriber,
                                           celery_worker):
    case, _created = case_create(service="anliegen", department=registry_office, data=FORM,
                                 form_version="anliegen@1", attachments=[upload("nachweis.pdf", PDF)])
    assert _wait_for(lambda: FitConnectSubmission.objects.get(case=case).state == "submitted"), celery_worker.log()
    submission = FitConnectSubmission.objects.get(case=case)

    # The SDK as the specialist system, its URLs pointed at the test server.
    config = fitconnect_server.config
    client = FITConnectClient(Environment.TESTING, config["subscriber"]["clientId"],
                                  config["subscriber"]["clientSecret"])
    client.token_url, client.submission_api_url = f"{fitconnect_server.url}/token", fitconnect_server.api_url
    private = json.loads(open(config["destinationKeysFile"]).read())["encryption"]
    received = client.retrieve_submission(str(submission.submission_id), private)
    assert received["data_json"] == FORM  # data hash, metadata schema and attachment hashes verified by the SDK
    assert list(received["attachments"].values()) == [PDF]
    assert received["metadata"]["publicServiceType"]["identifier"] == "urn:de:fim:leika:leistung:99115004000000"

    assert subscriber.answer(submission_id=str(submission.submission_id), case_id=str(submission.remote_case_id),
                             event="accept-submission").status_code == 204
    assert events_poll_task() == 1
    submission.refresh_from_db()
    assert submission.state == "accepted"
    assert case.messages.get().body == "Die zuständige Stelle hat Ihren Antrag erhalten und angenommen."


@pytest.fixture
def accepting_case_type():
    """A throwaway case type for this test (the general request's, in front of the real one):
    the specialist system's accept moves a case to in_progress. Only the test process knows it:
    the worker sends, the test process plays beat and applies the answers."""
    probe = dataclasses.replace(case_type_get("anliegen"), accepted_status="in_progress", rejected_status="done")
    with hooks.register_temporarily("register_case_type", lambda: probe, order=-100):
        yield probe


@pytest.fixture
def reference_subscriber(fitconnect_server):
    """The reference subscriber (fitconnect_dev) as its own process on the test server."""
    process = subscriber_process_start(fitconnect_server.state, fitconnect_server.url,
                                       log_path=fitconnect_server.state / "e2e-subscriber.log")
    yield process
    process_stop(process)


@pytest.mark.django_db(transaction=True)
def test_filed_delivered_accepted_and_answered_with_a_pdf(
        fitconnect_settings, registry_office, accepting_case_type, celery_worker, reference_subscriber):
    case, _created = case_create(service="anliegen", department=registry_office, data=FORM,
                                 form_version="anliegen@1", contact_email="erika@example.org")
    assert _wait_for(lambda: FitConnectSubmission.objects.get(case=case).state == "submitted"), celery_worker.log()

    # Beat's two jobs, run here until the subscriber process has answered and replied.
    assert _wait_for(lambda: events_poll_task() == 1 or FitConnectSubmission.objects.get(case=case).state
                     == "accepted")
    assert _wait_for(lambda: replies_poll_task() == 1 or FitConnectReply.objects.filter(
        submission__case=case).exists())

    case.refresh_from_db()
    assert case.status == "in_progress"  # CaseType.accepted_status
    bodies = [m.body for m in CaseMessage.objects.filter(case=case, direction=CaseMessage.Direction.TO_CITIZEN)]
    assert sorted(bodies) == [  # accept and reply may arrive in either order
        "Die zuständige Stelle hat Ihnen ein Dokument geschickt: Meldebescheinigung. Sie finden es im Anhang "
        "dieser Nachricht.",
        "Die zuständige Stelle hat Ihren Antrag erhalten und angenommen."]
    [document] = CaseAttachment.objects.filter(message__case=case)
    assert (document.original_name, document.content_type) == ("Meldebescheinigung.pdf", "application/pdf")
    with document.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-") and b"Mustermann" in pdf
    assert FitConnectReply.objects.get(submission__case=case).state == "accepted"
