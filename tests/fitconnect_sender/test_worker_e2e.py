"""End to end with real processes: a Celery worker sends a new case through the local
Zustelldienst; the PyPI `fitconnect` SDK, as the subscriber, decrypts what our sender made;
the answer comes back through the beat task that reads the event log."""
import json
import time

import pytest
from fitconnect import Environment, FITConnectClient

from cases.services import case_create
from fitconnect_sender.models import FitConnectSubmission
from fitconnect_sender.tasks import events_poll_task
from tests.cases.conftest import PDF, upload

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
