"""A test-side FIT-Connect sender built on jwcrypto, used until the portal's own sender replaces it.

It follows the published sending steps with plain HTTP, so the tests exercise the server and
the subscriber the way any Onlinedienst would: token, destination, key, create submission,
upload attachments as JWE, submit encrypted data and metadata (schema 1.0.0, SHA-512 hashes,
reply channel ``fitConnect`` with the sender's public key).
"""

import json
import uuid

import jsonschema
import requests
from jwcrypto import jwk

from fitconnect_dev import crypto, spec
from fitconnect_dev.subscriber import metadata_schema

__all__ = ["TestSender"]


class TestSender:
    """Sends submissions to the test server as the demo sender client."""

    __test__ = False  # not a pytest test class

    def __init__(self, server):
        self.server = server
        self.token = server.token("sender")
        # The key the Fachverfahren encrypts replies with (the sender keeps the private half).
        self.reply_key = jwk.JWK.generate(kty="RSA", size=2048, kid=str(uuid.uuid4()))

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": "Bearer " + self.token, **kwargs.pop("headers", {})}
        return requests.request(method, self.server.api_url + path, headers=headers, timeout=30, **kwargs)

    def encryption_key(self) -> dict:
        destination = self.call("GET", f"/destinations/{self.server.destination_id}").json()
        path = f"/destinations/{self.server.destination_id}/keys/{destination['encryptionKid']}"
        return self.call("GET", path).json()

    def metadata(self, *, data: bytes, attachments: dict[str, bytes], service: dict, reply: bool = True) -> dict:
        metadata = {
            "$schema": spec.METADATA_SCHEMA_URI,
            "publicServiceType": {"identifier": service["identifier"], "name": service["name"]},
            "contentStructure": {
                "data": {"hash": {"type": "sha512", "content": crypto.sha512_hex(data)},
                         "submissionSchema": {"schemaUri": "urn:stadtmelder:eforms:test:1",
                                              "mimeType": "application/json"}},
                "attachments": [
                    {"attachmentId": attachment_id, "purpose": "attachment", "mimeType": "application/pdf",
                     "filename": "nachweis.pdf", "hash": {"type": "sha512", "content": crypto.sha512_hex(content)}}
                    for attachment_id, content in attachments.items()],
            },
        }
        if reply:
            metadata["replyChannel"] = {"fitConnect": {"encryptionPublicKey": json.loads(
                self.reply_key.export_public())}}
        return metadata

    def send(self, data: dict, *, attachments: list[bytes] = (), service_index: int = 0, reply: bool = True,
             tamper=None, callback: dict | None = None) -> dict:
        """Create, upload and submit one submission; returns the server's ids.

        ``tamper(metadata)`` may change the metadata after the hashes were computed (to provoke
        a reject).
        """
        service = self.server.config["services"][service_index]
        key = self.encryption_key()
        ids = [str(uuid.uuid4()) for _ in attachments]
        body = {"destinationId": self.server.destination_id, "announcedAttachments": ids,
                "serviceType": {"identifier": service["identifier"], "name": service["name"]}}
        if callback:
            body["callback"] = callback
        created = self.call("POST", "/submissions", json=body)
        assert created.status_code == 201, created.text
        created = created.json()
        contents = dict(zip(ids, attachments, strict=True))
        for attachment_id, content in contents.items():
            response = self.call("PUT", f"/submissions/{created['submissionId']}/attachments/{attachment_id}",
                                 data=crypto.jwe_encrypt(content, key), headers={"Content-Type": "application/jose"})
            assert response.status_code == 204, response.text
        data_bytes = json.dumps(data, ensure_ascii=False).encode()
        metadata = self.metadata(data=data_bytes, attachments=contents, service=service, reply=reply)
        jsonschema.validate(metadata, metadata_schema())
        if tamper:
            tamper(metadata)
        response = self.call("PUT", f"/submissions/{created['submissionId']}", json={
            "encryptedData": crypto.jwe_encrypt(data_bytes, key, cty="application/json"),
            "encryptedMetadata": crypto.jwe_encrypt(json.dumps(metadata).encode(), key, cty="application/json")})
        assert response.status_code == 202, response.text
        return created

    def events(self, case_id: str) -> list[str]:
        response = self.call("GET", f"/cases/{case_id}/events")
        assert response.status_code == 200, response.text
        return response.json()["eventLog"]

    def private_reply_key(self) -> dict:
        return json.loads(self.reply_key.export_private())
