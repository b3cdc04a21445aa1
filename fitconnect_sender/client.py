"""HTTP client of the Submission API v1 for a sender (the Zustelldienst's endpoints we call).

Authentication is OAuth2 client credentials (authlib's requests session: it fetches a token
from `TOKEN_URL` with `client_secret_post` and fetches a new one when it expires). Every call
has a timeout. Errors are split by what a retry can change:

- `TransientError`: no answer (connection, timeout), 5xx, 429, 401 (a token revoked early):
  the step is tried again later.
- `PermanentError`: any other 4xx (a destination that does not exist, a request the
  Zustelldienst refuses), with the status and the problem type of the RFC 7807 body.
- A 409 answer is `Conflict` (a PermanentError): the thing exists already, e.g. an attachment
  uploaded before the answer was lost; callers decide whether that means done.

`SUBMISSION_API_URL` may be given with or without the `/v1` suffix (the SDK's and the
portal's conventions differ); the Zustelldienst's own signing keys are read from
`<root>/.well-known/jwks.json`.
"""
from __future__ import annotations

from dataclasses import dataclass

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from .conf import fitconnect_setting

__all__ = ["ClientError", "TransientError", "PermanentError", "Conflict", "SubmissionApiClient", "api_root"]


class ClientError(Exception):
    """A failed call; `status` is the HTTP status (0: no answer), `problem` the problem type."""

    def __init__(self, message: str, *, status: int = 0, problem: str = ""):
        self.status, self.problem = status, problem
        super().__init__(message)


class TransientError(ClientError):
    """Worth another try later."""


class PermanentError(ClientError):
    """A retry gets the same answer."""


class Conflict(PermanentError):
    """409: the resource exists already or is in another state."""


def api_root(url: str) -> str:
    """The Submission API's root URL without a trailing slash and without `/v1`."""
    url = (url or "").rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url


