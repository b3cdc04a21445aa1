"""Writes of `fitconnect_sender`: prepare a case's submission, send it step by step, apply the event
log's answers, check a callback.

Sending (`submission_send`) is a chain of idempotent steps, each stored the moment it
succeeds, run by one worker at a time per submission (a PostgreSQL advisory lock held for
the run, released by the database if the worker dies):

1. check: the LeiKa key of the service, the destination (`GET destinations/{id}`, active,
   offering the service) and its encryption key (`keys/{kid}`), whose certificate chain
   must verify against the configured CA (`crypto.encryption_key_verify`); the metadata is
   built and validated against schema 1.0.0. Nothing has been created yet.
2. create (`POST submissions` with the attachment ids announced when the case was stored):
   the answer's submission and case id are stored at once (state `created`). A worker that
   dies later resumes with them: no second submission is created.
3. upload every attachment as JWE (`PUT …/attachments/{id}`); each confirmed id is stored;
   a 409 means uploaded before (the answer was lost).
4. submit the encrypted data and metadata (`PUT submissions/{id}`); a 409 is checked in the
   event log: a `submit-submission` event for this submission means done.

The one window that cannot be closed from our side: a `POST submissions` whose answer is
lost (the Zustelldienst has no idempotency key). The retry creates a second submission, but
the first is never submitted, so the specialist system never sees it; the Zustelldienst
deletes incomplete submissions after its retention period.

A transient error (network, 5xx) raises `TransientError` for the task to retry with
backoff. A permanent one — a key that does not verify, a refused request, invalid metadata,
a missing LeiKa key — ends the submission in `failed`: the attempt is logged, the case gets
an internal note, the case stays with its department's back office, nothing retries.

Answers: `events_apply` reads the event log of a submitted case, verifies every SET
(`crypto.set_verify`; accept/reject must be signed by the destination's signature key, whose
chain must verify too) and applies each event once (its `jti` is stored in the same
transaction as the case changes): accept/reject become the status the service's case type
names (`cases.types.CaseType.accepted_status` / `rejected_status`; `delivered_status` once the
submission is submitted) and a message to the citizen. A status the case type's transitions
do not allow from the current one is not forced: the case gets an internal note instead (a
clerk who moved the case on is never overruled).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.errors import CaseError
from cases.models import CaseMessage
from cases.services import case_message_add, case_note_add, case_status_change
from cases.types import case_type_get
from config.errors import ServiceError
from config.queueing import task_enqueue_on_commit
from portal.selectors import service_list

from .client import Conflict, PermanentError, SubmissionApiClient, TransientError
from .conf import fitconnect_setting
from .crypto import (
    EventNotTrusted,
    KeyNotTrusted,
    SecurityEvent,
    encryption_key_verify,
    jwe_encrypt,
    public_key_verify,
    set_verify,
)
from .keys import reply_key_public
from .metadata import MetadataInvalid, leika_identifier, metadata_build, metadata_validate, submission_schema_uri
from .models import FitConnectAttempt, FitConnectSubmission, attachment_id_new

__all__ = [
    "EVENT_SUBMIT", "EVENT_ACCEPT", "EVENT_REJECT", "SendRefused", "CallbackRefused", "submission_prepare",
    "submission_send", "submission_give_up", "events_apply", "callback_verify", "sending_configured",
]

logger = logging.getLogger(__name__)

#: The base of every FIT-Connect event and problem type URI (the replies use it too).
EVENTS_URI = "https://schema.fitko.de/fit-connect/events/"
EVENT_SUBMIT = EVENTS_URI + "submit-submission"
EVENT_ACCEPT = EVENTS_URI + "accept-submission"
EVENT_REJECT = EVENTS_URI + "reject-submission"

# First key of pg_try_advisory_lock(int, int): "FC" + 1, this app's lock namespace.
_LOCK_CLASS = 0x46430001


class SendRefused(Exception):
    """A submission that cannot be sent as configured (no LeiKa key, no trusted CA file)."""


class CallbackRefused(ServiceError):
    """A callback that is not answered with work: 400 (malformed, stale) or 401 (HMAC)."""

    code = "callback_refused"


def sending_configured() -> bool:
    """Whether the sender has a Submission API to talk to."""
    return bool(fitconnect_setting("SUBMISSION_API_URL"))


# --- preparing ----------------------------------------------------------------------------

def submission_prepare(*, case, destination) -> FitConnectSubmission:
    """Store the submission of a just-created case (inside its transaction) with the ids its
    attachments will be announced under, and queue the sending on commit."""
    announced = {str(pk): attachment_id_new()
                 for pk in case.attachments.filter(message__isnull=True).order_by("pk").values_list("pk", flat=True)}
    submission = FitConnectSubmission.objects.create(case=case, destination_id=destination.destination_id,
                                                     announced_attachments=announced, next_attempt_at=timezone.now())
    task_enqueue_on_commit("fitconnect_sender.tasks.submission_send_task", submission.pk)
    return submission


# --- sending ------------------------------------------------------------------------------

@contextmanager
def _run_lock(pk: int) -> Iterator[bool]:
    """One run per submission at a time (session advisory lock; gone with a dead connection)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, pk])
        (locked,) = cursor.fetchone()
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, pk])


