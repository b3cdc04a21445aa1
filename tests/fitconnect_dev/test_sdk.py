"""The PyPI FIT-Connect SDK (``fitconnect`` 0.4.x) used against the local test server.

The SDK only knows the FITKO environments; its ``token_url`` and ``submission_api_url``
attributes are pointed at the test server after construction, the documented way to aim it
elsewhere. As a subscriber it fetches a submission, decrypts metadata, data and attachments,
validates the metadata against its own copy of schema 1.0.0 and checks every SHA-512 hash —
so these tests prove that what our server stores and hands out is what the reference SDK
expects, byte for byte.
"""

import pytest
from fitconnect import Environment, FITConnectClient

from fitconnect_dev import crypto, spec
from tests.fitconnect_dev.fixtures import wait_until
from tests.fitconnect_dev.sender import TestSender


def sdk_client(server, role: str) -> FITConnectClient:
    credentials = server.config[role]
    client = FITConnectClient(Environment.TESTING, credentials["clientId"], credentials["clientSecret"])
    client.token_url = server.token_url
    client.submission_api_url = server.api_url
    return client


def test_sdk_subscriber_decrypts_a_submission(fitconnect_server):
    data = {"$schema": "urn:stadtmelder:eforms:test:1", "vorname": "Erika", "familienname": "Mustermann"}
    created = TestSender(fitconnect_server).send(data, attachments=[b"%PDF-1.4 Anlage 1", b"%PDF-1.4 Anlage 2"])

    sdk = sdk_client(fitconnect_server, "subscriber")
    available = sdk.available_submissions()
    assert created in available
    submission = sdk.retrieve_submission(created["submissionId"], fitconnect_server.destination_keys["encryption"])
    assert submission["data_json"] == data
    assert sorted(submission["attachments"].values()) == [b"%PDF-1.4 Anlage 1", b"%PDF-1.4 Anlage 2"]
    assert submission["metadata"]["publicServiceType"]["identifier"] == \
        fitconnect_server.config["services"][0]["identifier"]
    assert submission["caseId"] == created["caseId"]


def test_sdk_subscriber_refuses_a_wrong_hash(fitconnect_server):
    def tamper(metadata):
        metadata["contentStructure"]["data"]["hash"]["content"] = "f" * 128

    created = TestSender(fitconnect_server).send({"vorname": "Max"}, tamper=tamper)
    sdk = sdk_client(fitconnect_server, "subscriber")
    with pytest.raises(ValueError, match="Invalid attachment hash"):  # the SDK's message for any hash
        sdk.retrieve_submission(created["submissionId"], fitconnect_server.destination_keys["encryption"])


def test_sdk_sender_submission_is_accepted_by_the_reference_subscriber(fitconnect_server, fitconnect_subscriber):
    sdk = sdk_client(fitconnect_server, "sender")
    service = fitconnect_server.config["services"][0]["identifier"]
    result = sdk.submission(fitconnect_server.destination_id, service,
                            data={"$schema": "urn:stadtmelder:eforms:test:1", "vorname": "Max"},
                            attachments=[b"%PDF-1.4 vom SDK"])
    # The SDK sent as the demo sender client, so the test-side sender (same client) reads the log.
    sender = TestSender(fitconnect_server)

    def decided():
        names = [next(iter(crypto.set_parse(t)[1]["events"])) for t in sender.events(result["caseId"])]
        return names if len(names) >= 3 else None

    names = wait_until(decided, message="the decision on the SDK's submission")
    assert names == [spec.event_uri(e) for e in ("create-submission", "submit-submission", "accept-submission")]
