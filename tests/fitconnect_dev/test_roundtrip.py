"""End to end with real processes: a sender submits, the reference subscriber decides and replies.

The server and the subscriber run as subprocesses (fixtures in ``fixtures.py``); the sender is
the test-side jwcrypto sender. Every SET in the event log is verified: the server's with its
published JWKS, the subscriber's with the destination's signature key, whose certificate chain
ends at the test CA.
"""

import base64
import json
import sqlite3

import requests
from cryptography import x509

from fitconnect_dev import crypto, spec
from tests.fitconnect_dev.fixtures import process_stop, subscriber_process_start, wait_until
from tests.fitconnect_dev.sender import TestSender

PERSON = {"antragsteller": {"vorname": "Erika", "familienname": "Mustermann", "geburtsdatum": "1964-08-12",
                            "anschrift": {"strasse": "Heidestraße 17", "plz": "51147", "ort": "Köln"}},
          "art": "einfach", "zweck": "Wohnungsgeber"}


def _event_names(log):
    return [next(iter(crypto.set_parse(token)[1]["events"])).removeprefix(spec.EVENT_PREFIX) for token in log]


def _decided(sender, case_id):
    log = sender.events(case_id)
    return log if {"accept-submission", "reject-submission"} & set(_event_names(log)) else None


def _verify_log(server, log):
    """Verify every SET of a case's log; returns the claims."""
    server_key = requests.get(server.base_url + "/.well-known/jwks.json", timeout=10).json()["keys"][0]
    claims = []
    for token in log:
        header, unverified = crypto.set_parse(token)
        if unverified["iss"] == server.base_url:
            claims.append(crypto.set_verify(token, server_key))
            continue
        assert unverified["iss"] == server.destination_id
        key = requests.get(f"{server.api_url}/destinations/{server.destination_id}/keys/{header['kid']}",
                           timeout=10).json()
        leaf, root = (x509.load_der_x509_certificate(base64.b64decode(c)) for c in key["x5c"])
        assert root == x509.load_pem_x509_certificate(server.ca_path.read_bytes())
        assert leaf.issuer == root.subject
        claims.append(crypto.set_verify(token, key))
    return claims


def test_meldebescheinigung_round_trip(fitconnect_server, fitconnect_subscriber):
    sender = TestSender(fitconnect_server)
    created = sender.send(PERSON, attachments=[b"%PDF-1.4 Vollmacht"], service_index=0)

    log = wait_until(lambda: _decided(sender, created["caseId"]), message="the subscriber's decision")
    # The subscriber may have started its reply already (create-reply follows the accept).
    assert _event_names(log)[:3] == ["create-submission", "submit-submission", "accept-submission"]
    claims = _verify_log(fitconnect_server, log)
    assert claims[2]["sub"] == f"submission:{created['submissionId']}"
    assert claims[2]["events"] == {spec.event_uri("accept-submission"): {}}

    def reply_listed():
        replies = sender.call("GET", "/replies", params={"limit": 500}).json()["replies"]
        return [r for r in replies if r["submissionId"] == created["submissionId"]]

    (reply,) = wait_until(reply_listed, message="the reply")
    body = sender.call("GET", f"/replies/{reply['replyId']}").json()
    private = sender.private_reply_key()
    metadata = json.loads(crypto.jwe_decrypt(body["encryptedMetadata"], private))
    data_bytes = crypto.jwe_decrypt(body["encryptedData"], private)
    assert metadata["contentStructure"]["data"]["hash"]["content"] == crypto.sha512_hex(data_bytes)
    data = json.loads(data_bytes)
    assert data["dokument"] == "Meldebescheinigung" and data["person"]["name"] == "Erika Mustermann"
    (attachment,) = metadata["contentStructure"]["attachments"]
    assert attachment["mimeType"] == "application/pdf" and body["attachments"] == [attachment["attachmentId"]]
    pdf = crypto.jwe_decrypt(sender.call("GET", f"/replies/{reply['replyId']}/attachments/"
                                                f"{attachment['attachmentId']}").text, private)
    assert pdf.startswith(b"%PDF-") and crypto.sha512_hex(pdf) == attachment["hash"]["content"]
    assert b"Erika Mustermann" in pdf and b"Meldebescheinigung" in pdf
    assert _event_names(sender.events(created["caseId"]))[-2:] == ["create-reply", "submit-reply"]


def test_abmeldung_gets_an_abmeldebestaetigung(fitconnect_server, fitconnect_subscriber):
    sender = TestSender(fitconnect_server)
    created = sender.send({"person": {"vorname": "Ali", "nachname": "Yilmaz"}, "zielland": "FR"}, service_index=1)

    def reply():
        replies = sender.call("GET", "/replies", params={"limit": 500}).json()["replies"]
        return [r for r in replies if r["submissionId"] == created["submissionId"]]

    (listed,) = wait_until(reply, message="the reply")
    body = sender.call("GET", f"/replies/{listed['replyId']}").json()
    data = json.loads(crypto.jwe_decrypt(body["encryptedData"], sender.private_reply_key()))
    assert data["dokument"] == "Abmeldebestätigung" and data["person"]["name"] == "Ali Yilmaz"


