"""Replies (Rückkanal): the reference subscriber answers through the real local Zustelldienst
with a PDF encrypted for our reply key; the sender turns it into one message to the citizen.

The reference subscriber (`fitconnect_dev.subscriber.Subscriber`) runs one round in this
process against the server subprocess; everything travels over HTTP.
"""
import base64
import json
import uuid

import pytest
import requests

from cases.models import CaseAttachment, CaseEvent, CaseMessage
from cases.services import case_create
from fitconnect_dev import crypto as dev_crypto
from fitconnect_dev.subscriber import Subscriber as ReferenceSubscriber
from fitconnect_sender import replies
from fitconnect_sender.client import SubmissionApiClient
from fitconnect_sender.keys import reply_key_public
from fitconnect_sender.metadata import metadata_validate
from fitconnect_sender.models import FitConnectReply, FitConnectReplyKey, FitConnectSubmission
from fitconnect_sender.tasks import replies_poll_task
from tests.cases.conftest import PDF, upload

pytestmark = pytest.mark.django_db

FORM = {"given_name": "Erika", "family_name": "Mustermann", "purpose": "Arbeitgeber"}


def _file(registry_office, capture):
    with capture(execute=True):
        case, _created = case_create(service="anliegen", department=registry_office, data=FORM,
                                     form_version="anliegen@1", contact_email="erika@example.org",
                                     attachments=[upload("nachweis.pdf", PDF)])
    return FitConnectSubmission.objects.select_related("case").get(case=case)


def _events(subscriber, case_id) -> list[tuple[str, dict]]:
    log = subscriber.get(f"/cases/{case_id}/events").json()["eventLog"]
    return [next(iter(dev_crypto.set_parse(token)[1]["events"].items())) for token in log]


def test_the_metadata_offers_our_public_reply_key_and_it_stays_the_same(
        fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks):
    first = _file(registry_office, django_capture_on_commit_callbacks)
    second = _file(registry_office, django_capture_on_commit_callbacks)

    metadata = [json.loads(subscriber.decrypt(subscriber.get(f"/submissions/{s.submission_id}").json()
                                              ["encryptedMetadata"])) for s in (first, second)]
    assert metadata_validate(metadata[0])
    offered = metadata[0]["replyChannel"]
    assert list(offered) == ["fitConnect"]  # schema 1.0.0: exactly one reply channel
    key = offered["fitConnect"]["encryptionPublicKey"]
    assert key == reply_key_public() == metadata[1]["replyChannel"]["fitConnect"]["encryptionPublicKey"]
    assert (key["kty"], key["alg"], key["key_ops"]) == ("RSA", "RSA-OAEP-256", ["wrapKey"])
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)  # the public half only
    assert len(base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4))) * 8 == 4096
    assert FitConnectReplyKey.objects.filter(use="encryption").count() == 1


def test_a_reply_becomes_one_message_with_the_pdf_and_is_accepted(
        fitconnect_settings, fitconnect_server, registry_office, subscriber, django_capture_on_commit_callbacks):
    submission = _file(registry_office, django_capture_on_commit_callbacks)
    ReferenceSubscriber(fitconnect_server.state, fitconnect_server.url).poll_once()  # accepts and replies

    assert replies_poll_task() == 1
    case = submission.case
    [message] = CaseMessage.objects.filter(case=case, direction=CaseMessage.Direction.TO_CITIZEN)
    assert message.body == ("Die zuständige Stelle hat Ihnen ein Dokument geschickt: Meldebescheinigung. "
                            "Sie finden es im Anhang dieser Nachricht.")
    [document] = CaseAttachment.objects.filter(message=message)
    assert (document.original_name, document.content_type) == ("Meldebescheinigung.pdf", "application/pdf")
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    reply = FitConnectReply.objects.get(submission=submission)
    assert (reply.state, reply.message_id) == ("accepted", message.pk)
    assert reply.answered_at is not None
    assert set(reply.decision["authenticationTags"]) == {"data", "metadata", "attachments"}
    events = dict(_events(subscriber, submission.remote_case_id))
    assert "https://schema.fitko.de/fit-connect/events/accept-reply" in events
    assert subscriber.get(f"/submissions/{submission.submission_id}").status_code == 200

    # Answered: the Zustelldienst lists it no more; a poll changes nothing.
    assert replies_poll_task() == 0
    # Re-delivered (the list repeats a reply we applied): no second message, the decision is
    # posted again and the Zustelldienst's 409 means done.
    ref = {"replyId": str(reply.reply_id), "submissionId": str(submission.submission_id),
           "caseId": str(submission.remote_case_id)}
    FitConnectReply.objects.filter(pk=reply.pk).update(answered_at=None)
    assert replies.reply_apply(ref=ref, client=SubmissionApiClient.from_settings()) == 0
    assert CaseMessage.objects.filter(case=case, direction=CaseMessage.Direction.TO_CITIZEN).count() == 1
    assert FitConnectReply.objects.get(pk=reply.pk).answered_at is not None


