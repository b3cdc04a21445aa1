"""The reference subscriber: a small Fachverfahren stand-in for the demo destination.

    python -m fitconnect_dev.subscriber --state DIR --server http://127.0.0.1:8766 [--interval 2] [--once]

It polls ``GET /v1/submissions`` of its destination and, for each submission:

1. fetches it and decrypts metadata, data and every attachment with the destination's private
   encryption key (``destination-keys.json`` in DIR);
2. checks the metadata against the metadata schema 1.0.0 (``schema/``), the SHA-512 hashes of
   data and attachments, and that the attachments named in the metadata are those of the
   submission;
3. posts ``accept-submission`` — or ``reject-submission`` with one problem per failed check
   (``https://schema.fitko.de/fit-connect/events/problems/<name>``) — signed with the
   destination's signature key;
4. for an accepted Meldebescheinigung or Abmeldung ins Ausland (by the service name of the
   serviceType identifier), sends back a generated PDF through the reply route
   (``POST /v1/replies``, attachment upload, ``PUT /v1/replies/{id}``), encrypted for the key the
   sender named in ``metadata.replyChannel.fitConnect.encryptionPublicKey`` (a public RSA JWK).
   Without that reply channel no reply is sent.

Robustness: its own small SQLite file (``subscriber.sqlite3`` in DIR) records each decision
*before* the event is posted and each reply id before it is filled, so after a crash or a
server restart it finishes what it started — an event is never posted for a different
decision and a submission is answered once (a 409 from the server means "already done").
Network errors are logged and retried on the next poll.
"""

import argparse
import datetime as dt
import json
import logging
import sqlite3
import sys
import threading
import time
import uuid
from pathlib import Path

import jsonschema
import requests

from fitconnect_dev import crypto, spec
from fitconnect_dev.bootstrap import config_load
from fitconnect_dev.certificate import certificate_pdf, person_from_data

__all__ = ["Subscriber", "submission_examine", "metadata_schema", "main"]

log = logging.getLogger("fitconnect_dev.subscriber")
SCHEMA_FILE = Path(__file__).parent / "schema" / "metadata.schema.v1.0.0.json"
REPLY_SCHEMA_URI = "urn:stadtmelder:fitconnect-dev:antwort:1"
DOCUMENT_TITLES = (("Abmeldung", "Abmeldebestätigung"), ("Meldebescheinigung", "Meldebescheinigung"))


def metadata_schema() -> dict:
    """The published metadata schema 1.0.0 shipped with this package."""
    return json.loads(SCHEMA_FILE.read_text())


def _problem(name: str, title: str, detail: str, instance: str) -> dict:
    return {"type": spec.EVENT_PROBLEM_PREFIX + name, "title": title, "detail": detail, "instance": instance}


