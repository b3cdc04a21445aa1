"""The OpenID Connect relying party: authorization code flow with PKCE (S256), `state` and
`nonce`, and ID token validation against the provider's JWKS (OpenID Connect Core 1.0, §3.1).

Authlib does the protocol work (`OAuth2Session` builds the authorization URL with the PKCE
challenge and redeems the code; `authlib.jose` checks the signature, `CodeIDToken` the claims).
This module keeps the pending logins in the session, one entry per `state`, and turns every
failure into an `OIDCError` with a message a citizen can read; it never logs anybody in
(that is `accounts.services.citizen_login_oidc`).

The provider's discovery document (`<issuer>/.well-known/openid-configuration`) and its JWKS
are cached for `ACCOUNTS["METADATA_CACHE_SECONDS"]`; a token whose key id is not in the cached
JWKS makes one fresh fetch (key rotation).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.jose.errors import (
    BadSignatureError,
    DecodeError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from authlib.oidc.core import CodeIDToken
from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from portal.catalogue import TrustLevel

from .conf import accounts_setting

__all__ = [
    "OIDCError", "OIDCLogin", "acr_values_for", "authorization_start", "authorization_finish",
    "oidc_enabled", "provider_metadata_forget", "trust_level_for_acr",
]

#: Session key of the pending logins: {state: {"nonce", "code_verifier", "next", "level"}}.
SESSION_KEY = "accounts_oidc_pending"
#: Pending logins kept per session (a citizen may open the login in a few tabs).
MAX_PENDING = 5
#: Seconds of clock difference to the provider accepted for `exp`/`iat`.
LEEWAY_SECONDS = 60


class OIDCError(Exception):
    """A login that failed; `message` is shown to the citizen, `status` is the HTTP status."""

    def __init__(self, message, *, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass(frozen=True)
class OIDCLogin:
    """A validated login: who (issuer, subject), at which level, the ID token's claims, and
    where the citizen wanted to go."""

    issuer: str
    subject: str
    trust_level: TrustLevel
    claims: dict
    next_url: str


def oidc_enabled() -> bool:
    """Whether login with OpenID Connect is configured (an issuer and a client id)."""
    return bool(accounts_setting("OIDC_ISSUER") and accounts_setting("OIDC_CLIENT_ID"))


def trust_level_for_acr(acr: str | None) -> TrustLevel | None:
    """The trust level the mapping gives an `acr` claim, None for an unknown or missing one."""
    if not isinstance(acr, str):
        return None
    level = accounts_setting("ACR_TRUST_LEVELS").get(acr)
    return TrustLevel(level) if level in TrustLevel.values else None


def acr_values_for(level: TrustLevel) -> str:
    """`acr_values` for a login at `level`: every mapped acr reaching it, space-separated,
    the lowest first (OIDC Core §3.1.2.1: in order of preference)."""
    mapping = accounts_setting("ACR_TRUST_LEVELS")
    values = [acr for acr, lvl in mapping.items() if TrustLevel(lvl).satisfies(level)]
    return " ".join(sorted(values, key=lambda acr: TrustLevel(mapping[acr]).rank))


def _cache_key(kind: str, url: str) -> str:
    return f"accounts:oidc:{kind}:{hashlib.sha256(url.encode()).hexdigest()}"


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=accounts_setting("HTTP_TIMEOUT"))
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OIDCError(_("Der Identitätsanbieter ist gerade nicht erreichbar. Bitte versuchen Sie "
                          "es später noch einmal."), status=502) from exc


def provider_metadata() -> dict:
    """The provider's discovery document (cached)."""
    issuer = accounts_setting("OIDC_ISSUER")
    url = f"{issuer}/.well-known/openid-configuration"
    metadata = cache.get(_cache_key("metadata", url))
    if metadata is None:
        metadata = _get_json(url)
        required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(metadata, dict) or not all(isinstance(metadata.get(key), str) for key in required) \
                or metadata["issuer"].rstrip("/") != issuer:
            # OIDC Discovery §3 (required entries) and §4.3: the issuer must be the one configured.
            raise OIDCError(_("Der Identitätsanbieter ist falsch eingerichtet. Bitte versuchen Sie "
                              "es später noch einmal."), status=502)
        cache.set(_cache_key("metadata", url), metadata, accounts_setting("METADATA_CACHE_SECONDS"))
    return metadata


def _jwks(metadata: dict, *, fresh: bool = False) -> dict:
    url = metadata["jwks_uri"]
    jwks = None if fresh else cache.get(_cache_key("jwks", url))
    if jwks is None:
        jwks = _get_json(url)
        cache.set(_cache_key("jwks", url), jwks, accounts_setting("METADATA_CACHE_SECONDS"))
    return jwks


def provider_metadata_forget() -> None:
    """Drop the cached discovery document and JWKS of the configured provider (tests, key
    rotation by hand)."""
    url = f"{accounts_setting('OIDC_ISSUER')}/.well-known/openid-configuration"
    metadata = cache.get(_cache_key("metadata", url))
    if metadata and metadata.get("jwks_uri"):
        cache.delete(_cache_key("jwks", metadata["jwks_uri"]))
    cache.delete(_cache_key("metadata", url))