def test_bad_hash_is_rejected_with_a_problem_and_no_reply(fitconnect_server, fitconnect_subscriber):
    sender = TestSender(fitconnect_server)

    def tamper(metadata):
        metadata["contentStructure"]["data"]["hash"]["content"] = "0" * 128

    created = sender.send(PERSON, tamper=tamper)
    log = wait_until(lambda: _decided(sender, created["caseId"]), message="the subscriber's decision")
    assert _event_names(log) == ["create-submission", "submit-submission", "reject-submission"]
    claims = _verify_log(fitconnect_server, log)
    (problem,) = claims[2]["events"][spec.event_uri("reject-submission")]["problems"]
    assert problem["type"] == spec.EVENT_PROBLEM_PREFIX + "hash-mismatch" and problem["instance"] == "data"
    replies = sender.call("GET", "/replies", params={"limit": 500}).json()["replies"]
    assert created["submissionId"] not in [r["submissionId"] for r in replies]


def test_attachment_hash_and_schema_problems(fitconnect_server, fitconnect_subscriber):
    sender = TestSender(fitconnect_server)

    def wrong_attachment(metadata):
        metadata["contentStructure"]["attachments"][0]["hash"]["content"] = "a" * 128

    def schema(metadata):
        del metadata["contentStructure"]["attachments"]

    first = sender.send(PERSON, attachments=[b"%PDF-1.4 x"], tamper=wrong_attachment)
    second = sender.send(PERSON, tamper=schema)
    for created, name, instance in ((first, "hash-mismatch", None), (second, "schema-violation", "metadata")):
        log = wait_until(lambda c=created: _decided(sender, c["caseId"]), message="the decision")
        problems = crypto.set_parse(log[-1])[1]["events"][spec.event_uri("reject-submission")]["problems"]
        assert [p["type"] for p in problems] == [spec.EVENT_PROBLEM_PREFIX + name]
        if instance:
            assert problems[0]["instance"] == instance
        else:
            assert problems[0]["instance"].startswith("attachment:")


def test_subscriber_survives_server_restart_and_handles_each_submission_once(fitconnect_server):
    state = fitconnect_server.state_dir
    subscriber = subscriber_process_start(state, fitconnect_server.base_url)
    try:
        sender = TestSender(fitconnect_server)
        fitconnect_server.restart()  # the subscriber keeps running against a restarted server
        created = sender.send(PERSON, reply=False)
        wait_until(lambda: _decided(sender, created["caseId"]), message="decision after the restart")
    finally:
        process_stop(subscriber)
    # A second subscriber process over the same state finds nothing left to do for it.
    again = subscriber_process_start(state, fitconnect_server.base_url)
    try:
        marker = TestSender(fitconnect_server).send(PERSON, reply=False)
        wait_until(lambda: _decided(sender, marker["caseId"]), message="the next decision")
    finally:
        process_stop(again)
    assert _event_names(sender.events(created["caseId"])).count("accept-submission") == 1
    with sqlite3.connect(state / "subscriber.sqlite3") as db:
        rows = db.execute("SELECT decision, event_posted, reply_done FROM handled WHERE submission_id = ?",
                          (created["submissionId"],)).fetchall()
    assert rows == [("accepted", 1, 1)]


def test_unusable_reply_key_means_accept_without_reply_and_the_next_submission_goes_on(
        fitconnect_server, fitconnect_subscriber):
    sender = TestSender(fitconnect_server)

    def broken_key(metadata):
        metadata["replyChannel"]["fitConnect"]["encryptionPublicKey"] = {"kty": "RSA", "n": "kaputt", "e": "AQAB"}

    broken = sender.send(PERSON, tamper=broken_key)
    fine = sender.send(PERSON)
    for created in (broken, fine):
        log = wait_until(lambda c=created: _decided(sender, c["caseId"]), message="the decision")
        # A quick subscriber may have created its reply already: the accept is there, once.
        assert _event_names(log).count("accept-submission") == 1
        assert "reject-submission" not in _event_names(log)

    def replied():
        replies = sender.call("GET", "/replies", params={"limit": 500}).json()["replies"]
        return {r["submissionId"] for r in replies} & {broken["submissionId"], fine["submissionId"]}

    assert wait_until(replied, message="the reply to the fine submission") == {fine["submissionId"]}
    assert "reply" not in "".join(_event_names(sender.events(broken["caseId"])))