def submission_examine(submission: dict, attachments: dict[str, str], private_jwk: dict) -> tuple[dict, list[dict]]:
    """Decrypt and check a submission: ({"metadata", "data", "attachments"}, problems).

    ``attachments`` maps attachment id → JWE as fetched. ``problems`` is empty when every check
    passed; each problem names the failed check (encryption-issue, syntax-violation,
    schema-violation, hash-mismatch, attachments-mismatch).
    """
    problems: list[dict] = []
    result: dict = {"metadata": None, "data": None, "attachments": {}}
    try:
        metadata = json.loads(crypto.jwe_decrypt(submission["encryptedMetadata"], private_jwk))
    except crypto.CryptoError as exc:
        return result, [_problem("encryption-issue", "Metadaten nicht entschlüsselbar", str(exc), "metadata")]
    except ValueError as exc:
        return result, [_problem("syntax-violation", "Metadaten sind kein JSON", str(exc), "metadata")]
    result["metadata"] = metadata
    errors = sorted(jsonschema.Draft202012Validator(
        metadata_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).iter_errors(metadata),
        key=lambda e: list(e.path))
    if errors:
        detail = "; ".join(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:5])
        return result, [_problem("schema-violation", "Metadaten verletzen das Schema 1.0.0", detail, "metadata")]
    structure = metadata["contentStructure"]

    if "encryptedData" in submission:
        try:
            data_bytes = crypto.jwe_decrypt(submission["encryptedData"], private_jwk)
        except crypto.CryptoError as exc:
            problems.append(_problem("encryption-issue", "Fachdaten nicht entschlüsselbar", str(exc), "data"))
        else:
            expected = (structure.get("data") or {}).get("hash", {}).get("content")
            if expected is None:
                problems.append(_problem("missing-schema", "Fachdaten ohne Angaben in den Metadaten",
                                         "contentStructure.data fehlt", "data"))
            elif crypto.sha512_hex(data_bytes) != expected:
                problems.append(_problem("hash-mismatch", "Prüfsumme der Fachdaten stimmt nicht",
                                         "SHA-512 der Fachdaten weicht von den Metadaten ab", "data"))
            mime = (structure.get("data") or {}).get("submissionSchema", {}).get("mimeType", "application/json")
            if mime == "application/json":
                try:
                    result["data"] = json.loads(data_bytes)
                except ValueError as exc:
                    problems.append(_problem("syntax-violation", "Fachdaten sind kein JSON", str(exc), "data"))
            else:
                result["data"] = data_bytes
    elif structure.get("data"):
        problems.append(_problem("missing-data", "Fachdaten fehlen", "Metadaten nennen Fachdaten", "data"))

    described = {a["attachmentId"]: a for a in structure.get("attachments", [])}
    if set(described) != set(submission.get("attachments", [])):
        detail = f"Metadaten: {sorted(described)}, Einreichung: {sorted(submission.get('attachments', []))}"
        problems.append(_problem("attachments-mismatch", "Anlagen passen nicht zu den Metadaten", detail, "metadata"))
    for attachment_id, token in attachments.items():
        try:
            content = crypto.jwe_decrypt(token, private_jwk)
        except crypto.CryptoError as exc:
            problems.append(_problem("encryption-issue", "Anlage nicht entschlüsselbar", str(exc),
                                     f"attachment:{attachment_id}"))
            continue
        result["attachments"][attachment_id] = content
        expected = described.get(attachment_id, {}).get("hash", {}).get("content")
        if expected is not None and crypto.sha512_hex(content) != expected:
            problems.append(_problem("hash-mismatch", "Prüfsumme einer Anlage stimmt nicht",
                                     f"SHA-512 der Anlage {attachment_id} weicht von den Metadaten ab",
                                     f"attachment:{attachment_id}"))
    return result, problems


class ApiError(RuntimeError):
    """An unexpected answer of the Submission API."""

    def __init__(self, response: requests.Response):
        super().__init__(f"{response.request.method} {response.url} -> {response.status_code}: {response.text[:300]}")
        self.status = response.status_code
        try:
            self.problem_type = response.json().get("type", "")
        except ValueError:
            self.problem_type = ""


