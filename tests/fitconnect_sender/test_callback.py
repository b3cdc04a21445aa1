"""The Zustelldienst's callback: HMAC and timestamp are checked, then the event log is read."""
import hashlib
import hmac
import json
import time

import pytest

from cases.services import case_create
from fitconnect_sender.models import FitConnectSubmission
from tests.cases.conftest import PDF, upload

from .conftest import CALLBACK_SECRET

pytestmark = pytest.mark.django_db

URL = "/fitconnect/callback/"


def _post(client, body: bytes, *, timestamp=None, secret=CALLBACK_SECRET, signature=None, **headers):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    if signature is None:
        signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha512).hexdigest()
    return client.post(URL, data=body, content_type="application/json",
                       headers={"callback-timestamp": timestamp, "callback-authentication": signature, **headers})


@pytest.fixture
def submitted(fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, _created = case_create(service="anliegen", department=registry_office, data={"a": "b"},
                                     attachments=[upload("n.pdf", PDF)])
    submission = FitConnectSubmission.objects.get(case=case)
    assert subscriber.answer(submission_id=str(submission.submission_id), case_id=str(submission.remote_case_id),
                             event="accept-submission").status_code == 204
    return submission


def _body(submission) -> bytes:
    return json.dumps({"type": "https://schema.fitko.de/fit-connect/submission-api/callbacks/new-events",
                       "submissionIds": [str(submission.submission_id)]}).encode()


def test_a_signed_fresh_callback_reads_the_event_log(client, submitted):
    response = _post(client, _body(submitted))
    assert response.status_code == 202
    submitted.refresh_from_db()
    assert submitted.state == "accepted"


@pytest.mark.parametrize(("kwargs", "status", "detail"), [
    ({"secret": "x" * 40}, 401, "Die Signatur der Rückmeldung stimmt nicht."),
    ({"signature": "00"}, 401, "Die Signatur der Rückmeldung stimmt nicht."),
    ({"timestamp": int(time.time()) - 301}, 400, "Die Rückmeldung ist zu alt (höchstens 300 Sekunden)."),
    ({"timestamp": "gestern"}, 400, "Der Zeitstempel der Rückmeldung ist keine ganze Zahl."),
])
def test_a_tampered_or_stale_callback_is_refused_and_changes_nothing(client, submitted, kwargs, status, detail):
    response = _post(client, _body(submitted), **kwargs)
    assert response.status_code == status
    assert response.json() == {"detail": detail}
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_a_callback_without_headers_is_refused_in_english_too(client, submitted):
    response = client.post(URL, data=_body(submitted), content_type="application/json",
                           headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.json() == {"detail": "The headers callback-authentication and callback-timestamp are required."}


def test_a_signed_callback_that_is_no_json_is_refused(client, submitted):
    response = _post(client, b"kein json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Der Inhalt der Rückmeldung ist kein JSON."}
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_without_a_callback_secret_there_is_no_callback(client, settings, fitconnect_settings):
    settings.FITCONNECT = {**fitconnect_settings, "CALLBACK_SECRET": ""}
    assert _post(client, b"{}").status_code == 404
    assert client.get(URL).status_code == 405