def _attempt(submission: FitConnectSubmission, *, step: str, outcome: str, detail: str = "") -> None:
    FitConnectAttempt.objects.create(submission=submission, step=step, outcome=outcome, detail=detail[:2000])


def _save(submission: FitConnectSubmission, *fields: str) -> None:
    submission.save(update_fields=[*fields, "updated_at"])


def _service(slug: str):
    return next((service for service in service_list() if service.slug == slug), None)


def _trusted_ca() -> bytes:
    path = fitconnect_setting("TRUSTED_CA_FILE")
    if not path or not Path(path).is_file():
        raise SendRefused(_("Die Datei der vertrauenswürdigen Zertifizierungsstelle fehlt "
                            "(FITCONNECT_TRUSTED_CA_FILE)."))
    return Path(path).read_bytes()


def _callback() -> dict | None:
    """Our callback for the Zustelldienst (`/fitconnect/callback/` on SITE_URL), if a secret is set."""
    from django.urls import reverse

    secret = fitconnect_setting("CALLBACK_SECRET")
    return {"url": settings.SITE_URL + reverse("fitconnect_sender:callback"), "secret": secret} if secret else None


def _data_bytes(case) -> bytes:
    """The form data as sent (and hashed): UTF-8 JSON with sorted keys."""
    return json.dumps(case.data or {}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _attachments(submission: FitConnectSubmission) -> list[dict]:
    """The announced attachments with their content, in the announced order."""
    stored = {str(a.pk): a for a in submission.case.attachments.filter(pk__in=list(submission.announced_attachments))}
    items = []
    for pk, attachment_id in submission.announced_attachments.items():
        attachment = stored.get(pk)
        if attachment is None:
            raise SendRefused(_("Eine Anlage des Vorgangs ist nicht mehr vorhanden."))
        with attachment.file.open("rb") as handle:
            content = handle.read()
        items.append({"id": attachment_id, "content": content, "mime_type": attachment.content_type,
                      "filename": attachment.original_name})
    return items


def _destination_check(client: SubmissionApiClient, submission: FitConnectSubmission, identifier: str):
    """The destination's verified encryption key (steps destination and key)."""
    destination_id = str(submission.destination_id)
    destination = client.destination_get(destination_id)
    if destination.get("status", "active") != "active":
        raise TransientError(f"destination {destination_id} is {destination.get('status')!r}, not active")
    offered = [service.get("identifier") for service in destination.get("services") or [] if isinstance(service, dict)]
    if offered and identifier not in offered:
        raise PermanentError(f"destination {destination_id} does not offer {identifier}")
    kid = destination.get("encryptionKid")
    if not kid:
        raise PermanentError(f"destination {destination_id} names no encryption key")
    key = client.destination_key_get(destination_id, kid)
    return encryption_key_verify(key, trusted_ca_pem=_trusted_ca(), min_bits=int(fitconnect_setting("MIN_KEY_BITS")))


def _submitted_on_server(client: SubmissionApiClient, submission: FitConnectSubmission) -> bool:
    """Whether the event log shows this submission submitted (a lost answer to the submit)."""
    keys = _KeyResolver(client, submission)
    for token in client.events_get(str(submission.remote_case_id)):
        try:
            event = set_verify(token, key_for=keys)
        except EventNotTrusted:
            continue
        if event.event == EVENT_SUBMIT and event.subject == f"submission:{submission.submission_id}":
            return True
    return False


def _send_steps(submission: FitConnectSubmission, client: SubmissionApiClient, progress: dict) -> None:
    case = submission.case
    service = _service(case.service)
    if service is None or not service.leika_key:
        raise SendRefused(_("Für die Leistung „%(service)s“ ist kein LeiKa-Schlüssel hinterlegt.")
                          % {"service": case.service})
    identifier = leika_identifier(service.leika_key)

    progress["step"] = "key"
    key = _destination_check(client, submission, identifier)

    progress["step"] = "metadata"
    data = _data_bytes(case)
    attachments = _attachments(submission)
    with translation.override(settings.LANGUAGE_CODE):
        service_name = str(service.title)
    metadata = metadata_validate(metadata_build(
        data=data, schema_uri=submission_schema_uri(form_version=case.form_version, service=case.service),
        attachments=attachments, leika_key=service.leika_key, service_name=service_name, reference=case.reference,
        application_date=timezone.localdate(case.created_at).isoformat(), reply_email=case.contact_email,
        reply_key=reply_key_public()))

    if submission.state == FitConnectSubmission.State.PENDING:
        progress["step"] = "create"
        created = client.submission_create(
            destination_id=str(submission.destination_id),
            announced_attachments=list(submission.announced_attachments.values()),
            service_type={"name": service_name, "identifier": identifier}, callback=_callback())
        submission.submission_id, submission.remote_case_id = created["submissionId"], created["caseId"]
        submission.state = FitConnectSubmission.State.CREATED
        _save(submission, "submission_id", "remote_case_id", "state")
        _attempt(submission, step="create", outcome=FitConnectAttempt.Outcome.OK,
                 detail=f"submission {submission.submission_id}, case {submission.remote_case_id}")

    for item in attachments:
        if item["id"] in submission.uploaded_attachments:
            continue
        progress["step"] = "attachment"
        encrypted = jwe_encrypt(item["content"], key=key, content_type=item["mime_type"])
        try:
            client.attachment_upload(submission_id=str(submission.submission_id), attachment_id=item["id"],
                                     encrypted=encrypted)
        except Conflict:
            pass  # uploaded before; the answer was lost
        submission.uploaded_attachments = [*submission.uploaded_attachments, item["id"]]
        _save(submission, "uploaded_attachments")
        _attempt(submission, step="attachment", outcome=FitConnectAttempt.Outcome.OK, detail=item["id"])

    progress["step"] = "submit"
    try:
        client.submission_submit(
            submission_id=str(submission.submission_id),
            encrypted_data=jwe_encrypt(data, key=key, content_type="application/json"),
            encrypted_metadata=jwe_encrypt(json.dumps(metadata, ensure_ascii=False).encode("utf-8"), key=key,
                                           content_type="application/json"))
    except Conflict:
        if not _submitted_on_server(client, submission):
            raise
    with transaction.atomic():
        submission.state = FitConnectSubmission.State.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.last_error = ""
        _save(submission, "state", "submitted_at", "last_error")
        _attempt(submission, step="submit", outcome=FitConnectAttempt.Outcome.OK,
                 detail=f"submission {submission.submission_id}")
        _case_answer(case=submission.case, status=_route_status(case, "delivered"), message="",
                     note=_("FIT-Connect: an das Fachverfahren übermittelt (Einreichung %(id)s).")
                     % {"id": submission.submission_id})


def _fail(submission: FitConnectSubmission, *, step: str, reason: str) -> None:
    """End the submission in `failed`: attempt logged, internal note on the case."""
    with transaction.atomic():
        submission.state = FitConnectSubmission.State.FAILED
        submission.last_error = reason[:2000]
        submission.next_attempt_at = None
        _save(submission, "state", "last_error", "next_attempt_at")
        _attempt(submission, step=step, outcome=FitConnectAttempt.Outcome.FAILED, detail=reason)
        with translation.override(settings.LANGUAGE_CODE):
            case_note_add(case=submission.case, note=_(
                "FIT-Connect: Der Antrag wurde nicht an das Fachverfahren übermittelt (Schritt „%(step)s“: "
                "%(reason)s). Bitte bearbeiten Sie den Vorgang hier im Backoffice.") % {"step": step, "reason": reason})


def submission_send(*, pk: int, client: SubmissionApiClient | None = None) -> str:
    """Run the sending steps of submission `pk` from its stored state; returns "sent",
    "failed", "busy" (another worker runs it) or "done" (nothing left). Raises
    TransientError after logging it, for the task to retry."""
    with _run_lock(pk) as locked:
        if not locked:
            return "busy"
        submission = FitConnectSubmission.objects.select_related("case").get(pk=pk)
        if submission.state not in FitConnectSubmission.SENDING:
            return "done"
        submission.attempts += 1
        _save(submission, "attempts")
        client = client or SubmissionApiClient.from_settings()
        progress = {"step": "destination"}
        try:
            _send_steps(submission, client, progress)
        except TransientError as exc:
            submission.last_error = str(exc)[:2000]
            _save(submission, "last_error")
            _attempt(submission, step=progress["step"], outcome=FitConnectAttempt.Outcome.RETRY, detail=str(exc))
            raise
        except (PermanentError, KeyNotTrusted, MetadataInvalid, SendRefused, CaseError) as exc:
            _fail(submission, step=progress["step"], reason=str(exc))
            return "failed"
        except Exception as exc:  # a bug or an unreadable file: logged and counted like a transient error,
            # so that MAX_ATTEMPTS ends it with a note instead of beat re-queueing it forever.
            logger.exception("FIT-Connect submission %s failed unexpectedly", pk)
            detail = f"{exc.__class__.__name__}: {exc}"
            submission.last_error = detail[:2000]
            _save(submission, "last_error")
            _attempt(submission, step=progress["step"], outcome=FitConnectAttempt.Outcome.RETRY, detail=detail)
            raise TransientError(detail) from exc
        return "sent"


def submission_give_up(*, pk: int, reason: str) -> None:
    """After the last retry: the submission fails like a permanent error (note on the case)."""
    with _run_lock(pk) as locked:
        submission = FitConnectSubmission.objects.select_related("case").get(pk=pk)
        if locked and submission.state in FitConnectSubmission.SENDING:
            _fail(submission, step="retries", reason=reason)


def submission_schedule(*, pk: int, at) -> None:
    """Remember when the next attempt is due (beat re-queues it if the task is lost)."""
    FitConnectSubmission.objects.filter(pk=pk).update(next_attempt_at=at, updated_at=timezone.now())


# --- answers ------------------------------------------------------------------------------

class _KeyResolver:
    """The public key of an event's issuer: the destination's signature key (chain checked)
    for the specialist system's events, the Zustelldienst's JWKS for its own. Cached per run."""

    def __init__(self, client: SubmissionApiClient, submission: FitConnectSubmission):
        self.client, self.destination_id = client, str(submission.destination_id)
        self.cache: dict = {}

    def __call__(self, issuer: str, kid: str):
        if (issuer, kid) not in self.cache:
            self.cache[issuer, kid] = self._lookup(issuer, kid)
        return self.cache[issuer, kid]

    def _lookup(self, issuer: str, kid: str):
        try:
            if issuer == self.destination_id:
                key = self.client.destination_key_get(self.destination_id, kid)
                return public_key_verify(key, use="signature", trusted_ca_pem=_trusted_ca(),
                                         min_bits=int(fitconnect_setting("MIN_KEY_BITS")))
            return next((key for key in self.client.service_keys_get() if key.get("kid") == kid), None)
        except (KeyNotTrusted, PermanentError, SendRefused) as exc:
            logger.warning("FIT-Connect: key %s of %s not usable: %s", kid, issuer, exc)
            return None


def _route_status(case, step: str) -> str:
    """The status the case type of `case` names for `step` ("delivered", "accepted",
    "rejected"; `CaseType.<step>_status`), or "" when it names none."""
    case_type = case_type_get(case.service)
    return (getattr(case_type, f"{step}_status", None) or "") if case_type else ""


def _case_answer(*, case, status: str, message: str, note: str) -> None:
    """The case side of an answer: the case type's status (if its transitions allow it from
    the current status; otherwise only the note), a message to the citizen, an internal note."""
    case_type = case_type_get(case.service)
    if status and case_type and status != case.status and status in case_type.transitions_from(case.status):
        case_status_change(case=case, status=status, note_internal=note)
    elif note:
        case_note_add(case=case, note=note)
    if message:
        case_message_add(case=case, body=message, direction=CaseMessage.Direction.TO_CITIZEN)


def _event_apply(*, pk: int, event: SecurityEvent) -> bool:
    """Apply one verified event once; True if it changed something."""
    with transaction.atomic():
        submission = FitConnectSubmission.objects.select_for_update().select_related("case").get(pk=pk)
        if event.jti in submission.events_applied:
            return False
        submission.events_applied = [*submission.events_applied, event.jti]
        _save(submission, "events_applied")
        if event.event not in (EVENT_ACCEPT, EVENT_REJECT) or submission.state != FitConnectSubmission.State.SUBMITTED:
            return False
        accepted = event.event == EVENT_ACCEPT
        submission.state = FitConnectSubmission.State.ACCEPTED if accepted else FitConnectSubmission.State.REJECTED
        submission.answered_at = timezone.now()
        _save(submission, "state", "answered_at")
        _attempt(submission, step="answer", outcome=FitConnectAttempt.Outcome.OK, detail=event.event)
        case = submission.case
        problems = "; ".join(str(p.get("title") or p.get("type") or "") for p in event.payload.get("problems") or []
                             if isinstance(p, dict))
        with translation.override(case.language):
            if accepted:
                message = _("Die zuständige Stelle hat Ihren Antrag erhalten und angenommen.")
            elif problems:
                # The specialist system's reasons (problem titles), in the citizen's message too.
                message = _("Die zuständige Stelle konnte Ihren Antrag nicht annehmen. Grund: %(problems)s. "
                            "Wir melden uns bei Ihnen, wie es weitergeht.") % {"problems": problems[:500]}
            else:
                message = _("Die zuständige Stelle konnte Ihren Antrag nicht annehmen. Wir melden uns bei Ihnen, "
                            "wie es weitergeht.")
        with translation.override(settings.LANGUAGE_CODE):
            note = (_("FIT-Connect: vom Fachverfahren angenommen.") if accepted else
                    _("FIT-Connect: vom Fachverfahren abgelehnt (%(problems)s).") % {"problems": problems or "–"})
        _case_answer(case=case, status=_route_status(case, "accepted" if accepted else "rejected"), message=message,
                     note=note)
        return True


def events_apply(*, pk: int, client: SubmissionApiClient | None = None) -> int:
    """Read the event log of submission `pk` and apply what is new; returns how many events
    changed something. A SET that does not verify is logged and skipped."""
    submission = FitConnectSubmission.objects.get(pk=pk)
    if submission.state not in FitConnectSubmission.WAITING or not submission.remote_case_id:
        return 0
    client = client or SubmissionApiClient.from_settings()
    keys = _KeyResolver(client, submission)
    changed = 0
    for token in client.events_get(str(submission.remote_case_id)):
        try:
            event = set_verify(token, key_for=keys)
            if event.transaction != f"case:{submission.remote_case_id}":
                raise EventNotTrusted(f"event {event.jti} belongs to {event.transaction}")
            if event.event in (EVENT_ACCEPT, EVENT_REJECT) and event.issuer != str(submission.destination_id):
                raise EventNotTrusted(f"event {event.jti}: {event.event} not issued by the destination")
        except EventNotTrusted as exc:
            _attempt(submission, step="event", outcome=FitConnectAttempt.Outcome.FAILED, detail=str(exc))
            continue
        if event.subject != f"submission:{submission.submission_id}":
            continue
        changed += _event_apply(pk=pk, event=event)
    return changed


# --- callbacks ----------------------------------------------------------------------------

def callback_verify(*, body: bytes, timestamp: str | None, authentication: str | None, now=None) -> None:
    """Check a callback of the Zustelldienst: `callback-authentication` is the hex HMAC-SHA512
    of "<callback-timestamp>.<body>" with the callback secret, compared in constant time, and
    the timestamp (Unix seconds) is at most CALLBACK_MAX_AGE old (and not from the future by
    more than that: clocks differ). CallbackRefused (400/401/404) otherwise."""
    secret = fitconnect_setting("CALLBACK_SECRET")
    if not secret:
        raise CallbackRefused(_("Rückmeldungen von FIT-Connect sind hier nicht eingerichtet."), status=404)
    if not timestamp or not authentication:
        raise CallbackRefused(_("Die Kopfzeilen callback-authentication und callback-timestamp sind erforderlich."),
                              status=400)
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise CallbackRefused(_("Der Zeitstempel der Rückmeldung ist keine ganze Zahl."), status=400) from None
    expected = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha512).hexdigest()
    if not hmac.compare_digest(expected.encode("ascii"), authentication.strip().lower().encode("ascii", "replace")):
        raise CallbackRefused(_("Die Signatur der Rückmeldung stimmt nicht."), status=401)
    now = int((now or timezone.now()).timestamp())
    if abs(now - sent_at) > int(fitconnect_setting("CALLBACK_MAX_AGE")):
        raise CallbackRefused(_("Die Rückmeldung ist zu alt (höchstens %(n)s Sekunden)." )
                              % {"n": fitconnect_setting("CALLBACK_MAX_AGE")}, status=400)
