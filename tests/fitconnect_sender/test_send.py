"""Sending a case through the real local Zustelldienst, step by step, and what comes back.

Every test talks to the `fitconnect_dev` server subprocess; the test plays the specialist
system (`subscriber`: decrypts with the destination's private key, signs accept/reject).
"""
import hashlib
import json

import pytest
import requests

from cases.models import CaseEvent, CaseMessage
from cases.services import case_create
from fitconnect_sender import services
from fitconnect_sender.client import SubmissionApiClient, TransientError
from fitconnect_sender.metadata import METADATA_SCHEMA_URI, metadata_validate
from fitconnect_sender.models import FitConnectAttempt, FitConnectSubmission
from tests.cases.conftest import PDF, upload

pytestmark = pytest.mark.django_db

FORM = {"topic": "ordnung", "description": "Bitte eine Meldebescheinigung.", "given_name": "Erika",
        "family_name": "Mustermann"}


def _file(registry_office, capture, **extra):
    with capture(execute=True):
        case, _created = case_create(service="anliegen", department=registry_office, title="Meldebescheinigung",
                                     data=FORM, form_version="anliegen@3", contact_email="erika@example.org",
                                     attachments=[upload("nachweis.pdf", PDF)], **extra)
    return case


def _events(subscriber, case_id) -> list[dict]:
    from fitconnect_dev import crypto as dev_crypto

    log = subscriber.get(f"/cases/{case_id}/events").json()["eventLog"]
    return [dev_crypto.set_parse(token)[1] for token in log]


def test_a_case_travels_encrypted_with_valid_metadata_and_hashes(
        fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks):
    case = _file(registry_office, django_capture_on_commit_callbacks)

    submission = FitConnectSubmission.objects.get(case=case)
    assert submission.state == FitConnectSubmission.State.SUBMITTED
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DELIVERY, details={"route": "fitconnect"}).exists()
    remote = subscriber.get(f"/submissions/{submission.submission_id}")
    assert remote.status_code == 200
    body = remote.json()
    assert body["caseId"] == str(submission.remote_case_id)
    assert body["serviceType"]["identifier"] == "urn:de:fim:leika:leistung:99115004000000"

    data = subscriber.decrypt(body["encryptedData"])
    metadata = json.loads(subscriber.decrypt(body["encryptedMetadata"]))
    assert json.loads(data) == FORM
    assert metadata_validate(metadata)["$schema"] == METADATA_SCHEMA_URI
    content = metadata["contentStructure"]
    assert content["data"]["hash"] == {"type": "sha512", "content": hashlib.sha512(data).hexdigest()}
    assert content["data"]["submissionSchema"] == {"schemaUri": "urn:de:stadtmelder:form:anliegen:3",
                                                   "mimeType": "application/json"}
    assert metadata["additionalReferenceInfo"]["senderReference"] == case.reference
    [attachment] = content["attachments"]
    assert attachment["attachmentId"] == next(iter(submission.announced_attachments.values()))
    assert (attachment["mimeType"], attachment["filename"], attachment["purpose"]) == (
        "application/pdf", "nachweis.pdf", "attachment")
    encrypted = subscriber.get(f"/submissions/{submission.submission_id}/attachments/{attachment['attachmentId']}")
    assert subscriber.decrypt(encrypted.text) == PDF
    assert attachment["hash"]["content"] == hashlib.sha512(PDF).hexdigest()
    assert [a.step for a in submission.attempt_log.all()] == ["create", "attachment", "submit"]


def _reject_payload() -> dict:
    return {"problems": [{"type": "https://schema.fitko.de/fit-connect/events/problems/missing-data",
                          "title": "Angaben fehlen", "detail": "x", "instance": "data"}]}


