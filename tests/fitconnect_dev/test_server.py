"""The test Zustelldienst's endpoints, each with its exact status codes and problem types."""

import base64
import json
import time
import uuid

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding

from fitconnect_dev import crypto, spec
from tests.fitconnect_dev.fixtures import wait_until
from tests.fitconnect_dev.sender import TestSender

PROBLEM = spec.PROBLEM_PREFIX


def call(server, method, path, *, role="sender", token=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if role:
        headers["Authorization"] = "Bearer " + (token or server.token(role))
    return requests.request(method, server.base_url + path, headers=headers, timeout=30, **kwargs)


def problem_type(response):
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()["type"]


def new_submission(server, *, attachments=0, service_index=0):
    service = server.config["services"][service_index]
    ids = [str(uuid.uuid4()) for _ in range(attachments)]
    response = call(server, "POST", "/v1/submissions", json={
        "destinationId": server.destination_id, "announcedAttachments": ids,
        "serviceType": {"identifier": service["identifier"], "name": service["name"]}})
    assert response.status_code == 201, response.text
    return response.json(), ids


# --- OAuth token endpoint ------------------------------------------------------------------

def test_token_for_sender_and_subscriber(fitconnect_server):
    for role, scope in (("sender", spec.SCOPE_SEND),
                        ("subscriber", spec.scope_subscribe(fitconnect_server.destination_id))):
        client = fitconnect_server.config[role]
        response = requests.post(fitconnect_server.token_url, data={
            "grant_type": "client_credentials", "client_id": client["clientId"],
            "client_secret": client["clientSecret"]}, timeout=10)
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "Bearer" and body["expires_in"] == 1800 and body["scope"] == scope
    client = fitconnect_server.config["sender"]
    basic = requests.post(fitconnect_server.token_url, data={"grant_type": "client_credentials"},
                          auth=(client["clientId"], client["clientSecret"]), timeout=10)
    assert basic.status_code == 200


def test_token_errors(fitconnect_server):
    client = fitconnect_server.config["sender"]
    url = fitconnect_server.token_url
    wrong = requests.post(url, data={"grant_type": "client_credentials", "client_id": client["clientId"],
                                     "client_secret": "falsch"}, timeout=10)
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = requests.post(url, data={"grant_type": "password", "client_id": client["clientId"],
                                     "client_secret": client["clientSecret"]}, timeout=10)
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    scope = requests.post(url, data={"grant_type": "client_credentials", "client_id": client["clientId"],
                                     "client_secret": client["clientSecret"],
                                     "scope": spec.scope_subscribe(fitconnect_server.destination_id)}, timeout=10)
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"


def test_api_needs_a_valid_bearer_token(fitconnect_server):
    missing = call(fitconnect_server, "GET", "/v1/submissions", role=None)
    assert missing.status_code == 401 and problem_type(missing) == PROBLEM + "unauthorized"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = call(fitconnect_server, "GET", "/v1/submissions", token="nicht-gueltig")
    assert wrong.status_code == 401 and "invalid_token" in wrong.headers["WWW-Authenticate"]


def test_unknown_method_and_path_are_problems(fitconnect_server):
    method = call(fitconnect_server, "DELETE", "/v1/submissions")
    assert method.status_code == 405 and problem_type(method) == PROBLEM + "method-not-allowed"
    path = call(fitconnect_server, "GET", "/v2/irgendwas")
    assert path.status_code == 404 and problem_type(path) == PROBLEM + "not-found"


# --- destinations and keys -----------------------------------------------------------------

def test_destination_public_information(fitconnect_server):
    response = call(fitconnect_server, "GET", f"/v1/destinations/{fitconnect_server.destination_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["destinationId"] == fitconnect_server.destination_id and body["status"] == "active"
    assert body["encryptionKid"] == fitconnect_server.config["encryptionKid"]
    assert body["metadataVersions"] == ["1.0.0"]
    assert [s["identifier"] for s in body["services"]] == [
        s["identifier"] for s in fitconnect_server.config["services"]]
    unknown = call(fitconnect_server, "GET", f"/v1/destinations/{uuid.uuid4()}")
    assert unknown.status_code == 404 and problem_type(unknown) == PROBLEM + "destination-not-found"
    not_uuid = call(fitconnect_server, "GET", "/v1/destinations/abc")
    assert not_uuid.status_code == 404


def test_destination_keys_carry_a_chain_signed_by_the_test_ca(fitconnect_server):
    ca = x509.load_pem_x509_certificate(fitconnect_server.ca_path.read_bytes())
    for kid, ops, alg in ((fitconnect_server.config["encryptionKid"], ["wrapKey"], "RSA-OAEP-256"),
                          (fitconnect_server.config["signatureKid"], ["verify"], "PS512")):
        response = call(fitconnect_server, "GET", f"/v1/destinations/{fitconnect_server.destination_id}/keys/{kid}",
                        role=None)
        assert response.status_code == 200
        key = response.json()
        assert key["kid"] == kid and key["key_ops"] == ops and key["alg"] == alg and "d" not in key
        assert len(key["n"]) * 6 >= 4096
        leaf, root = (x509.load_der_x509_certificate(base64.b64decode(c)) for c in key["x5c"])
        assert root == ca
        ca.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes, padding.PKCS1v15(),
                               leaf.signature_hash_algorithm)
        # The certificate is the key's: same modulus.
        n = int.from_bytes(base64.urlsafe_b64decode(key["n"] + "=="), "big")
        assert leaf.public_key().public_numbers().n == n
    unknown = call(fitconnect_server, "GET", f"/v1/destinations/{fitconnect_server.destination_id}/keys/nope",
                   role=None)
    assert unknown.status_code == 404 and problem_type(unknown) == PROBLEM + "key-not-found"


def test_server_jwks(fitconnect_server):
    response = call(fitconnect_server, "GET", "/.well-known/jwks.json", role=None)
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "PS512" and "d" not in key


def test_destination_patch_only_by_its_subscriber(fitconnect_server):
    path = f"/v1/destinations/{fitconnect_server.destination_id}"
    by_sender = call(fitconnect_server, "PATCH", path, json={"status": "active"})
    assert by_sender.status_code == 403 and problem_type(by_sender) == PROBLEM + "forbidden"
    bad = call(fitconnect_server, "PATCH", path, role="subscriber", json={"status": "kaputt"})
    assert bad.status_code == 422
    short_secret = call(fitconnect_server, "PATCH", path, role="subscriber",
                        json={"callback": {"url": "http://127.0.0.1:9/x", "secret": "kurz"}})
    assert short_secret.status_code == 422
    ok = call(fitconnect_server, "PATCH", path, role="subscriber", json={"status": "active"})
    assert ok.status_code == 200 and ok.json()["status"] == "active"


# --- sending -------------------------------------------------------------------------------

def test_submission_create_errors(fitconnect_server):
    service = fitconnect_server.config["services"][0]
    body = {"destinationId": fitconnect_server.destination_id, "announcedAttachments": [],
            "serviceType": {"identifier": service["identifier"], "name": service["name"]}}
    by_subscriber = call(fitconnect_server, "POST", "/v1/submissions", role="subscriber", json=body)
    assert by_subscriber.status_code == 403
    unknown = call(fitconnect_server, "POST", "/v1/submissions", json={**body, "destinationId": str(uuid.uuid4())})
    assert unknown.status_code == 404 and problem_type(unknown) == PROBLEM + "destination-not-found"
    no_service = call(fitconnect_server, "POST", "/v1/submissions", json={**body, "serviceType": {}})
    assert no_service.status_code == 422 and problem_type(no_service) == PROBLEM + "request-body-invalid"
    other = call(fitconnect_server, "POST", "/v1/submissions", json={
        **body, "serviceType": {"identifier": spec.LEIKA_URN_PREFIX + "99000000000000"}})
    assert other.status_code == 422 and problem_type(other) == PROBLEM + "service-type-not-supported"
    twice = str(uuid.uuid4())
    dupes = call(fitconnect_server, "POST", "/v1/submissions", json={**body, "announcedAttachments": [twice, twice]})
    assert dupes.status_code == 422
    not_json = call(fitconnect_server, "POST", "/v1/submissions", data="{",
                    headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and problem_type(not_json) == PROBLEM + "request-body-invalid"
    form = call(fitconnect_server, "POST", "/v1/submissions", data={"a": "b"})
    assert form.status_code == 415 and problem_type(form) == PROBLEM + "unsupported-media-type"


def test_submission_create_upload_submit(fitconnect_server):
    created, (attachment_id,) = new_submission(fitconnect_server, attachments=1)
    assert created["destinationId"] == fitconnect_server.destination_id
    uuid.UUID(created["submissionId"]), uuid.UUID(created["caseId"])
    sid = created["submissionId"]
    key = TestSender(fitconnect_server).encryption_key()
    jose = {"Content-Type": "application/jose"}
    token = crypto.jwe_encrypt(b"%PDF-1.4 Anlage", key)

    not_announced = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}/attachments/{uuid.uuid4()}",
                         data=token, headers=jose)
    assert not_announced.status_code == 404 and problem_type(not_announced) == PROBLEM + "attachment-not-announced"
    wrong_type = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}/attachments/{attachment_id}", data=token,
                      headers={"Content-Type": "application/pdf"})
    assert wrong_type.status_code == 415
    not_jwe = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}/attachments/{attachment_id}",
                   data="kein.jwe", headers=jose)
    assert not_jwe.status_code == 422 and problem_type(not_jwe) == PROBLEM + "jwe-invalid"
    by_subscriber = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}/attachments/{attachment_id}",
                         role="subscriber", data=token, headers=jose)
    assert by_subscriber.status_code == 404

    meta = crypto.jwe_encrypt(b"{}", key)
    early = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}", json={"encryptedMetadata": meta})
    assert early.status_code == 422 and problem_type(early) == PROBLEM + "missing-attachments"
    uploaded = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}/attachments/{attachment_id}",
                    data=token, headers=jose)
    assert uploaded.status_code == 204 and uploaded.content == b""
    bad_meta = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}", json={"encryptedMetadata": "x"})
    assert bad_meta.status_code == 422 and problem_type(bad_meta) == PROBLEM + "jwe-invalid"
    # A created (unsubmitted) submission is invisible to the subscriber.
    hidden = call(fitconnect_server, "GET", f"/v1/submissions/{sid}", role="subscriber")
    assert hidden.status_code == 404 and problem_type(hidden) == PROBLEM + "submission-not-found"

    submitted = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}",
                     json={"encryptedMetadata": meta, "encryptedData": crypto.jwe_encrypt(b"{}", key)})
    assert submitted.status_code == 202
    assert submitted.json() == created
    again = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}", json={"encryptedMetadata": meta})
    assert again.status_code == 409 and problem_type(again) == PROBLEM + "submission-state-invalid"
    late = call(fitconnect_server, "PUT", f"/v1/submissions/{sid}/attachments/{attachment_id}", data=token,
                headers=jose)
    assert late.status_code == 409

    # --- the subscriber's view
    listed = call(fitconnect_server, "GET", "/v1/submissions", role="subscriber", params={"limit": 500})
    assert listed.status_code == 200
    assert {"destinationId": fitconnect_server.destination_id, "submissionId": sid,
            "caseId": created["caseId"]} in listed.json()["submissions"]
    per_destination = call(fitconnect_server, "GET", f"/v1/destinations/{fitconnect_server.destination_id}/submissions",
                           role="subscriber", params={"limit": 500})
    assert per_destination.status_code == 200
    assert sid in [s["submissionId"] for s in per_destination.json()["submissions"]]
    foreign = call(fitconnect_server, "GET", f"/v1/destinations/{uuid.uuid4()}/submissions", role="subscriber")
    assert foreign.status_code == 403
    bad_page = call(fitconnect_server, "GET", "/v1/submissions", role="subscriber", params={"limit": 501})
    assert bad_page.status_code == 400 and problem_type(bad_page) == PROBLEM + "parameter-invalid"
    by_sender = call(fitconnect_server, "GET", "/v1/submissions")
    assert by_sender.status_code == 403

    got = call(fitconnect_server, "GET", f"/v1/submissions/{sid}", role="subscriber")
    assert got.status_code == 200
    body = got.json()
    assert body["attachments"] == [attachment_id] and body["encryptedMetadata"] == meta
    assert body["serviceType"]["identifier"] == fitconnect_server.config["services"][0]["identifier"]
    fetched = call(fitconnect_server, "GET", f"/v1/submissions/{sid}/attachments/{attachment_id}", role="subscriber")
    assert fetched.status_code == 200 and fetched.headers["Content-Type"] == "application/jose"
    assert fetched.text == token
    private = fitconnect_server.destination_keys["encryption"]
    assert crypto.jwe_decrypt(fetched.text, private) == b"%PDF-1.4 Anlage"
    missing = call(fitconnect_server, "GET", f"/v1/submissions/{sid}/attachments/{uuid.uuid4()}", role="subscriber")
    assert missing.status_code == 404


