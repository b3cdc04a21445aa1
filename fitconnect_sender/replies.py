"""Replies (Rückkanal): documents the specialist system sends back, turned into messages.

The specialist system answers a submission with a reply (`POST /v1/replies` on its side),
encrypted for our public reply key (`keys.reply_key_public`, named in every submission's
metadata). `replies_fetch` reads `GET /v1/replies` (the submitted replies to our submissions
that still wait for our answer; on the callback `new-replies` and in the beat poll) and
`reply_apply` handles one:

1. a reply already recorded (`FitConnectReply`, unique `reply_id`) is not applied again: only
   its decision is posted again if the Zustelldienst has not taken it (a re-delivered reply
   gives the citizen no second message);
2. otherwise data, metadata and every attachment are fetched and decrypted with our private
   key; the metadata must be valid against schema 1.0.0; the SHA-512 hashes of data and
   attachments must match it; the attachment ids must be those the metadata describes;
3. a good reply becomes, in one transaction with its record, one message to the citizen
   (`cases.services.case_message_add`, direction to the citizen, the attachments as files)
   — the citizen sees the document in `/konto/` and is notified; `accept-reply` follows with
   the JWE authentication tags of what we read;
4. a reply that fails a check is recorded as rejected, the clerks get an internal note and
   `reject-reply` names the problems (types under
   `https://schema.fitko.de/fit-connect/events/problems/`).

A network error (TransientError) leaves nothing recorded: the next poll tries again.
"""
from __future__ import annotations

import json
import logging
import uuid

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.errors import CaseError
from cases.models import CaseMessage
from cases.services import case_message_add, case_note_add

from .client import Conflict, SubmissionApiClient
from .conf import fitconnect_setting
from .crypto import ReplyUnreadable, authentication_tag, jwe_decrypt, set_sign
from .keys import reply_key_private
from .metadata import MetadataInvalid, metadata_validate, sha512_hex
from .models import FitConnectReply, FitConnectReplyKey, FitConnectSubmission
from .services import EVENTS_URI

__all__ = ["EVENT_ACCEPT_REPLY", "EVENT_REJECT_REPLY", "replies_fetch", "reply_apply"]

logger = logging.getLogger(__name__)

EVENT_ACCEPT_REPLY = EVENTS_URI + "accept-reply"
EVENT_REJECT_REPLY = EVENTS_URI + "reject-reply"
_PROBLEMS = EVENTS_URI + "problems/"
_PAGE = 100


class _Refused(Exception):
    """A reply that fails a check: the problems for reject-reply."""

    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(p["title"] for p in problems))


def _problem(name: str, title: str, instance: str) -> dict:
    return {"type": _PROBLEMS + name, "title": title, "detail": title, "instance": instance}


def replies_fetch(*, client: SubmissionApiClient | None = None) -> int:
    """Apply every reply waiting for us; returns how many became a message. Replies to
    submissions that are not ours (another portal on the same client) are left alone."""
    client = client or SubmissionApiClient.from_settings()
    refs, offset = [], 0
    while True:  # read the whole list first: answering a reply takes it off the list
        page = client.replies_list(offset=offset, limit=_PAGE)
        items = [item for item in page.get("replies") or [] if isinstance(item, dict)]
        refs.extend(items)
        offset += len(items)
        if len(items) < _PAGE:
            break
    return sum(reply_apply(ref=ref, client=client) for ref in refs)


def reply_apply(*, ref: dict, client: SubmissionApiClient) -> int:
    """Handle one listed reply (`replyId`, `submissionId`, `caseId`); 1 if it became a message."""
    reply_id, submission_id, case_id = (str(ref.get(name) or "") for name in ("replyId", "submissionId", "caseId"))
    submission = (FitConnectSubmission.objects.select_related("case")
                  .filter(submission_id=submission_id or None).first() if _uuid_like(submission_id) else None)
    if submission is None or str(submission.remote_case_id) != case_id or not _uuid_like(reply_id):
        logger.warning("FIT-Connect reply %s does not belong to a submission of ours", reply_id)
        return 0
    record = FitConnectReply.objects.filter(reply_id=reply_id).first()
    changed = 0
    if record is None:
        record, changed = _reply_read(client=client, submission=submission, reply_id=reply_id)
    if record.answered_at is None:
        _decision_post(client=client, submission=submission, record=record)
    return changed