def test_accept_and_reject_from_the_event_log_set_the_case_types_statuses_once(
        fitconnect_settings, registry_office, subscriber, route_case_type, django_capture_on_commit_callbacks):
    accepted_case = _file(registry_office, django_capture_on_commit_callbacks)
    rejected_case = _file(registry_office, django_capture_on_commit_callbacks)
    accepted_case.refresh_from_db()
    assert accepted_case.status == "in_progress"  # CaseType.delivered_status on submit
    assert CaseEvent.objects.filter(case=accepted_case, kind=CaseEvent.Kind.STATUS, to_status="in_progress").exists()
    first = FitConnectSubmission.objects.get(case=accepted_case)
    second = FitConnectSubmission.objects.get(case=rejected_case)
    assert subscriber.answer(submission_id=str(first.submission_id), case_id=str(first.remote_case_id),
                             event="accept-submission").status_code == 204
    assert subscriber.answer(submission_id=str(second.submission_id), case_id=str(second.remote_case_id),
                             event="reject-submission", payload=_reject_payload()).status_code == 204

    assert services.events_apply(pk=first.pk) == 1
    assert services.events_apply(pk=first.pk) == 0  # applied once
    assert services.events_apply(pk=second.pk) == 1

    accepted_case.refresh_from_db()
    rejected_case.refresh_from_db()
    assert accepted_case.status == "waiting"  # CaseType.accepted_status
    assert rejected_case.status == "done"  # CaseType.rejected_status
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("accepted", "rejected")
    [message] = CaseMessage.objects.filter(case=accepted_case, direction=CaseMessage.Direction.TO_CITIZEN)
    assert message.body == "Die zuständige Stelle hat Ihren Antrag erhalten und angenommen."
    assert CaseEvent.objects.filter(case=rejected_case, kind=CaseEvent.Kind.STATUS, to_status="done",
                                    note_internal="FIT-Connect: vom Fachverfahren abgelehnt (Angaben fehlen).").exists()


def test_a_status_the_workflow_does_not_allow_is_not_forced_but_noted(
        fitconnect_settings, registry_office, subscriber, route_case_type, django_capture_on_commit_callbacks):
    from cases.services import case_status_change

    case = _file(registry_office, django_capture_on_commit_callbacks)
    case_status_change(case=case, status="done", note_internal="vom Sachbearbeiter erledigt")
    submission = FitConnectSubmission.objects.get(case=case)
    assert subscriber.answer(submission_id=str(submission.submission_id), case_id=str(submission.remote_case_id),
                             event="accept-submission").status_code == 204

    assert services.events_apply(pk=submission.pk) == 1
    case.refresh_from_db()
    assert case.status == "done"  # "waiting" is no transition from "done": the clerk is not overruled
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS, to_status="waiting").exists()
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE,
                                    note_internal="FIT-Connect: vom Fachverfahren angenommen.").exists()


def test_a_case_type_without_route_statuses_keeps_its_status(
        fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks):
    case = _file(registry_office, django_capture_on_commit_callbacks)
    submission = FitConnectSubmission.objects.get(case=case)
    assert subscriber.answer(submission_id=str(submission.submission_id), case_id=str(submission.remote_case_id),
                             event="accept-submission").status_code == 204
    assert services.events_apply(pk=submission.pk) == 1
    case.refresh_from_db()
    assert case.status == "new"
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS).exists()
    assert case.messages.get().body == "Die zuständige Stelle hat Ihren Antrag erhalten und angenommen."


def test_an_event_signed_with_a_foreign_key_is_not_applied(
        fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks):
    from fitconnect_dev import crypto as dev_crypto

    case = _file(registry_office, django_capture_on_commit_callbacks)
    submission = FitConnectSubmission.objects.get(case=case)
    forged_key, _private = dev_crypto.public_jwk_with_chain(private_key=dev_crypto.rsa_key_new(2048), chain=[],
                                                           usage="signature")
    forged = dev_crypto.set_sign(private_jwk={**_private, "kid": subscriber.signature["kid"]},
                                 issuer=str(submission.destination_id),
                                 subject=f"submission:{submission.submission_id}",
                                 txn=f"case:{submission.remote_case_id}", event="accept-submission")
    client = SubmissionApiClient.from_settings()
    client.events_get = lambda case_id: [forged]

    assert services.events_apply(pk=submission.pk, client=client) == 0
    submission.refresh_from_db()
    assert submission.state == "submitted"
    assert submission.attempt_log.filter(step="event", outcome="failed",
                                         detail__startswith="signature does not verify").count() == 1


