"""Cryptography of the FIT-Connect sender: checking a destination's encryption key,
encrypting to it (JWE), and verifying the signed events of the event log (SET, JWS).

- `encryption_key_verify(jwk_dict, trusted_ca_pem=)`: the public encryption key of a
  destination is used only if it is an RSA key for `RSA-OAEP-256` with the key operation
  `wrapKey`, of at least `MIN_KEY_BITS` bits, carries a certificate chain (`x5c`, leaf
  first, DER in standard Base64, RFC 7517 § 4.7) whose leaf holds exactly this key, and the
  chain verifies against the configured CA at the current time (cryptography's X.509 path
  validation: signatures, validity, CA constraints of the issuers). Anything else raises
  `KeyNotTrusted`: nothing is encrypted for a key the city's PKI does not vouch for.
- `jwe_encrypt(payload, key=, content_type=)`: JWE compact serialisation with
  `RSA-OAEP-256` and `A256GCM` and the key's `kid`, without compression (FIT-Connect asks
  for no `zip`).
- `set_verify(token, key_for=)`: a Security Event Token (RFC 8417) as FIT-Connect signs it:
  header `typ: secevent+jwt`, `alg: PS512`, a `kid`; the claims `jti`, `iss`, `iat`,
  `sub`, `txn` and exactly one event. `key_for(issuer, kid)` returns the public key (a
  JWK or a JWK dict; None if unknown) (the Zustelldienst's JWKS for its own events, the destination's signature key for
  the specialist system's). Raises `EventNotTrusted` on any defect.
- Replies (Rückkanal): `key_pair_new(use)` makes one of the sender's own RSA 4096 key pairs,
  `public_jwk(private)` its public half as published in `replyChannel.fitConnect`,
  `jwe_decrypt(token, key=)` opens a reply's data, metadata and attachments (only
  RSA-OAEP-256 + A256GCM are accepted), `set_sign(...)` signs the accept-reply /
  reject-reply event (PS512, `typ: secevent+jwt`, SET payload schema 1.0.0).
"""
from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import verification
from jwcrypto import jwe, jwk, jws
from jwcrypto.common import JWException

__all__ = ["KeyNotTrusted", "EventNotTrusted", "SecurityEvent", "encryption_key_verify", "jwe_encrypt",
           "set_verify", "ca_certificates_load", "public_key_verify", "ReplyUnreadable", "key_pair_new",
           "public_jwk", "jwe_decrypt", "set_sign", "authentication_tag"]

JWE_ALG = "RSA-OAEP-256"
JWE_ENC = "A256GCM"
SET_ALG = "PS512"
SET_TYP = "secevent+jwt"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"
REPLY_KEY_BITS = 4096


class KeyNotTrusted(Exception):
    """A destination's encryption key that must not be used (the reason in the message)."""


class EventNotTrusted(Exception):
    """An event-log entry whose form or signature does not verify."""


def ca_certificates_load(pem: bytes) -> list[x509.Certificate]:
    """The certificates of a PEM bundle (the trusted CA file); KeyNotTrusted if it holds none."""
    try:
        certificates = x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise KeyNotTrusted(f"trusted CA file unreadable: {exc}") from exc
    if not certificates:
        raise KeyNotTrusted("trusted CA file holds no certificate")
    return certificates


def _b64url_int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


#: What a key of each use must declare: (alg, key operation).
_USES = {"encryption": (JWE_ALG, "wrapKey"), "signature": (SET_ALG, "verify")}


def encryption_key_verify(key: dict, *, trusted_ca_pem: bytes, min_bits: int = 4096,
                          now: datetime | None = None) -> jwk.JWK:
    """The destination's public encryption key as a jwcrypto JWK, if it may be used (see the
    module doc); KeyNotTrusted otherwise."""
    return public_key_verify(key, use="encryption", trusted_ca_pem=trusted_ca_pem, min_bits=min_bits, now=now)