def _uuid_like(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _reply_read(*, client: SubmissionApiClient, submission: FitConnectSubmission,
                reply_id: str) -> tuple[FitConnectReply, int]:
    """Fetch, decrypt, check and record one new reply (see the module doc, steps 2–4)."""
    body = client.reply_get(reply_id)
    key = reply_key_private(FitConnectReplyKey.Use.ENCRYPTION)
    try:
        metadata, data, attachments = _open(client=client, reply_id=reply_id, body=body, key=key)
        tags = {"data": authentication_tag(body["encryptedData"]),
                "metadata": authentication_tag(body["encryptedMetadata"]),
                "attachments": {item["id"]: authentication_tag(item["token"]) for item in attachments}}
        try:
            with transaction.atomic():
                record = FitConnectReply.objects.create(
                    submission=submission, reply_id=reply_id, state=FitConnectReply.State.ACCEPTED,
                    decision={"authenticationTags": tags})
                record.message = _message_add(case=submission.case, data=data, attachments=attachments)
                record.save(update_fields=["message"])
        except CaseError as exc:  # the portal refuses a document (type, size, active content)
            raise _Refused([_problem("invalid-attachment-content", str(exc), "attachment")]) from exc
        return record, 1
    except _Refused as refused:
        with transaction.atomic():
            record = FitConnectReply.objects.create(
                submission=submission, reply_id=reply_id, state=FitConnectReply.State.REJECTED,
                decision={"problems": refused.problems})
            with translation.override(settings.LANGUAGE_CODE):
                case_note_add(case=submission.case, note=_(
                    "FIT-Connect: Eine Antwort des Fachverfahrens wurde zurückgewiesen (%(problems)s). "
                    "Bitte klären Sie das mit der zuständigen Stelle.") % {"problems": str(refused)})
        return record, 0
    except IntegrityError:  # another worker recorded it in the meantime
        return FitConnectReply.objects.get(reply_id=reply_id), 0


def _decrypt(token, key: dict, *, instance: str) -> bytes:
    try:
        return jwe_decrypt(token, key=key)
    except ReplyUnreadable as exc:
        raise _Refused([_problem("encryption-issue", f"{instance}: {exc}", instance)]) from exc


def _open(*, client: SubmissionApiClient, reply_id: str, body: dict, key: dict):
    """(metadata, data bytes, [{id, token, content, mime_type, filename, description}]) of a
    reply whose every check passed; _Refused otherwise."""
    try:
        metadata = json.loads(_decrypt(body.get("encryptedMetadata"), key, instance="metadata"))
    except ValueError as exc:
        raise _Refused([_problem("syntax-violation", "metadata is no JSON", "metadata")]) from exc
    try:
        metadata_validate(metadata if isinstance(metadata, dict) else {})
    except MetadataInvalid as exc:
        raise _Refused([_problem("schema-violation", str(exc), "metadata")]) from exc
    structure = metadata["contentStructure"]
    problems = []
    data = b""
    if "data" in structure:
        if not body.get("encryptedData"):
            raise _Refused([_problem("missing-data", "encryptedData missing", "data")])
        data = _decrypt(body["encryptedData"], key, instance="data")
        if sha512_hex(data) != structure["data"]["hash"]["content"]:
            problems.append(_problem("hash-mismatch", "SHA-512 of the data differs from the metadata", "data"))
    described = {item["attachmentId"]: item for item in structure.get("attachments") or []}
    listed = [str(a) for a in body.get("attachments") or []]
    if set(described) != set(listed):
        raise _Refused([_problem("attachments-mismatch", "attachments differ from the metadata", "metadata")])
    attachments = []
    for attachment_id in listed:
        token = client.reply_attachment_get(reply_id, attachment_id)
        content = _decrypt(token, key, instance=f"attachment:{attachment_id}")
        item = described[attachment_id]
        if sha512_hex(content) != item["hash"]["content"]:
            problems.append(_problem("hash-mismatch", f"SHA-512 of attachment {attachment_id} differs from the "
                                                      "metadata", f"attachment:{attachment_id}"))
        attachments.append({"id": attachment_id, "token": token, "content": content, "mime_type": item["mimeType"],
                            "filename": item.get("filename") or f"{attachment_id}.bin",
                            "description": item.get("description") or ""})
    if problems:
        raise _Refused(problems)
    return metadata, data, attachments


def _message_add(*, case, data: bytes, attachments: list[dict]) -> CaseMessage:
    """The reply as a message to the citizen, its documents attached."""
    try:
        parsed = json.loads(data) if data else {}
    except ValueError:
        parsed = {}
    title = (parsed.get("dokument") if isinstance(parsed, dict) and isinstance(parsed.get("dokument"), str)
             else "") or next((a["description"] or a["filename"] for a in attachments), "")
    with translation.override(case.language):
        if attachments:
            body = _("Die zuständige Stelle hat Ihnen ein Dokument geschickt: %(title)s. Sie finden es im Anhang "
                     "dieser Nachricht.") % {"title": title}
        else:
            body = _("Die zuständige Stelle hat Ihnen über das Fachverfahren geantwortet.")
    files = [SimpleUploadedFile(a["filename"], a["content"], content_type=a["mime_type"]) for a in attachments]
    return case_message_add(case=case, body=body, direction=CaseMessage.Direction.TO_CITIZEN, attachments=files)


def _decision_post(*, client: SubmissionApiClient, submission: FitConnectSubmission, record: FitConnectReply) -> None:
    """Post accept-reply or reject-reply (again, if an earlier post got lost); a 409 means the
    Zustelldienst has it already."""
    accepted = record.state == FitConnectReply.State.ACCEPTED
    token = set_sign(key=reply_key_private(FitConnectReplyKey.Use.SIGNATURE),
                     issuer=fitconnect_setting("CLIENT_ID") or "stadtmelder", subject=f"reply:{record.reply_id}",
                     txn=f"case:{submission.remote_case_id}",
                     event=EVENT_ACCEPT_REPLY if accepted else EVENT_REJECT_REPLY, payload=record.decision)
    try:
        client.event_post(str(submission.remote_case_id), token)
    except Conflict:
        pass  # decided before; the answer to our earlier post was lost
    FitConnectReply.objects.filter(pk=record.pk).update(answered_at=timezone.now())