def test_a_key_whose_chain_does_not_verify_sends_nothing_and_notes_the_case(
        fitconnect_settings, settings, registry_office, tmp_path, django_capture_on_commit_callbacks):
    from cryptography.hazmat.primitives import serialization

    from fitconnect_dev import crypto as dev_crypto

    _key, other_ca = dev_crypto.ca_create(common_name="Fremde CA")
    (tmp_path / "other-ca.pem").write_bytes(other_ca.public_bytes(serialization.Encoding.PEM))
    settings.FITCONNECT = {**fitconnect_settings, "TRUSTED_CA_FILE": str(tmp_path / "other-ca.pem")}

    case = _file(registry_office, django_capture_on_commit_callbacks)

    submission = FitConnectSubmission.objects.get(case=case)
    assert submission.state == FitConnectSubmission.State.FAILED
    assert submission.submission_id is None  # nothing created at the Zustelldienst
    [attempt] = submission.attempt_log.all()
    assert (attempt.step, attempt.outcome) == ("key", FitConnectAttempt.Outcome.FAILED)
    assert attempt.detail.startswith("certificate chain does not verify")
    note = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.NOTE)
    assert note.note_internal.startswith("FIT-Connect: Der Antrag wurde nicht an das Fachverfahren übermittelt "
                                         "(Schritt „key“: certificate chain does not verify")
    # Given up for good: a new run does nothing.
    assert services.submission_send(pk=submission.pk) == "done"


class _LosesAnswers(SubmissionApiClient):
    """The real client, but the network drops the answer of the chosen call once."""

    lose = ""

    def submission_submit(self, **kwargs):
        result = super().submission_submit(**kwargs)
        if self.lose == "submit":
            self.lose = ""
            raise TransientError("PUT submission: connection reset")
        return result

    def attachment_upload(self, **kwargs):
        if self.lose == "upload":
            self.lose = ""
            raise TransientError("PUT attachment: connection reset")
        return super().attachment_upload(**kwargs)


@pytest.mark.parametrize("lose", ["upload", "submit"])
def test_a_failure_between_create_and_submit_resumes_without_a_second_submission(
        fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks, lose):
    with django_capture_on_commit_callbacks(execute=False):
        case, _created = case_create(service="anliegen", department=registry_office, data=FORM,
                                     attachments=[upload("nachweis.pdf", PDF)])
    submission = FitConnectSubmission.objects.get(case=case)
    flaky = _LosesAnswers.from_settings()
    flaky.lose = lose

    with pytest.raises(TransientError):
        services.submission_send(pk=submission.pk, client=flaky)
    submission.refresh_from_db()
    assert submission.state == FitConnectSubmission.State.CREATED
    created_id = submission.submission_id
    assert submission.attempt_log.filter(outcome="retry").count() == 1

    assert services.submission_send(pk=submission.pk) == "sent"

    submission.refresh_from_db()
    assert (submission.state, submission.submission_id, submission.attempts) == ("submitted", created_id, 2)
    events = _events(subscriber, submission.remote_case_id)
    kinds = [next(iter(e["events"])).rsplit("/", 1)[1] for e in events]
    assert kinds == ["create-submission", "submit-submission"]
    assert {e["sub"] for e in events} == {f"submission:{created_id}"}


def test_an_unreachable_zustelldienst_is_retried_and_logged(
        fitconnect_settings, settings, registry_office, django_capture_on_commit_callbacks):
    settings.FITCONNECT = {**fitconnect_settings, "SUBMISSION_API_URL": "http://127.0.0.1:9/v1",
                           "TOKEN_URL": "http://127.0.0.1:9/token"}
    with django_capture_on_commit_callbacks(execute=False):
        case, _created = case_create(service="anliegen", department=registry_office, data=FORM)
    submission = FitConnectSubmission.objects.get(case=case)

    with pytest.raises(TransientError, match="token endpoint unreachable"):
        services.submission_send(pk=submission.pk)
    submission.refresh_from_db()
    assert (submission.state, submission.attempts) == ("pending", 1)
    assert submission.attempt_log.get().outcome == "retry"


def test_a_department_without_destination_keeps_the_case_in_the_back_office(
        fitconnect_settings, registry_office, django_capture_on_commit_callbacks):
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(slug="ordnungsamt")
    with django_capture_on_commit_callbacks(execute=True):
        case, _created = case_create(service="anliegen", department=other, data=FORM)
    assert not FitConnectSubmission.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DELIVERY).exists()


def test_the_token_endpoint_refuses_wrong_credentials(fitconnect_settings, fitconnect_server):
    from fitconnect_sender.client import PermanentError

    client = SubmissionApiClient(token_url=f"{fitconnect_server.url}/token", api_url=fitconnect_server.api_url,
                                 client_id="nobody", client_secret="wrong")
    with pytest.raises(PermanentError, match="token refused"):
        client.destination_get(fitconnect_server.config["destinationId"])
    assert requests.get(f"{fitconnect_server.url}/.well-known/jwks.json", timeout=5).status_code == 200