class Subscriber:
    """One reference subscriber process for the destination in ``state_dir``."""

    def __init__(self, state_dir, server_url: str, *, interval: float = 2.0):
        self.state_dir = Path(state_dir)
        self.config = config_load(self.state_dir)
        keys = json.loads((self.state_dir / "destination-keys.json").read_text())
        self.encryption_key, self.signature_key = keys["encryption"], keys["signature"]
        self.base = server_url.rstrip("/")
        self.interval = interval
        self.session = requests.Session()
        self._token: tuple[str, float] | None = None
        self.stop = threading.Event()
        self.db = sqlite3.connect(self.state_dir / "subscriber.sqlite3", isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("CREATE TABLE IF NOT EXISTS handled (submission_id TEXT PRIMARY KEY, case_id TEXT NOT NULL, "
                        "decision TEXT NOT NULL, problems TEXT NOT NULL, event_posted INTEGER NOT NULL DEFAULT 0, "
                        "reply_id TEXT, reply_done INTEGER NOT NULL DEFAULT 0)")

    # --- HTTP --------------------------------------------------------------------------------
    def _access_token(self) -> str:
        if self._token is None or self._token[1] < time.time() + 30:
            client = self.config["subscriber"]
            response = self.session.post(self.base + "/token", timeout=15, data={
                "grant_type": "client_credentials", "client_id": client["clientId"],
                "client_secret": client["clientSecret"], "scope": client["scope"]})
            if response.status_code != 200:
                raise ApiError(response)
            body = response.json()
            self._token = (body["access_token"], time.time() + body["expires_in"])
        return self._token[0]

    def _call(self, method: str, path: str, *, ok=(200,), **kwargs) -> requests.Response:
        extra_headers = kwargs.pop("headers", {})
        for attempt in (1, 2):
            headers = {"Authorization": "Bearer " + self._access_token(), **extra_headers}
            response = self.session.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self._token = None  # server restarted with fresh tokens: get a new one once
                continue
            if response.status_code not in ok:
                raise ApiError(response)
            return response
        raise AssertionError("unreachable")

    # --- the loop ----------------------------------------------------------------------------
    def run(self, *, once: bool = False) -> None:
        """Poll until stopped (or one round with ``once``); errors are logged and retried."""
        log.info("Referenz-Fachverfahren für Zustellpunkt %s an %s", self.config["destinationId"], self.base)
        while not self.stop.is_set():
            try:
                self.poll_once()
            except (requests.RequestException, ApiError) as exc:
                log.warning("Abruf fehlgeschlagen, neuer Versuch beim nächsten Durchlauf: %s", exc)
            if once:
                return
            self.stop.wait(self.interval)

    def poll_once(self) -> int:
        """Finish interrupted work, then handle every waiting submission; returns how many were handled."""
        for row in self.db.execute("SELECT submission_id FROM handled WHERE event_posted = 0 OR "
                                   "(decision = 'accepted' AND reply_done = 0)").fetchall():
            self._handle_isolated(row["submission_id"])
        handled = failed = 0
        while True:
            # Decided submissions leave the list; the ones that failed stay in front (same order).
            page = self._call("GET", "/v1/submissions", params={
                "destinationId": self.config["destinationId"], "offset": failed, "limit": 100}).json()
            for ref in page["submissions"]:
                if self._handle_isolated(ref["submissionId"]):
                    handled += 1
                else:
                    failed += 1
            if page["count"] < 100:
                return handled

    def _handle_isolated(self, submission_id: str) -> int:
        """Handle one submission; any failure but the network's is logged and does not stop the others.

        Network errors propagate: the whole round is retried later.
        """
        try:
            self.submission_handle(submission_id)
            return 1
        except requests.RequestException:
            raise
        except Exception:  # one bad submission (or reply key) must not stop the Fachverfahren
            log.exception("Einreichung %s nicht bearbeitet, neuer Versuch beim nächsten Durchlauf", submission_id)
            return 0

    def submission_handle(self, submission_id: str) -> None:
        """Examine, decide (once), post the event and send the reply for one submission."""
        submission = self._call("GET", f"/v1/submissions/{submission_id}").json()
        attachments = {a: self._call("GET", f"/v1/submissions/{submission_id}/attachments/{a}").text
                       for a in submission.get("attachments", [])}
        content, problems = submission_examine(submission, attachments, self.encryption_key)
        row = self.db.execute("SELECT * FROM handled WHERE submission_id = ?", (submission_id,)).fetchone()
        if row is None:
            decision = "rejected" if problems else "accepted"
            self.db.execute("INSERT INTO handled (submission_id, case_id, decision, problems) VALUES (?, ?, ?, ?)",
                            (submission_id, submission["caseId"], decision, json.dumps(problems)))
            row = self.db.execute("SELECT * FROM handled WHERE submission_id = ?", (submission_id,)).fetchone()
        if not row["event_posted"]:
            self._decision_post(submission, row["decision"], json.loads(row["problems"]))
        if row["decision"] == "accepted" and not row["reply_done"]:
            self._reply_send(submission, content, row["reply_id"])

    def _decision_post(self, submission: dict, decision: str, problems: list[dict]) -> None:
        event = "accept-submission" if decision == "accepted" else "reject-submission"
        token = crypto.set_sign(
            private_jwk=self.signature_key, issuer=submission["destinationId"],
            subject=f"submission:{submission['submissionId']}", txn=f"case:{submission['caseId']}", event=event,
            payload={"problems": problems} if decision == "rejected" else {})
        try:
            self._call("POST", f"/v1/cases/{submission['caseId']}/events", ok=(204,), data=token,
                       headers={"Content-Type": "application/jose"})
        except ApiError as exc:
            if not (exc.status == 409 and exc.problem_type.endswith("submission-state-invalid")):
                raise
            log.info("Einreichung %s war schon entschieden", submission["submissionId"])
        self.db.execute("UPDATE handled SET event_posted = 1 WHERE submission_id = ?", (submission["submissionId"],))
        log.info("Einreichung %s: %s%s", submission["submissionId"], event,
                 "" if not problems else " (" + ", ".join(p["type"].rsplit("/", 1)[1] for p in problems) + ")")

    def _document_title(self, submission: dict) -> str | None:
        identifier = submission.get("serviceType", {}).get("identifier")
        names = {s["identifier"]: s["name"] for s in self.config["services"]}
        name = names.get(identifier, "")
        return next((title for word, title in DOCUMENT_TITLES if word in name), None)

    def _reply_send(self, submission: dict, content: dict, reply_id: str | None) -> None:
        submission_id = submission["submissionId"]
        title = self._document_title(submission)
        reply_key = ((content.get("metadata") or {}).get("replyChannel") or {}).get("fitConnect", {}) \
            .get("encryptionPublicKey")
        if title is None or not isinstance(reply_key, dict) or reply_key.get("kty") != "RSA":
            log.info("Einreichung %s: keine Antwort (%s)", submission_id,
                     "keine Bescheinigung für diese Leistung" if title is None else "kein Rückkanal fitConnect")
            self.db.execute("UPDATE handled SET reply_done = 1 WHERE submission_id = ?", (submission_id,))
            return
        try:
            crypto.jwe_encrypt(b"", reply_key)
        except Exception:  # a key we cannot encrypt for: answering is impossible, deciding was not
            log.warning("Einreichung %s: Antwortschlüssel unbrauchbar, keine Antwort", submission_id)
            self.db.execute("UPDATE handled SET reply_done = 1 WHERE submission_id = ?", (submission_id,))
            return
        person = person_from_data(content.get("data"))
        pdf = certificate_pdf(title=title, person=person, case_id=submission["caseId"])
        # Deterministic attachment id per submission, so a resumed reply re-uploads the same one.
        attachment_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"fitconnect-dev:reply-pdf:{submission_id}"))
        data = json.dumps({"$schema": REPLY_SCHEMA_URI, "submissionId": submission_id, "dokument": title,
                           "ausgestelltAm": dt.date.today().isoformat(), "person": person},
                          ensure_ascii=False).encode()
        metadata = {
            "$schema": spec.METADATA_SCHEMA_URI,
            "publicServiceType": submission.get("serviceType", {}),
            "contentStructure": {
                "data": {"hash": {"type": "sha512", "content": crypto.sha512_hex(data)},
                         "submissionSchema": {"schemaUri": REPLY_SCHEMA_URI, "mimeType": "application/json"}},
                "attachments": [{"attachmentId": attachment_id, "purpose": "report", "mimeType": "application/pdf",
                                 "filename": f"{title}.pdf", "description": title,
                                 "hash": {"type": "sha512", "content": crypto.sha512_hex(pdf)}}],
            },
        }
        jsonschema.validate(metadata, metadata_schema())
        if reply_id is None:
            reply_id = self._call("POST", "/v1/replies", ok=(201,), json={
                "submissionId": submission_id, "announcedAttachments": [attachment_id]}).json()["replyId"]
            self.db.execute("UPDATE handled SET reply_id = ? WHERE submission_id = ?", (reply_id, submission_id))
        try:
            self._call("PUT", f"/v1/replies/{reply_id}/attachments/{attachment_id}", ok=(204,),
                       data=crypto.jwe_encrypt(pdf, reply_key), headers={"Content-Type": "application/jose"})
            self._call("PUT", f"/v1/replies/{reply_id}", ok=(202,), json={
                "encryptedData": crypto.jwe_encrypt(data, reply_key, cty="application/json"),
                "encryptedMetadata": crypto.jwe_encrypt(json.dumps(metadata).encode(), reply_key,
                                                        cty="application/json")})
        except ApiError as exc:
            if not (exc.status == 409 and exc.problem_type.endswith("reply-state-invalid")):
                raise
        self.db.execute("UPDATE handled SET reply_done = 1 WHERE submission_id = ?", (submission_id,))
        log.info("Einreichung %s: %s als Antwort %s gesendet", submission_id, title, reply_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fitconnect_dev.subscriber")
    parser.add_argument("--state", required=True, help="state directory of the test server (after `server init`)")
    parser.add_argument("--server", required=True, help="base URL of the test server, e.g. http://127.0.0.1:8766")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between two polls")
    parser.add_argument("--once", action="store_true", help="poll once and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="fitconnect-subscriber %(levelname)s: %(message)s")
    subscriber = Subscriber(args.state, args.server, interval=args.interval)
    try:
        subscriber.run(once=args.once)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