# --- event log -----------------------------------------------------------------------------

def _server_key(server):
    return call(server, "GET", "/.well-known/jwks.json", role=None).json()["keys"][0]


def test_event_log_has_server_signed_create_and_submit(fitconnect_server):
    sender = TestSender(fitconnect_server)
    created = sender.send({"vorname": "Max"}, attachments=[b"%PDF-1.4 a"], reply=False)
    log = sender.events(created["caseId"])
    server_key = _server_key(fitconnect_server)
    claims = [crypto.set_verify(token, server_key) for token in log]
    assert [next(iter(c["events"])) for c in claims] == [
        spec.event_uri("create-submission"), spec.event_uri("submit-submission")]
    for c in claims:
        assert c["sub"] == f"submission:{created['submissionId']}" and c["txn"] == f"case:{created['caseId']}"
        assert c["iss"] == fitconnect_server.base_url and c["$schema"] == spec.SET_SCHEMA
    tags = claims[1]["events"][spec.event_uri("submit-submission")]["authenticationTags"]
    assert set(tags) == {"data", "metadata", "attachments"} and len(tags["attachments"]) == 1
    as_subscriber = call(fitconnect_server, "GET", f"/v1/cases/{created['caseId']}/events", role="subscriber")
    assert as_subscriber.status_code == 200 and as_subscriber.json()["eventLog"] == log
    assert as_subscriber.json()["totalCount"] == 2
    unknown = call(fitconnect_server, "GET", f"/v1/cases/{uuid.uuid4()}/events")
    assert unknown.status_code == 404 and problem_type(unknown) == PROBLEM + "case-not-found"