def _client(redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=accounts_setting("OIDC_CLIENT_ID"),
        client_secret=accounts_setting("OIDC_CLIENT_SECRET"),
        scope=accounts_setting("OIDC_SCOPES"),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def authorization_start(session, *, redirect_uri: str, level: TrustLevel, next_url: str) -> str:
    """Remember a new login in `session` and return the provider's authorization URL (with
    `state`, `nonce`, the PKCE `code_challenge` and `acr_values` for `level`)."""
    metadata = provider_metadata()
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    acr_values = acr_values_for(level)
    url, _state = _client(redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier,
        **({"acr_values": acr_values} if acr_values else {}),
    )
    pending = dict(session.get(SESSION_KEY, {}))
    while len(pending) >= MAX_PENDING:
        pending.pop(next(iter(pending)))
    pending[state] = {"nonce": nonce, "code_verifier": verifier, "next": next_url, "level": level.value}
    session[SESSION_KEY] = pending
    return url


def _pending_pop(session, state: str) -> dict | None:
    pending = dict(session.get(SESSION_KEY, {}))
    for known in list(pending):
        if constant_time_compare(known, state):
            entry = pending.pop(known)
            session[SESSION_KEY] = pending
            return entry
    return None


def _id_token_claims(id_token: str, *, metadata: dict, nonce: str, access_token: str) -> dict:
    options = {
        "iss": {"essential": True, "value": accounts_setting("OIDC_ISSUER")},
        "aud": {"essential": True, "value": accounts_setting("OIDC_CLIENT_ID")},
        "sub": {"essential": True},
        "nonce": {"essential": True},
    }
    params = {"nonce": nonce, "client_id": accounts_setting("OIDC_CLIENT_ID"), "access_token": access_token}

    def decode(jwks):
        return jwt.decode(id_token, JsonWebKey.import_key_set(jwks), claims_cls=CodeIDToken,
                          claims_options=options, claims_params=params)

    try:
        try:
            claims = decode(_jwks(metadata))
        except ValueError:
            # authlib: no key with the token's `kid` in the set; the provider may have rotated.
            claims = decode(_jwks(metadata, fresh=True))
        claims.validate(leeway=LEEWAY_SECONDS)
    except (BadSignatureError, ValueError) as exc:
        raise OIDCError(_("Die Antwort des Identitätsanbieters trägt keine gültige Signatur. "
                          "Sie wurden nicht angemeldet.")) from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        if getattr(exc, "claim_name", None) == "nonce" or "nonce" in str(exc):
            raise OIDCError(_("Die Antwort des Identitätsanbieters gehört nicht zu dieser Anmeldung "
                              "(nonce). Sie wurden nicht angemeldet.")) from exc
        raise OIDCError(_("Die Antwort des Identitätsanbieters ist ungültig. Sie wurden nicht "
                          "angemeldet.")) from exc
    except ExpiredTokenError as exc:
        raise OIDCError(_("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.")) from exc
    except (DecodeError, JoseError) as exc:
        raise OIDCError(_("Die Antwort des Identitätsanbieters ist ungültig. Sie wurden nicht "
                          "angemeldet.")) from exc
    return dict(claims)


def authorization_finish(session, *, params, redirect_uri: str) -> OIDCLogin:
    """Check the provider's answer at the callback (`params`: its query parameters) against
    the pending login, redeem the code (with the PKCE verifier), validate the ID token and
    return the login; raise `OIDCError` for anything wrong. The pending login is used up."""
    state = params.get("state", "")
    entry = _pending_pop(session, state) if state else None
    if entry is None:
        raise OIDCError(_("Diese Anmeldung wurde nicht hier gestartet oder ist abgelaufen (state "
                          "ungültig). Sie wurden nicht angemeldet. Bitte melden Sie sich erneut an."))
    if params.get("error"):
        raise OIDCError(_("Der Identitätsanbieter hat die Anmeldung abgebrochen. Sie wurden nicht "
                          "angemeldet."), status=403)
    code = params.get("code", "")
    if not code:
        raise OIDCError(_("Die Antwort des Identitätsanbieters ist ungültig. Sie wurden nicht "
                          "angemeldet."))
    metadata = provider_metadata()
    try:
        token = _client(redirect_uri).fetch_token(
            metadata["token_endpoint"], code=code, code_verifier=entry["code_verifier"],
            timeout=accounts_setting("HTTP_TIMEOUT"),
        )
    except requests.RequestException as exc:
        raise OIDCError(_("Der Identitätsanbieter ist gerade nicht erreichbar. Bitte versuchen Sie "
                          "es später noch einmal."), status=502) from exc
    except (AuthlibBaseError, ValueError) as exc:  # the provider refused the code (OAuth error)
        raise OIDCError(_("Der Identitätsanbieter hat die Anmeldung nicht bestätigt. Sie wurden "
                          "nicht angemeldet. Bitte melden Sie sich erneut an.")) from exc
    if not token.get("id_token"):
        raise OIDCError(_("Die Antwort des Identitätsanbieters ist ungültig. Sie wurden nicht "
                          "angemeldet."))
    claims = _id_token_claims(token["id_token"], metadata=metadata, nonce=entry["nonce"],
                              access_token=token.get("access_token", ""))
    if not isinstance(claims["sub"], str) or not 0 < len(claims["sub"]) <= 255:  # OIDC Core §2: at most 255
        raise OIDCError(_("Die Antwort des Identitätsanbieters ist ungültig. Sie wurden nicht "
                          "angemeldet."))
    level = trust_level_for_acr(claims.get("acr"))
    required = TrustLevel(entry["level"])
    if level is None or not level.satisfies(required):
        raise OIDCError(_("Ihre Anmeldung erreicht nicht das nötige Vertrauensniveau (%(level)s). "
                          "Sie wurden nicht angemeldet.") % {"level": required.label}, status=403)
    return OIDCLogin(issuer=accounts_setting("OIDC_ISSUER"), subject=claims["sub"],
                     trust_level=level, claims=claims, next_url=entry["next"])
