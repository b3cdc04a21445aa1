"""The metadata of a submission (FIT-Connect metadata schema 1.0.0), built and validated.

The schema `schemas/metadata-1.0.0.schema.json` is the one FITKO publishes at
`https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json` (as it ships with
the `fitconnect` SDK on PyPI, EUPL-1.2), kept here so that validation never needs the network.
Every metadata document is validated with jsonschema (draft 2020-12, with format checks)
before it is encrypted; an invalid one raises `MetadataInvalid` and nothing is sent.

What goes in:
- `contentStructure.data`: the SHA-512 hash (hex) of the exact data bytes sent, and the
  submission schema. Our forms are forms as data (`eforms`): the schema reference names the
  form definition's slug and version, `urn:de:stadtmelder:form:<slug>:<version>` (from the
  case's `form_version` "<slug>@<version>"; the service slug and "1" when a case has none),
  with mime type application/json. A URN is what the schema allows for a schema that is not
  published under a URL.
- `contentStructure.attachments`: per attachment its announced id, SHA-512 hash, purpose
  `attachment` (uploaded by the citizen), mime type and file name.
- `publicServiceType`: the LeiKa identifier `urn:de:fim:leika:leistung:<key>` and the name.
- `additionalReferenceInfo`: the case's reference number and filing date (ISO 8601), so
  that a clerk at the specialist system can name the case when calling the city.
- `replyChannel`: `fitConnect` with our public reply key (`encryptionPublicKey`, a JWK), so
  that the specialist system answers with documents through the Zustelldienst
  (`fitconnect_sender.replies`); without a reply key, e-mail to the citizen's address if the
  case has one. Schema 1.0.0 allows exactly one reply channel (`maxProperties: 1`) and does not
  list `fitConnect` (later versions do), but does not forbid further members either, so the
  document stays valid against 1.0.0.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

import jsonschema

__all__ = ["METADATA_SCHEMA_URI", "MetadataInvalid", "metadata_build", "metadata_validate", "sha512_hex",
           "submission_schema_uri", "leika_identifier"]

METADATA_SCHEMA_URI = "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json"
_URN_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_SCHEMA_FILE = Path(__file__).parent / "schemas" / "metadata-1.0.0.schema.json"


class MetadataInvalid(Exception):
    """Metadata that the schema 1.0.0 refuses (the first error in the message)."""


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(_SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sha512_hex(data: bytes) -> str:
    """The SHA-512 hash of `data`, hex, lower case (what the schema's pattern asks)."""
    return hashlib.sha512(data).hexdigest()


def leika_identifier(leika_key: str) -> str:
    """The service identifier of a LeiKa key (`urn:de:fim:leika:leistung:<key>`)."""
    return f"urn:de:fim:leika:leistung:{leika_key}"


def submission_schema_uri(*, form_version: str, service: str) -> str:
    """The reference of the form a case was filed with (see the module doc)."""
    slug, _sep, version = (form_version or "").partition("@")
    slug, version = (slug.strip() or service), (version.strip() or "1")
    return f"urn:de:stadtmelder:form:{_URN_UNSAFE.sub('-', slug)}:{_URN_UNSAFE.sub('-', version)}"


def metadata_build(*, data: bytes, schema_uri: str, attachments: list[dict], leika_key: str, service_name: str,
                   reference: str, application_date: str, reply_email: str = "", reply_key: dict | None = None) -> dict:
    """The metadata document; `attachments`: dicts with id, content (bytes), mime_type, filename."""
    metadata = {
        "$schema": METADATA_SCHEMA_URI,
        "contentStructure": {
            "data": {
                "hash": {"type": "sha512", "content": sha512_hex(data)},
                "submissionSchema": {"schemaUri": schema_uri, "mimeType": "application/json"},
            },
            "attachments": [
                {"attachmentId": item["id"], "hash": {"type": "sha512", "content": sha512_hex(item["content"])},
                 "purpose": "attachment", "mimeType": item["mime_type"], "filename": item["filename"]}
                for item in attachments
            ],
        },
        "publicServiceType": {"identifier": leika_identifier(leika_key), "name": service_name},
        "additionalReferenceInfo": {"senderReference": reference, "applicationDate": application_date},
    }
    if reply_key:
        metadata["replyChannel"] = {"fitConnect": {"encryptionPublicKey": reply_key}}
    elif reply_email:
        metadata["replyChannel"] = {"eMail": {"address": reply_email}}
    return metadata


def metadata_validate(metadata: dict) -> dict:
    """`metadata` unchanged if schema 1.0.0 accepts it; MetadataInvalid otherwise."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(metadata))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(root)"
        raise MetadataInvalid(f"{where}: {error.message}")
    return metadata