def _subscriber_set(server, created, event="accept-submission", payload=None, key=None, **overrides):
    args = {"private_jwk": key or server.destination_keys["signature"], "issuer": server.destination_id,
            "subject": f"submission:{created['submissionId']}", "txn": f"case:{created['caseId']}",
            "event": event, "payload": payload}
    args.update(overrides)
    return crypto.set_sign(**args)


def test_subscriber_posts_accept_once(fitconnect_server):
    sender = TestSender(fitconnect_server)
    created = sender.send({"vorname": "Max"}, reply=False)
    path = f"/v1/cases/{created['caseId']}/events"
    jose = {"Content-Type": "application/jose"}

    wrong_type = call(fitconnect_server, "POST", path, role="subscriber", data=_subscriber_set(
        fitconnect_server, created), headers={"Content-Type": "application/json"})
    assert wrong_type.status_code == 415
    garbage = call(fitconnect_server, "POST", path, role="subscriber", data="a.b", headers=jose)
    assert garbage.status_code == 422 and problem_type(garbage) == PROBLEM + "set-invalid"
    forged_private = crypto.public_jwk_with_chain(private_key=crypto.rsa_key_new(2048), chain=[], usage="signature")[1]
    forged_private["kid"] = fitconnect_server.config["signatureKid"]  # right kid, wrong key
    forged = call(fitconnect_server, "POST", path, role="subscriber",
                  data=_subscriber_set(fitconnect_server, created, key=forged_private), headers=jose)
    assert forged.status_code == 422 and problem_type(forged) == PROBLEM + "set-signature-invalid"
    wrong_issuer = call(fitconnect_server, "POST", path, role="subscriber",
                        data=_subscriber_set(fitconnect_server, created, issuer="jemand"), headers=jose)
    assert wrong_issuer.status_code == 422
    wrong_txn = call(fitconnect_server, "POST", path, role="subscriber",
                     data=_subscriber_set(fitconnect_server, created, txn=f"case:{uuid.uuid4()}"), headers=jose)
    assert wrong_txn.status_code == 422
    reject_without_problems = call(fitconnect_server, "POST", path, role="subscriber", headers=jose,
                                   data=_subscriber_set(fitconnect_server, created, event="reject-submission"))
    assert reject_without_problems.status_code == 422
    by_sender = call(fitconnect_server, "POST", path, data=_subscriber_set(fitconnect_server, created), headers=jose)
    assert by_sender.status_code == 403

    accepted = call(fitconnect_server, "POST", path, role="subscriber",
                    data=_subscriber_set(fitconnect_server, created), headers=jose)
    assert accepted.status_code == 204
    twice = call(fitconnect_server, "POST", path, role="subscriber",
                 data=_subscriber_set(fitconnect_server, created), headers=jose)
    assert twice.status_code == 409 and problem_type(twice) == PROBLEM + "submission-state-invalid"
    log = sender.events(created["caseId"])
    assert len(log) == 3
    signature_key = call(fitconnect_server, "GET", f"/v1/destinations/{fitconnect_server.destination_id}/keys/"
                         f"{fitconnect_server.config['signatureKid']}", role=None).json()
    assert spec.event_uri("accept-submission") in crypto.set_verify(log[2], signature_key)["events"]
    # Accepted submissions leave the subscriber's list.
    listed = call(fitconnect_server, "GET", "/v1/submissions", role="subscriber", params={"limit": 500}).json()
    assert created["submissionId"] not in [s["submissionId"] for s in listed["submissions"]]


