"""The Submission API v1 of the test Zustelldienst as a WSGI application (Werkzeug).

Why Werkzeug: the server must run outside the Django web app (its own process, its own
settings-free state), and Werkzeug — already in our lock file, maintained by Pallets — gives
routing, request parsing and a threaded server in one small library, without a framework.

Endpoints (paths as in the published OpenAPI of the Submission API v1; "sender" = client with
scope ``send:region:DE``, "subscriber" = client with ``subscribe:destination:<id>``):

===========================================================  ==========  =========================
``POST /token``  (OAuth 2.0 client credentials, form body)   anyone      200 / 400 / 401
``GET  /.well-known/jwks.json``  Zustelldienst SET keys      anyone      200
``GET  /v1/destinations/{id}``                               any client  200 / 404
``PATCH /v1/destinations/{id}`` (status, callback)           subscriber  200 / 403 / 422
``GET  /v1/destinations/{id}/keys/{kid}``  JWK with x5c      anyone      200 / 404
``POST /v1/submissions``                                     sender      201 / 404 / 409 / 422
``PUT  /v1/submissions/{id}/attachments/{attId}`` (jose)     sender      204 / 404 / 409 / 415 / 422
``PUT  /v1/submissions/{id}`` (encryptedData/-Metadata)      sender      202 / 409 / 422
``GET  /v1/submissions`` (?destinationId, offset, limit)     subscriber  200
``GET  /v1/destinations/{id}/submissions``                   subscriber  200 / 403
``GET  /v1/submissions/{id}``                                subscriber  200 / 403 / 404
``GET  /v1/submissions/{id}/attachments/{attId}``            subscriber  200 / 404
``GET  /v1/cases/{caseId}/events``                           both        200 / 403 / 404
``POST /v1/cases/{caseId}/events`` (SET, application/jose)   both        204 / 409 / 415 / 422
``POST /v1/replies``                                         subscriber  201 / 409 / 422
``PUT  /v1/replies/{id}/attachments/{attId}``                subscriber  204
``PUT  /v1/replies/{id}``                                    subscriber  202
``GET  /v1/replies`` / ``GET /v1/replies/{id}`` (+ attachments) sender   200
===========================================================  ==========  =========================

Errors are RFC 7807 problem documents (``application/problem+json``) whose ``type`` is
``https://schema.fitko.de/fit-connect/submission-api/problems/<name>``.

Events: the server signs ``create-submission``, ``submit-submission`` (with the JWE
authentication tags of data, metadata and every attachment), ``create-reply`` and
``submit-reply`` with its own key (``/.well-known/jwks.json``). A subscriber posts
``accept-submission`` / ``reject-submission`` SETs signed with the destination's signature key;
the server checks signature (kid → the destination's key), issuer (= destination id), subject,
``txn`` and state before it appends them. A sender posts ``accept-reply`` / ``reject-reply``;
senders register no keys here, so those are checked for form but not for signature.

Callbacks (see :mod:`fitconnect_dev.callbacks`): ``new-submissions`` to the destination's
callback when a submission is submitted (``{"type", "submissionIds", "submissions": [{destinationId,
submissionId, caseId}]}``, as documented); ``new-events`` to the submission's callback when the
subscriber accepts/rejects (``{"type", "submissionIds", "submissions": [...]}``) and
``new-replies`` when a reply is submitted (``{"type", "replies": [{replyId, submissionId,
caseId}]}``) — the latter two are our reading; the documentation only names their types.
"""

import json
import logging
import re
import secrets
import time
import uuid
from pathlib import Path

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from fitconnect_dev import crypto, spec
from fitconnect_dev.bootstrap import config_load
from fitconnect_dev.callbacks import CallbackSender, callback_enqueue
from fitconnect_dev.store import Store