def public_key_verify(key: dict, *, use: str, trusted_ca_pem: bytes, min_bits: int = 4096,
                      now: datetime | None = None) -> jwk.JWK:
    """A destination's public key of `use` ("encryption" or "signature": the specialist
    system's key for its events) as a jwcrypto JWK, checked like the encryption key."""
    alg, operation = _USES[use]
    if not isinstance(key, dict) or key.get("kty") != "RSA":
        raise KeyNotTrusted("not an RSA key")
    if key.get("alg") != alg:
        raise KeyNotTrusted(f"key algorithm {key.get('alg')!r} is not {alg}")
    if operation not in (key.get("key_ops") or []):
        raise KeyNotTrusted(f"key_ops lacks {operation}")
    if not key.get("n") or not key.get("e"):
        raise KeyNotTrusted("modulus or exponent missing")
    modulus, exponent = _b64url_int(key["n"]), _b64url_int(key["e"])
    if modulus.bit_length() < min_bits:
        raise KeyNotTrusted(f"key has {modulus.bit_length()} bits, at least {min_bits} required")
    chain = key.get("x5c") or []
    if not chain:
        raise KeyNotTrusted("no certificate chain (x5c)")
    try:
        certificates = [x509.load_der_x509_certificate(base64.b64decode(item, validate=True)) for item in chain]
    except (ValueError, TypeError) as exc:
        raise KeyNotTrusted(f"x5c unreadable: {exc}") from exc
    leaf_key = certificates[0].public_key()
    if not isinstance(leaf_key, rsa.RSAPublicKey) or (
            leaf_key.public_numbers().n, leaf_key.public_numbers().e) != (modulus, exponent):
        raise KeyNotTrusted("the certificate does not hold this key")
    store = verification.Store(ca_certificates_load(trusted_ca_pem))
    builder = (verification.PolicyBuilder().store(store).time(now or datetime.now(UTC))
               .extension_policies(ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
                                   ee_policy=verification.ExtensionPolicy.permit_all()))
    try:
        builder.build_client_verifier().verify(certificates[0], certificates[1:])
    except verification.VerificationError as exc:
        raise KeyNotTrusted(f"certificate chain does not verify: {exc}") from exc
    public = {name: key[name] for name in ("kty", "n", "e", "kid", "alg") if name in key}
    return jwk.JWK(**public, key_ops=[operation])


def jwe_encrypt(payload: bytes, *, key: jwk.JWK, content_type: str) -> str:
    """`payload` encrypted for `key` (JWE compact serialisation, RSA-OAEP-256 + A256GCM)."""
    header = {"alg": JWE_ALG, "enc": JWE_ENC, "cty": content_type}
    if key.get("kid"):
        header["kid"] = key.get("kid")
    token = jwe.JWE(plaintext=payload, protected=json.dumps(header))
    token.add_recipient(key)
    return token.serialize(compact=True)


@dataclass(frozen=True)
class SecurityEvent:
    """One verified event-log entry."""

    jti: str
    issuer: str
    issued_at: int
    subject: str
    transaction: str
    event: str
    payload: dict


def _segment_json(segment: str) -> dict:
    try:
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, TypeError) as exc:
        raise EventNotTrusted(f"malformed token segment: {exc}") from exc
    if not isinstance(value, dict):
        raise EventNotTrusted("token segment is no JSON object")
    return value


def set_verify(token: str, *, key_for) -> SecurityEvent:
    """The verified event of the Security Event Token `token` (see the module doc)."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise EventNotTrusted("not a compact JWS")
    header_segment, claims_segment, _signature = token.split(".")
    header = _segment_json(header_segment)
    if header.get("typ") != SET_TYP:
        raise EventNotTrusted(f"typ {header.get('typ')!r} is not {SET_TYP}")
    if header.get("alg") != SET_ALG:
        raise EventNotTrusted(f"alg {header.get('alg')!r} is not {SET_ALG}")
    if not header.get("kid"):
        raise EventNotTrusted("kid missing")
    claims = _segment_json(claims_segment)
    missing = [name for name in ("jti", "iss", "iat", "sub", "txn", "events") if name not in claims]
    if missing:
        raise EventNotTrusted(f"claims missing: {', '.join(missing)}")
    events = claims["events"]
    if not isinstance(events, dict) or len(events) != 1:
        raise EventNotTrusted("exactly one event expected")
    public = key_for(str(claims["iss"]), str(header["kid"]))
    if public is None:
        raise EventNotTrusted(f"no key {header['kid']!r} for issuer {claims['iss']!r}")
    try:
        verifier = jws.JWS()
        verifier.deserialize(token)
        verifier.verify(public if isinstance(public, jwk.JWK) else jwk.JWK(**public), alg=SET_ALG)
    except (JWException, ValueError, TypeError) as exc:
        raise EventNotTrusted(f"signature does not verify: {exc}") from exc
    (event, payload), = events.items()
    return SecurityEvent(jti=str(claims["jti"]), issuer=str(claims["iss"]), issued_at=int(claims["iat"]),
                         subject=str(claims["sub"]), transaction=str(claims["txn"]), event=str(event),
                         payload=payload if isinstance(payload, dict) else {})


# --- replies (Rückkanal) ------------------------------------------------------------------

class ReplyUnreadable(Exception):
    """A reply's JWE that cannot be opened with our key (or uses other algorithms)."""