def _reply_send(subscriber, submission, *, pdf: bytes, hashed: bytes, key: dict) -> str:
    """A reply as a specialist system sends it, with the attachment hash over `hashed`."""
    attachment_id = str(uuid.uuid4())
    created = subscriber_post(subscriber, "/replies", {"submissionId": str(submission.submission_id),
                                                       "announcedAttachments": [attachment_id]})
    reply_id = created.json()["replyId"]
    data = json.dumps({"dokument": "Meldebescheinigung"}).encode()
    metadata = {"$schema": "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json",
                "contentStructure": {
                    "data": {"hash": {"type": "sha512", "content": dev_crypto.sha512_hex(data)},
                             "submissionSchema": {"schemaUri": "urn:test:antwort:1", "mimeType": "application/json"}},
                    "attachments": [{"attachmentId": attachment_id, "purpose": "report",
                                     "mimeType": "application/pdf", "filename": "Bescheid.pdf",
                                     "hash": {"type": "sha512", "content": dev_crypto.sha512_hex(hashed)}}]}}
    url = f"{subscriber.server.api_url}/replies/{reply_id}"
    assert requests.put(f"{url}/attachments/{attachment_id}", data=dev_crypto.jwe_encrypt(pdf, key),
                        headers={**subscriber.headers, "Content-Type": "application/jose"},
                        timeout=10).status_code == 204
    assert requests.put(url, json={"encryptedData": dev_crypto.jwe_encrypt(data, key),
                                   "encryptedMetadata": dev_crypto.jwe_encrypt(json.dumps(metadata).encode(), key)},
                        headers=subscriber.headers, timeout=10).status_code == 202
    return reply_id


def subscriber_post(subscriber, path: str, body: dict):
    response = requests.post(f"{subscriber.server.api_url}{path}", json=body, headers=subscriber.headers, timeout=10)
    assert response.status_code == 201, response.text
    return response


def test_a_reply_whose_hash_does_not_match_is_rejected_and_noted_not_shown(
        fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks):
    submission = _file(registry_office, django_capture_on_commit_callbacks)
    reply_id = _reply_send(subscriber, submission, pdf=PDF, hashed=PDF + b"x", key=reply_key_public())

    assert replies_poll_task() == 0
    reply = FitConnectReply.objects.get(reply_id=reply_id)
    assert reply.state == "rejected" and reply.answered_at is not None
    assert [p["type"] for p in reply.decision["problems"]] == [
        "https://schema.fitko.de/fit-connect/events/problems/hash-mismatch"]
    assert not CaseMessage.objects.filter(case=submission.case).exists()
    assert CaseEvent.objects.filter(case=submission.case, kind=CaseEvent.Kind.NOTE,
                                    note_internal__startswith="FIT-Connect: Eine Antwort des Fachverfahrens wurde "
                                                              "zurückgewiesen").exists()
    events = dict(_events(subscriber, submission.remote_case_id))
    assert events["https://schema.fitko.de/fit-connect/events/reject-reply"]["problems"][0]["type"].endswith(
        "/hash-mismatch")


def test_a_reply_encrypted_for_another_key_is_rejected(
        fitconnect_settings, registry_office, subscriber, django_capture_on_commit_callbacks):
    submission = _file(registry_office, django_capture_on_commit_callbacks)
    other, _private = dev_crypto.public_jwk_with_chain(private_key=dev_crypto.rsa_key_new(2048), chain=[],
                                                       usage="encryption")
    reply_id = _reply_send(subscriber, submission, pdf=PDF, hashed=PDF, key=other)

    assert replies_poll_task() == 0
    reply = FitConnectReply.objects.get(reply_id=reply_id)
    assert reply.state == "rejected"
    assert reply.decision["problems"][0]["type"].endswith("/encryption-issue")
    assert not CaseMessage.objects.filter(case=submission.case).exists()