__all__ = ["SubmissionApi", "Problem", "app_create"]

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024 * 1024
URN_PATTERN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:[a-z0-9()+,.:=@;$_!*'%/?#-]+$")


class Problem(Exception):
    """An RFC 7807 problem answer; raised anywhere in a handler."""

    def __init__(self, status: int, name: str, title: str, detail: str = "", headers: dict | None = None):
        super().__init__(detail or title)
        self.status, self.name, self.title, self.detail, self.headers = status, name, title, detail, headers or {}

    def response(self, instance: str) -> Response:
        body = {"type": spec.PROBLEM_PREFIX + self.name, "title": self.title, "status": self.status,
                "detail": self.detail or self.title, "instance": instance}
        return Response(json.dumps(body, ensure_ascii=False), status=self.status,
                        content_type="application/problem+json", headers=self.headers)


def _uuid(value, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise Problem(404, f"{what}-not-found", f"{what} not found", f"'{value}' is not a UUID") from None


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


def _page(request: Request) -> tuple[int, int]:
    try:
        offset = int(request.args.get("offset", 0))
        limit = int(request.args.get("limit", 100))
    except ValueError:
        raise Problem(400, "parameter-invalid", "Invalid query parameter",
                      "offset and limit must be integers") from None
    if offset < 0 or not 1 <= limit <= spec.MAX_LIST_LIMIT:
        raise Problem(400, "parameter-invalid", "Invalid query parameter",
                      f"offset must be >= 0 and limit between 1 and {spec.MAX_LIST_LIMIT}")
    return offset, limit


class Client:
    """The authenticated API client of a request."""

    def __init__(self, client_id: str, role: str, scopes: list[str]):
        self.client_id, self.role, self.scopes = client_id, role, scopes

    def subscribes(self, destination_id: str) -> bool:
        return spec.scope_subscribe(destination_id) in self.scopes

    @property
    def is_sender(self) -> bool:
        return spec.SCOPE_SEND in self.scopes


class SubmissionApi:
    """WSGI application over one state directory."""

    def __init__(self, state_dir, *, start_callbacks: bool = True):
        self.state_dir = Path(state_dir)
        self.config = config_load(self.state_dir)
        self.store = Store(self.state_dir / "state.sqlite3")
        keys = json.loads((self.state_dir / "server-signing-key.json").read_text())
        self.signing_private, self.signing_public = keys["private"], keys["public"]
        self.callbacks = CallbackSender(self.store)
        if start_callbacks:
            self.callbacks.start()
        r = Rule
        self.url_map = Map([
            r("/token", endpoint="token", methods=["POST"]),
            r("/.well-known/jwks.json", endpoint="jwks", methods=["GET"]),
            r("/v1/destinations/<destination_id>", endpoint="destination_get", methods=["GET"]),
            r("/v1/destinations/<destination_id>", endpoint="destination_patch", methods=["PATCH"]),
            r("/v1/destinations/<destination_id>/keys/<kid>", endpoint="destination_key", methods=["GET"]),
            r("/v1/destinations/<destination_id>/submissions", endpoint="destination_submissions", methods=["GET"]),
            r("/v1/submissions", endpoint="submission_create", methods=["POST"]),
            r("/v1/submissions", endpoint="submission_list", methods=["GET"]),
            r("/v1/submissions/<submission_id>", endpoint="submission_submit", methods=["PUT"]),
            r("/v1/submissions/<submission_id>", endpoint="submission_get", methods=["GET"]),
            r("/v1/submissions/<submission_id>/attachments/<attachment_id>", endpoint="submission_attachment_put",
              methods=["PUT"]),
            r("/v1/submissions/<submission_id>/attachments/<attachment_id>", endpoint="submission_attachment_get",
              methods=["GET"]),
            r("/v1/cases/<case_id>/events", endpoint="events_get", methods=["GET"]),
            r("/v1/cases/<case_id>/events", endpoint="events_post", methods=["POST"]),
            r("/v1/replies", endpoint="reply_create", methods=["POST"]),
            r("/v1/replies", endpoint="reply_list", methods=["GET"]),
            r("/v1/replies/<reply_id>", endpoint="reply_submit", methods=["PUT"]),
            r("/v1/replies/<reply_id>", endpoint="reply_get", methods=["GET"]),
            r("/v1/replies/<reply_id>/attachments/<attachment_id>", endpoint="reply_attachment_put", methods=["PUT"]),
            r("/v1/replies/<reply_id>/attachments/<attachment_id>", endpoint="reply_attachment_get", methods=["GET"]),
        ], strict_slashes=False)

    # --- WSGI --------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = MAX_BODY_BYTES
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match()
            response = getattr(self, endpoint)(request, **args)
        except Problem as problem:
            response = problem.response(request.path)
        except HTTPException as exc:
            names = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large"}
            response = Problem(exc.code, names.get(exc.code, "request-invalid"), exc.name,
                               exc.description or "").response(request.path)
            if exc.code == 405:
                response.headers["Allow"] = ", ".join(exc.valid_methods or [])
        except Exception:
            log.exception("unexpected error on %s %s", request.method, request.path)
            response = Problem(500, "internal-error", "Internal server error").response(request.path)
        return response(environ, start_response)

    # --- helpers -----------------------------------------------------------------------------
    def _client(self, request: Request) -> Client:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="fit-connect-dev"'}
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(401, "unauthorized", "Unauthorized", "Bearer access token required", challenge)
        with self.store.read() as db:
            row = db.execute("SELECT t.client_id, t.scopes, t.expires_at, c.role FROM tokens t "
                             "JOIN clients c USING (client_id) WHERE t.token = ?", (token.strip(),)).fetchone()
        if row is None or row["expires_at"] < time.time():
            raise Problem(401, "unauthorized", "Unauthorized", "access token unknown or expired",
                          {"WWW-Authenticate": 'Bearer realm="fit-connect-dev", error="invalid_token"'})
        return Client(row["client_id"], row["role"], row["scopes"].split())

    @staticmethod
    def _body_json(request: Request) -> dict:
        if request.mimetype != "application/json":
            raise Problem(415, "unsupported-media-type", "Unsupported media type",
                          "Content-Type must be application/json")
        try:
            body = json.loads(request.get_data(cache=True) or b"null")
        except ValueError:
            raise Problem(400, "request-body-invalid", "Invalid request body", "body is not valid JSON") from None
        if not isinstance(body, dict):
            raise Problem(422, "request-body-invalid", "Invalid request body", "body must be a JSON object")
        return body

    @staticmethod
    def _body_jose(request: Request) -> str:
        if request.mimetype != "application/jose":
            raise Problem(415, "unsupported-media-type", "Unsupported media type",
                          "Content-Type must be application/jose")
        try:
            return request.get_data(cache=True).decode("ascii").strip()
        except UnicodeDecodeError:
            raise Problem(422, "jose-invalid", "Invalid JOSE object", "body must be ASCII (compact serialisation)") \
                from None

    @staticmethod
    def _jwe_check(token, what: str) -> str:
        if not isinstance(token, str):
            raise Problem(422, "request-body-invalid", "Invalid request body", f"{what} must be a JWE string")
        try:
            header = crypto.jwe_header(token)
        except crypto.CryptoError as exc:
            raise Problem(422, "jwe-invalid", "Invalid JWE", f"{what}: {exc}") from None
        if header.get("alg") != spec.JWE_ALG or header.get("enc") != spec.JWE_ENC or not header.get("kid"):
            raise Problem(422, "jwe-invalid", "Invalid JWE",
                          f"{what}: header must have alg {spec.JWE_ALG}, enc {spec.JWE_ENC} and a kid")
        return token.strip()

    def _issuer(self, request: Request) -> str:
        return request.host_url.rstrip("/")

    def _server_event(self, db, request, *, case_id: str, subject: str, event: str, payload: dict | None = None):
        token = crypto.set_sign(private_jwk=self.signing_private, issuer=self._issuer(request), subject=subject,
                                txn=f"case:{case_id}", event=event, payload=payload)
        _header, claims = crypto.set_parse(token)
        db.execute("INSERT INTO events (case_id, subject, event, token, jti, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   (case_id, subject, event, token, claims["jti"], time.time()))

    def _destination(self, db, destination_id: str):
        row = db.execute("SELECT * FROM destinations WHERE destination_id = ?", (destination_id,)).fetchone()
        if row is None:
            raise Problem(404, "destination-not-found", "Destination not found",
                          f"destination {destination_id} does not exist")
        return row

    def _submission(self, db, submission_id: str):
        row = db.execute("SELECT * FROM submissions WHERE submission_id = ?", (submission_id,)).fetchone()
        if row is None:
            raise Problem(404, "submission-not-found", "Submission not found",
                          f"submission {submission_id} does not exist")
        return row

    def _submission_for_sender(self, db, client: Client, submission_id: str):
        row = self._submission(db, _uuid(submission_id, "submission"))
        if row["sender_client_id"] != client.client_id:
            # Another client's submission is not even confirmed to exist.
            raise Problem(404, "submission-not-found", "Submission not found",
                          f"submission {submission_id} does not exist")
        return row

    def _submission_for_subscriber(self, db, client: Client, submission_id: str):
        row = self._submission(db, _uuid(submission_id, "submission"))
        if not client.subscribes(row["destination_id"]) or row["status"] == "created":
            raise Problem(404, "submission-not-found", "Submission not found",
                          f"submission {submission_id} does not exist")
        return row

    @staticmethod
    def _announced_check(value) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or len(value) > 1000:
            raise Problem(422, "request-body-invalid", "Invalid request body", "announcedAttachments must be a list")
        try:
            ids = [str(uuid.UUID(str(v))) for v in value]
        except ValueError:
            raise Problem(422, "request-body-invalid", "Invalid request body",
                          "announcedAttachments must contain UUIDs") from None
        if len(set(ids)) != len(ids):
            raise Problem(422, "request-body-invalid", "Invalid request body",
                          "announcedAttachments must not contain an id twice")
        return ids

    @staticmethod
    def _callback_check(value) -> tuple[str | None, str | None]:
        if value is None:
            return None, None
        if (not isinstance(value, dict) or not isinstance(value.get("url"), str)
                or not isinstance(value.get("secret"), str)):
            raise Problem(422, "request-body-invalid", "Invalid request body", "callback needs url and secret strings")
        if not re.match(r"^https?://[^\s/]+", value["url"]):
            raise Problem(422, "request-body-invalid", "Invalid request body", "callback.url must be an http(s) URL")
        if len(value["secret"]) < 32:
            raise Problem(422, "request-body-invalid", "Invalid request body",
                          "callback.secret must be at least 32 characters")
        return value["url"], value["secret"]

    # --- OAuth -------------------------------------------------------------------------------
    def token(self, request: Request) -> Response:
        """OAuth 2.0 token endpoint (RFC 6749 § 4.4), client credentials in the body or HTTP Basic."""
        def oauth_error(status, error, description):
            response = _json({"error": error, "error_description": description}, status)
            if status == 401:
                response.headers["WWW-Authenticate"] = 'Basic realm="fit-connect-dev"'
            return response
        form = request.form
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if request.authorization and request.authorization.type == "basic":
            client_id, client_secret = request.authorization.username, request.authorization.password
        if form.get("grant_type") != "client_credentials":
            return oauth_error(400, "unsupported_grant_type", "only grant_type=client_credentials is supported")
        with self.store.read() as db:
            row = db.execute("SELECT * FROM clients WHERE client_id = ?", (client_id or "",)).fetchone()
        if row is None or not secrets.compare_digest(row["secret"].encode(), (client_secret or "").encode()):
            return oauth_error(401, "invalid_client", "client authentication failed")
        granted = row["scopes"].split()
        requested = form.get("scope", "").split() or granted
        if not set(requested) <= set(granted):
            return oauth_error(400, "invalid_scope", "requested scope exceeds the client's scopes")
        token = secrets.token_urlsafe(32)
        with self.store.write() as db:
            db.execute("DELETE FROM tokens WHERE expires_at < ?", (time.time(),))
            db.execute("INSERT INTO tokens VALUES (?, ?, ?, ?)",
                       (token, row["client_id"], " ".join(requested), time.time() + spec.ACCESS_TOKEN_SECONDS))
        response = _json({"access_token": token, "token_type": "Bearer", "expires_in": spec.ACCESS_TOKEN_SECONDS,
                          "scope": " ".join(requested)})
        response.headers["Cache-Control"] = "no-store"
        return response

    def jwks(self, request: Request) -> Response:
        """The Zustelldienst's public SET signing keys."""
        return _json({"keys": [self.signing_public]})

    # --- destinations ------------------------------------------------------------------------
    def _destination_public(self, row) -> dict:
        return {
            "destinationId": row["destination_id"],
            "status": row["status"],
            "services": [
                {"identifier": s["identifier"], "name": s["name"], "regions": ["DE"],
                 "submissionSchemas": [{"schemaUri": "urn:stadtmelder:eforms", "mimeType": "application/json"}]}
                for s in json.loads(row["services"])
            ],
            "encryptionKid": row["encryption_kid"],
            "metadataVersions": ["1.0.0"],
            "replyChannels": {"fitConnect": {"processStandards": []}},
        }

    def destination_get(self, request, destination_id):
        self._client(request)
        with self.store.read() as db:
            row = self._destination(db, _uuid(destination_id, "destination"))
        return _json(self._destination_public(row))

    def destination_patch(self, request, destination_id):
        client = self._client(request)
        destination_id = _uuid(destination_id, "destination")
        body = self._body_json(request)
        with self.store.write() as db:
            row = self._destination(db, destination_id)
            if not client.subscribes(destination_id):
                raise Problem(403, "forbidden", "Forbidden", "only the destination's subscriber may change it")
            unknown = set(body) - {"status", "callback"}
            if unknown:
                raise Problem(422, "request-body-invalid", "Invalid request body",
                              f"unsupported fields: {', '.join(sorted(unknown))}")
            if "status" in body:
                if body["status"] not in ("active", "inactive"):
                    raise Problem(422, "request-body-invalid", "Invalid request body",
                                  "status must be active or inactive")
                db.execute("UPDATE destinations SET status = ? WHERE destination_id = ?",
                           (body["status"], destination_id))
            if "callback" in body:
                url, secret = self._callback_check(body["callback"])
                db.execute("UPDATE destinations SET callback_url = ?, callback_secret = ? WHERE destination_id = ?",
                           (url, secret, destination_id))
            row = self._destination(db, destination_id)
        return _json(self._destination_public(row))

    def destination_key(self, request, destination_id, kid):
        with self.store.read() as db:
            row = db.execute("SELECT jwk FROM destination_keys WHERE destination_id = ? AND kid = ?",
                             (destination_id, kid)).fetchone()
        if row is None:
            raise Problem(404, "key-not-found", "Key not found", f"no key {kid} for destination {destination_id}")
        return _json(json.loads(row["jwk"]))

    # --- submissions: sender -----------------------------------------------------------------
    def submission_create(self, request):
        client = self._client(request)
        if not client.is_sender:
            raise Problem(403, "forbidden", "Forbidden", f"scope {spec.SCOPE_SEND} required")
        body = self._body_json(request)
        destination_id = body.get("destinationId")
        service = body.get("serviceType")
        if not isinstance(destination_id, str):
            raise Problem(422, "request-body-invalid", "Invalid request body", "destinationId is required")
        if not isinstance(service, dict) or not isinstance(service.get("identifier"), str) \
                or not URN_PATTERN.match(service["identifier"]):
            raise Problem(422, "request-body-invalid", "Invalid request body",
                          "serviceType.identifier must be a URN such as urn:de:fim:leika:leistung:<key>")
        announced = self._announced_check(body.get("announcedAttachments"))
        callback_url, callback_secret = self._callback_check(body.get("callback"))
        case_id = body.get("caseId")
        with self.store.write() as db:
            destination = self._destination(db, _uuid(destination_id, "destination"))
            if destination["status"] != "active":
                raise Problem(409, "destination-state-invalid", "Destination not active",
                              f"destination {destination_id} is {destination['status']}")
            identifiers = {s["identifier"] for s in json.loads(destination["services"])}
            if service["identifier"] not in identifiers:
                raise Problem(422, "service-type-not-supported", "Service type not supported",
                              f"destination {destination_id} does not offer {service['identifier']}")
            if case_id is not None:
                case_id = _uuid(case_id, "case")
                other = db.execute("SELECT destination_id, sender_client_id FROM submissions WHERE case_id = ? LIMIT 1",
                                   (case_id,)).fetchone()
                if other is None or other["sender_client_id"] != client.client_id \
                        or other["destination_id"] != destination["destination_id"]:
                    raise Problem(404, "case-not-found", "Case not found", f"case {case_id} does not exist")
            else:
                case_id = str(uuid.uuid4())
            submission_id = str(uuid.uuid4())
            db.execute(
                "INSERT INTO submissions (submission_id, destination_id, case_id, sender_client_id, service_type, "
                "announced, callback_url, callback_secret, status, created_at) VALUES (?,?,?,?,?,?,?,?,'created',?)",
                (submission_id, destination["destination_id"], case_id, client.client_id,
                 Store.dumps({"identifier": service["identifier"], "name": service.get("name") or ""}),
                 Store.dumps(announced), callback_url, callback_secret, time.time()))
            self._server_event(db, request, case_id=case_id, subject=f"submission:{submission_id}",
                               event="create-submission")
        return _json({"destinationId": destination["destination_id"], "submissionId": submission_id,
                      "caseId": case_id}, 201)

    def submission_attachment_put(self, request, submission_id, attachment_id):
        client = self._client(request)
        token = self._jwe_check(self._body_jose(request), "attachment")
        with self.store.write() as db:
            row = self._submission_for_sender(db, client, submission_id)
            attachment_id = _uuid(attachment_id, "attachment")
            if attachment_id not in json.loads(row["announced"]):
                raise Problem(404, "attachment-not-announced", "Attachment not announced",
                              f"attachment {attachment_id} was not announced for this submission")
            if row["status"] != "created":
                raise Problem(409, "submission-state-invalid", "Submission already submitted",
                              "attachments can only be uploaded before the submission is submitted")
            db.execute("INSERT OR REPLACE INTO attachments VALUES (?, ?, ?)",
                       (row["submission_id"], attachment_id, token))
        return Response(status=204)

    def submission_submit(self, request, submission_id):
        client = self._client(request)
        body = self._body_json(request)
        metadata = self._jwe_check(body.get("encryptedMetadata"), "encryptedMetadata")
        data = body.get("encryptedData")
        if data is not None:
            data = self._jwe_check(data, "encryptedData")
        with self.store.write() as db:
            row = self._submission_for_sender(db, client, submission_id)
            if row["status"] != "created":
                raise Problem(409, "submission-state-invalid", "Submission already submitted",
                              f"submission {row['submission_id']} is {row['status']}")
            announced = json.loads(row["announced"])
            stored = {r["attachment_id"]: r["content"] for r in db.execute(
                "SELECT attachment_id, content FROM attachments WHERE owner_id = ?", (row["submission_id"],))}
            missing = [a for a in announced if a not in stored]
            if missing:
                raise Problem(422, "missing-attachments", "Announced attachments missing",
                              f"not uploaded: {', '.join(missing)}")
            db.execute("UPDATE submissions SET status = 'submitted', encrypted_data = ?, encrypted_metadata = ?, "
                       "submitted_at = ? WHERE submission_id = ?", (data, metadata, time.time(), row["submission_id"]))
            tags = {"metadata": crypto.authentication_tag(metadata),
                    "attachments": {a: crypto.authentication_tag(stored[a]) for a in announced}}
            if data is not None:
                tags["data"] = crypto.authentication_tag(data)
            self._server_event(db, request, case_id=row["case_id"], subject=f"submission:{row['submission_id']}",
                               event="submit-submission", payload={"authenticationTags": tags})
            destination = self._destination(db, row["destination_id"])
            ref = {"destinationId": row["destination_id"], "submissionId": row["submission_id"],
                   "caseId": row["case_id"]}
            callback_enqueue(db, url=destination["callback_url"], secret=destination["callback_secret"], payload={
                "type": spec.CALLBACK_NEW_SUBMISSIONS, "submissionIds": [row["submission_id"]], "submissions": [ref]})
        self.callbacks.wake.set()
        return _json(ref, 202)

    # --- submissions: subscriber -------------------------------------------------------------
    def _submission_page(self, request, client: Client, destination_id: str | None):
        offset, limit = _page(request)
        destinations = [s.split(":", 2)[2] for s in client.scopes if s.startswith("subscribe:destination:")]
        if destination_id is not None:
            destination_id = _uuid(destination_id, "destination")
            if destination_id not in destinations:
                raise Problem(403, "forbidden", "Forbidden", f"no subscription for destination {destination_id}")
            destinations = [destination_id]
        if not destinations:
            raise Problem(403, "forbidden", "Forbidden", "scope subscribe:destination:<id> required")
        marks = ",".join("?" * len(destinations))
        with self.store.read() as db:
            total = db.execute(f"SELECT count(*) FROM submissions WHERE status = 'submitted' "
                               f"AND destination_id IN ({marks})", destinations).fetchone()[0]
            rows = db.execute(f"SELECT destination_id, submission_id, case_id FROM submissions "
                              f"WHERE status = 'submitted' AND destination_id IN ({marks}) "
                              f"ORDER BY submitted_at, submission_id LIMIT ? OFFSET ?",
                              [*destinations, limit, offset]).fetchall()
        items = [{"destinationId": r["destination_id"], "submissionId": r["submission_id"], "caseId": r["case_id"]}
                 for r in rows]
        return _json({"count": len(items), "offset": offset, "totalCount": total, "submissions": items})

    def submission_list(self, request):
        client = self._client(request)
        return self._submission_page(request, client, request.args.get("destinationId"))

    def destination_submissions(self, request, destination_id):
        client = self._client(request)
        return self._submission_page(request, client, destination_id)

    def submission_get(self, request, submission_id):
        client = self._client(request)
        with self.store.read() as db:
            row = self._submission_for_subscriber(db, client, submission_id)
            attachments = json.loads(row["announced"])
        body = {
            "destinationId": row["destination_id"], "submissionId": row["submission_id"], "caseId": row["case_id"],
            "serviceType": json.loads(row["service_type"]), "attachments": attachments,
            "encryptedMetadata": row["encrypted_metadata"],
        }
        if row["encrypted_data"] is not None:
            body["encryptedData"] = row["encrypted_data"]
        return _json(body)

    def submission_attachment_get(self, request, submission_id, attachment_id):
        client = self._client(request)
        with self.store.read() as db:
            row = self._submission_for_subscriber(db, client, submission_id)
            content = db.execute("SELECT content FROM attachments WHERE owner_id = ? AND attachment_id = ?",
                                 (row["submission_id"], attachment_id)).fetchone()
        if content is None:
            raise Problem(404, "attachment-not-found", "Attachment not found", f"attachment {attachment_id} not found")
        return Response(content["content"], content_type="application/jose")

    # --- event log ---------------------------------------------------------------------------
    def _case_access(self, db, client: Client, case_id: str):
        rows = db.execute("SELECT * FROM submissions WHERE case_id = ?", (case_id,)).fetchall()
        if not rows:
            raise Problem(404, "case-not-found", "Case not found", f"case {case_id} does not exist")
        first = rows[0]
        if first["sender_client_id"] == client.client_id:
            return rows, "sender"
        if client.subscribes(first["destination_id"]) and any(r["status"] != "created" for r in rows):
            return rows, "subscriber"
        raise Problem(403, "forbidden", "Forbidden", f"no access to case {case_id}")

    def events_get(self, request, case_id):
        client = self._client(request)
        case_id = _uuid(case_id, "case")
        offset, limit = _page(request)
        with self.store.read() as db:
            self._case_access(db, client, case_id)
            total = db.execute("SELECT count(*) FROM events WHERE case_id = ?", (case_id,)).fetchone()[0]
            tokens = [r["token"] for r in db.execute(
                "SELECT token FROM events WHERE case_id = ? ORDER BY seq LIMIT ? OFFSET ?", (case_id, limit, offset))]
        return _json({"count": len(tokens), "offset": offset, "totalCount": total, "eventLog": tokens})

    def events_post(self, request, case_id):
        client = self._client(request)
        case_id = _uuid(case_id, "case")
        token = self._body_jose(request)
        try:
            header, claims = crypto.set_parse(token)
        except crypto.CryptoError as exc:
            raise Problem(422, "set-invalid", "Invalid security event token", str(exc)) from None
        self._set_claims_check(header, claims, case_id)
        (event_uri, payload), = claims["events"].items()
        event = event_uri.removeprefix(spec.EVENT_PREFIX)
        kind, _, subject_id = claims["sub"].partition(":")
        with self.store.write() as db:
            rows, role = self._case_access(db, client, case_id)
            if db.execute("SELECT 1 FROM events WHERE jti = ?", (claims["jti"],)).fetchone():
                raise Problem(409, "set-duplicate", "Event already recorded", f"jti {claims['jti']} exists")
            if kind == "submission":
                self._submission_event(db, role, rows, subject_id, event, header, claims, payload, token)
            else:
                self._reply_event(db, role, rows, subject_id, event, claims, token)
        self.callbacks.wake.set()
        return Response(status=204)

    @staticmethod
    def _set_claims_check(header: dict, claims: dict, case_id: str) -> None:
        def invalid(detail):
            return Problem(422, "set-invalid", "Invalid security event token", detail)
        if header.get("alg") != spec.SET_ALG or header.get("typ") != spec.SET_TYP or not header.get("kid"):
            raise invalid(f"header must have alg {spec.SET_ALG}, typ {spec.SET_TYP} and kid")
        if claims.get("$schema") != spec.SET_SCHEMA:
            raise invalid(f"$schema must be {spec.SET_SCHEMA}")
        for name in ("jti", "iss", "sub", "txn"):
            if not isinstance(claims.get(name), str) or not claims[name]:
                raise invalid(f"claim {name} is required")
        if not isinstance(claims.get("iat"), int):
            raise invalid("claim iat must be an integer (Unix seconds)")
        if claims["txn"] != f"case:{case_id}":
            raise invalid(f"txn must be case:{case_id}")
        events = claims.get("events")
        if not isinstance(events, dict) or len(events) != 1 or not isinstance(next(iter(events.values())), dict):
            raise invalid("events must hold exactly one event with an object payload")
        event = next(iter(events)).removeprefix(spec.EVENT_PREFIX)
        allowed = {"accept-submission", "reject-submission", "accept-reply", "reject-reply"}
        if event not in allowed:
            raise invalid(f"event type {next(iter(events))} cannot be posted by a client")
        kind = "submission" if event.endswith("-submission") else "reply"
        if not re.match(rf"^{kind}:[0-9a-f-]{{36}}$", claims["sub"]):
            raise invalid(f"sub must be {kind}:<uuid> for {event}")
        if event.startswith("reject-"):
            problems = events[next(iter(events))].get("problems")
            if not isinstance(problems, list) or not problems or not all(
                    isinstance(p, dict) and isinstance(p.get("type"), str) for p in problems):
                raise invalid("a reject event needs a non-empty problems list with a type each")

    def _submission_event(self, db, role, rows, submission_id, event, header, claims, payload, token):
        row = next((r for r in rows if r["submission_id"] == submission_id), None)
        if row is None:
            raise Problem(422, "set-invalid", "Invalid security event token",
                          f"submission {submission_id} does not belong to this case")
        if role != "subscriber":
            raise Problem(403, "forbidden", "Forbidden", f"only the destination's subscriber may post {event}")
        if claims["iss"] != row["destination_id"]:
            raise Problem(422, "set-invalid", "Invalid security event token", "iss must be the destination id")
        key = db.execute("SELECT jwk FROM destination_keys WHERE destination_id = ? AND kid = ?",
                         (row["destination_id"], header["kid"])).fetchone()
        if key is None or "verify" not in json.loads(key["jwk"]).get("key_ops", []):
            raise Problem(422, "set-invalid", "Invalid security event token",
                          f"kid {header['kid']} is not a signature key of the destination")
        try:
            crypto.set_verify(token, json.loads(key["jwk"]))
        except crypto.CryptoError as exc:
            raise Problem(422, "set-signature-invalid", "Signature invalid", str(exc)) from None
        if row["status"] != "submitted":
            raise Problem(409, "submission-state-invalid", "Submission state does not allow this event",
                          f"submission {submission_id} is {row['status']}")
        status = "accepted" if event == "accept-submission" else "rejected"
        db.execute("UPDATE submissions SET status = ? WHERE submission_id = ?", (status, submission_id))
        db.execute("INSERT INTO events (case_id, subject, event, token, jti, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   (row["case_id"], claims["sub"], event, token, claims["jti"], time.time()))
        ref = {"destinationId": row["destination_id"], "submissionId": submission_id, "caseId": row["case_id"]}
        callback_enqueue(db, url=row["callback_url"], secret=row["callback_secret"], payload={
            "type": spec.CALLBACK_NEW_EVENTS, "submissionIds": [submission_id], "submissions": [ref]})

    def _reply_event(self, db, role, rows, reply_id, event, claims, token):
        reply = db.execute("SELECT * FROM replies WHERE reply_id = ?", (reply_id,)).fetchone()
        if reply is None or reply["case_id"] != rows[0]["case_id"]:
            raise Problem(422, "set-invalid", "Invalid security event token",
                          f"reply {reply_id} does not belong to this case")
        if role != "sender":
            raise Problem(403, "forbidden", "Forbidden", f"only the sender may post {event}")
        if reply["status"] != "submitted":
            raise Problem(409, "reply-state-invalid", "Reply state does not allow this event",
                          f"reply {reply_id} is {reply['status']}")
        db.execute("UPDATE replies SET status = ? WHERE reply_id = ?",
                   ("accepted" if event == "accept-reply" else "rejected", reply_id))
        db.execute("INSERT INTO events (case_id, subject, event, token, jti, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   (reply["case_id"], claims["sub"], event, token, claims["jti"], time.time()))
        destination = self._destination(db, reply["destination_id"])
        callback_enqueue(db, url=destination["callback_url"], secret=destination["callback_secret"], payload={
            "type": spec.CALLBACK_NEW_EVENTS, "replies": [
                {"replyId": reply_id, "submissionId": reply["submission_id"], "caseId": reply["case_id"]}]})

    # --- replies (Rückkanal) -----------------------------------------------------------------
    def _reply_for_subscriber(self, db, client, reply_id):
        reply = db.execute("SELECT * FROM replies WHERE reply_id = ?", (_uuid(reply_id, "reply"),)).fetchone()
        if reply is None or not client.subscribes(reply["destination_id"]):
            raise Problem(404, "reply-not-found", "Reply not found", f"reply {reply_id} does not exist")
        return reply

    def _reply_for_sender(self, db, client, reply_id):
        reply = db.execute("SELECT r.*, s.sender_client_id FROM replies r JOIN submissions s USING (submission_id) "
                           "WHERE r.reply_id = ?", (_uuid(reply_id, "reply"),)).fetchone()
        if reply is None or reply["sender_client_id"] != client.client_id or reply["status"] == "created":
            raise Problem(404, "reply-not-found", "Reply not found", f"reply {reply_id} does not exist")
        return reply

    def reply_create(self, request):
        client = self._client(request)
        body = self._body_json(request)
        announced = self._announced_check(body.get("announcedAttachments"))
        with self.store.write() as db:
            submission = self._submission_for_subscriber(db, client, body.get("submissionId"))
            if submission["status"] not in ("submitted", "accepted"):
                raise Problem(409, "submission-state-invalid", "Submission state does not allow a reply",
                              f"submission {submission['submission_id']} is {submission['status']}")
            reply_id = str(uuid.uuid4())
            db.execute("INSERT INTO replies (reply_id, submission_id, case_id, destination_id, announced, status, "
                       "created_at) VALUES (?, ?, ?, ?, ?, 'created', ?)",
                       (reply_id, submission["submission_id"], submission["case_id"], submission["destination_id"],
                        Store.dumps(announced), time.time()))
            self._server_event(db, request, case_id=submission["case_id"], subject=f"reply:{reply_id}",
                               event="create-reply")
        return _json({"replyId": reply_id, "submissionId": submission["submission_id"],
                      "caseId": submission["case_id"]}, 201)

    def reply_attachment_put(self, request, reply_id, attachment_id):
        client = self._client(request)
        token = self._jwe_check(self._body_jose(request), "attachment")
        with self.store.write() as db:
            reply = self._reply_for_subscriber(db, client, reply_id)
            attachment_id = _uuid(attachment_id, "attachment")
            if attachment_id not in json.loads(reply["announced"]):
                raise Problem(404, "attachment-not-announced", "Attachment not announced",
                              f"attachment {attachment_id} was not announced for this reply")
            if reply["status"] != "created":
                raise Problem(409, "reply-state-invalid", "Reply already submitted",
                              "attachments can only be uploaded before the reply is submitted")
            db.execute("INSERT OR REPLACE INTO attachments VALUES (?, ?, ?)", (reply["reply_id"], attachment_id, token))
        return Response(status=204)

    def reply_submit(self, request, reply_id):
        client = self._client(request)
        body = self._body_json(request)
        metadata = self._jwe_check(body.get("encryptedMetadata"), "encryptedMetadata")
        data = self._jwe_check(body.get("encryptedData"), "encryptedData")
        with self.store.write() as db:
            reply = self._reply_for_subscriber(db, client, reply_id)
            if reply["status"] != "created":
                raise Problem(409, "reply-state-invalid", "Reply already submitted",
                              f"reply {reply_id} is {reply['status']}")
            announced = json.loads(reply["announced"])
            stored = {r["attachment_id"]: r["content"] for r in db.execute(
                "SELECT attachment_id, content FROM attachments WHERE owner_id = ?", (reply["reply_id"],))}
            missing = [a for a in announced if a not in stored]
            if missing:
                raise Problem(422, "missing-attachments", "Announced attachments missing",
                              f"not uploaded: {', '.join(missing)}")
            db.execute("UPDATE replies SET status = 'submitted', encrypted_data = ?, encrypted_metadata = ?, "
                       "submitted_at = ? WHERE reply_id = ?", (data, metadata, time.time(), reply["reply_id"]))
            tags = {"data": crypto.authentication_tag(data), "metadata": crypto.authentication_tag(metadata),
                    "attachments": {a: crypto.authentication_tag(stored[a]) for a in announced}}
            self._server_event(db, request, case_id=reply["case_id"], subject=f"reply:{reply['reply_id']}",
                               event="submit-reply", payload={"authenticationTags": tags})
            submission = self._submission(db, reply["submission_id"])
            ref = {"replyId": reply["reply_id"], "submissionId": reply["submission_id"], "caseId": reply["case_id"]}
            callback_enqueue(db, url=submission["callback_url"], secret=submission["callback_secret"],
                             payload={"type": spec.CALLBACK_NEW_REPLIES, "replies": [ref]})
        self.callbacks.wake.set()
        return _json(ref, 202)

    def reply_list(self, request):
        client = self._client(request)
        offset, limit = _page(request)
        with self.store.read() as db:
            where = ("FROM replies r JOIN submissions s USING (submission_id) "
                     "WHERE r.status = 'submitted' AND s.sender_client_id = ?")
            total = db.execute(f"SELECT count(*) {where}", (client.client_id,)).fetchone()[0]
            rows = db.execute(f"SELECT r.reply_id, r.submission_id, r.case_id {where} "
                              f"ORDER BY r.submitted_at, r.reply_id LIMIT ? OFFSET ?",
                              (client.client_id, limit, offset)).fetchall()
        items = [{"replyId": r["reply_id"], "submissionId": r["submission_id"], "caseId": r["case_id"]} for r in rows]
        return _json({"count": len(items), "offset": offset, "totalCount": total, "replies": items})

    def reply_get(self, request, reply_id):
        client = self._client(request)
        with self.store.read() as db:
            reply = self._reply_for_sender(db, client, reply_id)
        return _json({"replyId": reply["reply_id"], "submissionId": reply["submission_id"], "caseId": reply["case_id"],
                      "attachments": json.loads(reply["announced"]), "encryptedData": reply["encrypted_data"],
                      "encryptedMetadata": reply["encrypted_metadata"]})

    def reply_attachment_get(self, request, reply_id, attachment_id):
        client = self._client(request)
        with self.store.read() as db:
            reply = self._reply_for_sender(db, client, reply_id)
            content = db.execute("SELECT content FROM attachments WHERE owner_id = ? AND attachment_id = ?",
                                 (reply["reply_id"], attachment_id)).fetchone()
        if content is None:
            raise Problem(404, "attachment-not-found", "Attachment not found", f"attachment {attachment_id} not found")
        return Response(content["content"], content_type="application/jose")


def app_create(state_dir, **kwargs) -> SubmissionApi:
    """The WSGI application for ``state_dir`` (initialised with ``server init``)."""
    return SubmissionApi(state_dir, **kwargs)