#: What each of our own keys declares (alg, key operations of the private and public half).
_OWN_USES = {"encryption": (JWE_ALG, ["unwrapKey"], ["wrapKey"]), "signature": (SET_ALG, ["sign"], ["verify"])}


def key_pair_new(use: str) -> dict:
    """A new RSA 4096 private key of `use` ("encryption" or "signature") as a JWK dict with
    a random `kid`, `alg` and `key_ops`."""
    alg, private_ops, _public_ops = _OWN_USES[use]
    key = jwk.JWK.generate(kty="RSA", size=REPLY_KEY_BITS, kid=str(uuid.uuid4()))
    return {**json.loads(key.export_private()), "alg": alg, "key_ops": private_ops}


def public_jwk(private: dict) -> dict:
    """The public half of one of our keys (kty, n, e, kid, alg, key_ops), as published."""
    use = "encryption" if private.get("alg") == JWE_ALG else "signature"
    return {"kty": "RSA", "kid": private["kid"], "alg": private["alg"], "key_ops": _OWN_USES[use][2],
            "n": private["n"], "e": private["e"]}


def _private_key(private: dict) -> jwk.JWK:
    return jwk.JWK(**{name: value for name, value in private.items() if name != "key_ops"})


def jwe_decrypt(token: str, *, key: dict) -> bytes:
    """The plaintext of a compact JWE encrypted for our key `key` (a private JWK dict)."""
    if not isinstance(token, str) or token.count(".") != 4:
        raise ReplyUnreadable("not a compact JWE")
    header = _segment_json_or(token.split(".", 1)[0], ReplyUnreadable)
    if header.get("alg") != JWE_ALG or header.get("enc") != JWE_ENC:
        raise ReplyUnreadable(f"JWE uses {header.get('alg')!r}/{header.get('enc')!r}, not {JWE_ALG}/{JWE_ENC}")
    if header.get("zip"):
        raise ReplyUnreadable("compressed JWE refused")
    try:
        message = jwe.JWE()
        message.deserialize(token, key=_private_key(key))
    except (JWException, ValueError, TypeError) as exc:
        raise ReplyUnreadable(f"JWE cannot be decrypted: {exc.__class__.__name__}") from exc
    return message.payload


def authentication_tag(token: str) -> str:
    """The authentication tag of a compact JWE (its last segment)."""
    return token.rsplit(".", 1)[-1]


def set_sign(*, key: dict, issuer: str, subject: str, txn: str, event: str, payload: dict | None = None) -> str:
    """A Security Event Token for `event` (full URI), signed PS512 with our private key `key`."""
    claims = {"$schema": SET_SCHEMA, "jti": str(uuid.uuid4()), "iss": issuer, "iat": int(time.time()),
              "sub": subject, "txn": txn, "events": {event: payload or {}}}
    token = jws.JWS(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    token.add_signature(_private_key(key), alg=SET_ALG,
                        protected=json.dumps({"alg": SET_ALG, "typ": SET_TYP, "kid": key["kid"]}))
    return token.serialize(compact=True)


def _segment_json_or(segment: str, error: type[Exception]) -> dict:
    try:
        return _segment_json(segment)
    except EventNotTrusted as exc:
        raise error(str(exc)) from exc