# --- callbacks -----------------------------------------------------------------------------

def _check_callback(request, secret):
    timestamp = int(request.headers["callback-timestamp"])
    assert abs(time.time() - timestamp) < spec.CALLBACK_MAX_AGE_SECONDS
    assert request.headers["callback-authentication"] == crypto.callback_sign(secret, timestamp, request.body)
    return request.json()


def test_callbacks_with_hmac_to_destination_and_sender(fitconnect_server, webhook_receiver):
    destination_secret, sender_secret = "d" * 40, "s" * 40
    path = f"/v1/destinations/{fitconnect_server.destination_id}"
    response = call(fitconnect_server, "PATCH", path, role="subscriber",
                    json={"callback": {"url": webhook_receiver.url + "/destination", "secret": destination_secret}})
    assert response.status_code == 200
    try:
        sender = TestSender(fitconnect_server)
        created = sender.send({"vorname": "Max"}, reply=False,
                              callback={"url": webhook_receiver.url + "/sender", "secret": sender_secret})
        new = wait_until(lambda: [r for r in webhook_receiver.requests if r.path.endswith("/destination")],
                         message="new-submissions callback")
        body = _check_callback(new[0], destination_secret)
        assert body == {"type": spec.CALLBACK_NEW_SUBMISSIONS, "submissionIds": [created["submissionId"]],
                        "submissions": [created]}
        accepted = call(fitconnect_server, "POST", f"/v1/cases/{created['caseId']}/events", role="subscriber",
                        data=_subscriber_set(fitconnect_server, created), headers={"Content-Type": "application/jose"})
        assert accepted.status_code == 204
        events = wait_until(lambda: [r for r in webhook_receiver.requests if r.path.endswith("/sender")],
                            message="new-events callback")
        assert _check_callback(events[0], sender_secret) == {
            "type": spec.CALLBACK_NEW_EVENTS, "submissionIds": [created["submissionId"]], "submissions": [created]}
    finally:
        call(fitconnect_server, "PATCH", path, role="subscriber", json={"callback": None})