@dataclass
class SubmissionApiClient:
    """The sender's calls; built from the settings with `SubmissionApiClient.from_settings()`."""

    token_url: str
    api_url: str
    client_id: str
    client_secret: str
    timeout: float = 15.0

    @classmethod
    def from_settings(cls) -> SubmissionApiClient:
        return cls(token_url=fitconnect_setting("TOKEN_URL"), api_url=fitconnect_setting("SUBMISSION_API_URL"),
                   client_id=fitconnect_setting("CLIENT_ID"), client_secret=fitconnect_setting("CLIENT_SECRET"),
                   timeout=float(fitconnect_setting("HTTP_TIMEOUT")))

    def __post_init__(self):
        self.root = api_root(self.api_url)
        self._session: OAuth2Session | None = None

    # --- plumbing -------------------------------------------------------------------------

    def _authorised(self) -> OAuth2Session:
        if self._session is None or not self._session.token:
            session = OAuth2Session(self.client_id, self.client_secret, token_endpoint=self.token_url,
                                    token_endpoint_auth_method="client_secret_post",
                                    grant_type="client_credentials")
            try:
                session.fetch_token(self.token_url, grant_type="client_credentials", timeout=self.timeout)
            except OAuthError as exc:
                # invalid_client and friends: the credentials are wrong; a retry cannot help.
                raise PermanentError(f"token refused: {exc.error}", status=400, problem=exc.error or "") from exc
            except requests.RequestException as exc:
                raise TransientError(f"token endpoint unreachable: {exc.__class__.__name__}") from exc
            except ValueError as exc:  # a non-JSON answer (a proxy's error page)
                raise TransientError(f"token endpoint answered no token: {exc}") from exc
            self._session = session
        return self._session

    def _call(self, method: str, path: str, *, expect: tuple[int, ...], **kwargs) -> requests.Response:
        url = path if path.startswith("http") else f"{self.root}{path}"
        try:
            response = self._authorised().request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise TransientError(f"{method} {path}: no answer ({exc.__class__.__name__})") from exc
        except OAuthError as exc:  # the automatic token refresh failed
            self._session = None
            raise TransientError(f"{method} {path}: token refresh failed ({exc.error})") from exc
        if response.status_code in expect:
            return response
        problem = ""
        try:
            body = response.json()
            problem = str(body.get("type", "")) if isinstance(body, dict) else ""
        except ValueError:
            pass
        message = f"{method} {path}: {response.status_code} {problem}".strip()
        if response.status_code == 401:
            self._session = None  # fetch a new token next time
        if response.status_code >= 500 or response.status_code in (401, 408, 429):
            raise TransientError(message, status=response.status_code, problem=problem)
        if response.status_code == 409:
            raise Conflict(message, status=409, problem=problem)
        raise PermanentError(message, status=response.status_code, problem=problem)

    def _json(self, response: requests.Response) -> dict:
        try:
            body = response.json()
        except ValueError as exc:
            raise TransientError(f"answer is no JSON ({response.status_code})", status=response.status_code) from exc
        if not isinstance(body, dict):
            raise TransientError("answer is no JSON object", status=response.status_code)
        return body

    # --- the Submission API ---------------------------------------------------------------

    def destination_get(self, destination_id: str) -> dict:
        """GET /v1/destinations/{id}: status, services, `encryptionKid`, …"""
        return self._json(self._call("GET", f"/v1/destinations/{destination_id}", expect=(200,)))

    def destination_key_get(self, destination_id: str, kid: str) -> dict:
        """GET /v1/destinations/{id}/keys/{kid}: a public key as JWK."""
        return self._json(self._call("GET", f"/v1/destinations/{destination_id}/keys/{kid}", expect=(200,)))

    def service_keys_get(self) -> list[dict]:
        """The Zustelldienst's own public signing keys (its JWKS)."""
        return list(self._json(self._call("GET", "/.well-known/jwks.json", expect=(200,))).get("keys") or [])

    def submission_create(self, *, destination_id: str, announced_attachments: list[str], service_type: dict,
                          callback: dict | None = None) -> dict:
        """POST /v1/submissions; returns `submissionId`, `caseId`, `destinationId`. `callback`
        ({url, secret}) is where the Zustelldienst announces new events of this submission."""
        body = {"destinationId": destination_id, "announcedAttachments": announced_attachments,
                "serviceType": service_type}
        if callback:
            body["callback"] = callback
        return self._json(self._call("POST", "/v1/submissions", expect=(201,), json=body))

    def attachment_upload(self, *, submission_id: str, attachment_id: str, encrypted: str) -> None:
        """PUT /v1/submissions/{id}/attachments/{attachmentId} with a JWE (application/jose)."""
        self._call("PUT", f"/v1/submissions/{submission_id}/attachments/{attachment_id}", expect=(204,),
                   data=encrypted.encode("ascii"), headers={"Content-Type": "application/jose"})

    def submission_submit(self, *, submission_id: str, encrypted_data: str, encrypted_metadata: str) -> dict:
        """PUT /v1/submissions/{id}: the encrypted data and metadata; the submission is sent."""
        response = self._call("PUT", f"/v1/submissions/{submission_id}", expect=(200, 202),
                              json={"encryptedData": encrypted_data, "encryptedMetadata": encrypted_metadata})
        return self._json(response) if response.content else {}

    def events_get(self, case_id: str) -> list[str]:
        """GET /v1/cases/{caseId}/events: the event log, a list of SETs."""
        return list(self._json(self._call("GET", f"/v1/cases/{case_id}/events", expect=(200,))).get("eventLog")
                    or [])

    def event_post(self, case_id: str, token: str) -> None:
        """POST /v1/cases/{caseId}/events: a signed SET (application/jose), e.g. accept-reply."""
        self._call("POST", f"/v1/cases/{case_id}/events", expect=(204,), data=token.encode("ascii"),
                   headers={"Content-Type": "application/jose"})

    # --- replies (Rückkanal) --------------------------------------------------------------

    def replies_list(self, *, offset: int = 0, limit: int = 100) -> dict:
        """GET /v1/replies: the submitted replies to our submissions still waiting for our
        accept/reject (`replies`: replyId, submissionId, caseId; `count`, `totalCount`)."""
        return self._json(self._call("GET", "/v1/replies", expect=(200,), params={"offset": offset, "limit": limit}))

    def reply_get(self, reply_id: str) -> dict:
        """GET /v1/replies/{replyId}: `encryptedData`, `encryptedMetadata`, `attachments` (ids)."""
        return self._json(self._call("GET", f"/v1/replies/{reply_id}", expect=(200,)))

    def reply_attachment_get(self, reply_id: str, attachment_id: str) -> str:
        """GET /v1/replies/{replyId}/attachments/{attachmentId}: the attachment as JWE."""
        response = self._call("GET", f"/v1/replies/{reply_id}/attachments/{attachment_id}", expect=(200,))
        return response.content.decode("ascii", "replace").strip()