# --- replies -------------------------------------------------------------------------------

def test_reply_route(fitconnect_server):
    sender = TestSender(fitconnect_server)
    created = sender.send({"vorname": "Max"})
    reply_key = json.loads(sender.reply_key.export_public())
    attachment_id = str(uuid.uuid4())
    not_visible = call(fitconnect_server, "POST", "/v1/replies", role="sender", json={
        "submissionId": created["submissionId"], "announcedAttachments": []})
    assert not_visible.status_code == 404
    response = call(fitconnect_server, "POST", "/v1/replies", role="subscriber", json={
        "submissionId": created["submissionId"], "announcedAttachments": [attachment_id]})
    assert response.status_code == 201
    reply = response.json()
    assert reply["submissionId"] == created["submissionId"] and reply["caseId"] == created["caseId"]
    rid = reply["replyId"]
    jose = {"Content-Type": "application/jose"}
    data = crypto.jwe_encrypt(b'{"ok": true}', reply_key)
    early = call(fitconnect_server, "PUT", f"/v1/replies/{rid}", role="subscriber",
                 json={"encryptedData": data, "encryptedMetadata": data})
    assert early.status_code == 422 and problem_type(early) == PROBLEM + "missing-attachments"
    pdf = crypto.jwe_encrypt(b"%PDF-1.4 Bescheinigung", reply_key)
    assert call(fitconnect_server, "PUT", f"/v1/replies/{rid}/attachments/{attachment_id}", role="subscriber",
                data=pdf, headers=jose).status_code == 204
    assert call(fitconnect_server, "GET", f"/v1/replies/{rid}").status_code == 404  # not yet submitted
    submitted = call(fitconnect_server, "PUT", f"/v1/replies/{rid}", role="subscriber",
                     json={"encryptedData": data, "encryptedMetadata": data})
    assert submitted.status_code == 202 and submitted.json() == reply
    assert call(fitconnect_server, "PUT", f"/v1/replies/{rid}", role="subscriber",
                json={"encryptedData": data, "encryptedMetadata": data}).status_code == 409

    listed = call(fitconnect_server, "GET", "/v1/replies", params={"limit": 500})
    assert listed.status_code == 200 and reply in listed.json()["replies"]
    got = call(fitconnect_server, "GET", f"/v1/replies/{rid}")
    assert got.status_code == 200 and got.json()["attachments"] == [attachment_id]
    fetched = call(fitconnect_server, "GET", f"/v1/replies/{rid}/attachments/{attachment_id}")
    assert crypto.jwe_decrypt(fetched.text, sender.private_reply_key()) == b"%PDF-1.4 Bescheinigung"
    assert call(fitconnect_server, "GET", f"/v1/replies/{rid}", role="subscriber").status_code == 404

    accept = crypto.set_sign(private_jwk=sender.private_reply_key() | {"kid": "sender"}, issuer="sender",
                             subject=f"reply:{rid}", txn=f"case:{created['caseId']}", event="accept-reply")
    by_subscriber = call(fitconnect_server, "POST", f"/v1/cases/{created['caseId']}/events", role="subscriber",
                         data=accept, headers=jose)
    assert by_subscriber.status_code == 403
    accepted = call(fitconnect_server, "POST", f"/v1/cases/{created['caseId']}/events", data=accept, headers=jose)
    assert accepted.status_code == 204
    events = [next(iter(crypto.set_parse(t)[1]["events"])) for t in sender.events(created["caseId"])]
    assert events[-3:] == [spec.event_uri(e) for e in ("create-reply", "submit-reply", "accept-reply")]
    assert reply not in call(fitconnect_server, "GET", "/v1/replies", params={"limit": 500}).json()["replies"]


@pytest.mark.parametrize("body", [{"submissionId": "x"}, {"submissionId": str(uuid.uuid4())}])
def test_reply_for_unknown_submission(fitconnect_server, body):
    response = call(fitconnect_server, "POST", "/v1/replies", role="subscriber", json=body)
    assert response.status_code == 404 and problem_type(response) == PROBLEM + "submission-not-found"
