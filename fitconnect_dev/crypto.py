"""Keys, the test CA, JWE and signed Security Event Tokens, and the callback HMAC.

jwcrypto does JOSE (JWK, JWE, JWS), ``cryptography`` makes the test CA and the X.509
certificates that travel in a key's ``x5c`` chain (leaf first, then the CA, base64 DER as in
RFC 7517 § 4.7). Key sizes follow FIT-Connect: RSA 4096 for destination keys (the SDK refuses
smaller ones), RSA-OAEP-256 + A256GCM for content, PS512 for SETs.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import time
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwcrypto import jwe, jwk, jws

from fitconnect_dev import spec

__all__ = [
    "rsa_key_new", "ca_create", "certificate_issue", "public_jwk_with_chain", "jwe_encrypt", "jwe_decrypt",
    "jwe_header", "authentication_tag", "set_sign", "set_parse", "set_verify", "callback_sign",
    "sha512_hex", "CryptoError",
]


class CryptoError(ValueError):
    """A token, key or ciphertext that cannot be read or does not verify."""


def rsa_key_new(bits: int = 4096) -> rsa.RSAPrivateKey:
    """A new RSA private key (public exponent 65537)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Stadtmelder FIT-Connect test PKI"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def ca_create(*, common_name: str = "Stadtmelder Test-CA (nur Entwicklung)", days: int = 3650):
    """A self-signed test CA: (private key, certificate). Stands in for the administration PKI."""
    key = rsa_key_new(3072)
    now = dt.datetime.now(dt.UTC)
    name = _name(common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def certificate_issue(*, ca_key, ca_cert, public_key, common_name: str, usage: str, days: int = 825):
    """A leaf certificate for ``public_key`` signed by the CA; usage ``"encryption"`` or ``"signature"``."""
    now = dt.datetime.now(dt.UTC)
    encryption = usage == "encryption"
    return (
        x509.CertificateBuilder()
        .subject_name(_name(common_name)).issuer_name(ca_cert.subject).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=not encryption, content_commitment=False, key_encipherment=encryption,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _der_b64(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")


def public_jwk_with_chain(*, private_key, chain: list, usage: str) -> tuple[dict, dict]:
    """(public JWK with ``x5c`` chain and ``key_ops``, private JWK) for a destination key.

    The kid is the key's RFC 7638 thumbprint. Encryption keys carry ``key_ops: ["wrapKey"]`` and
    ``alg: RSA-OAEP-256``, signature keys ``key_ops: ["verify"]`` and ``alg: PS512``.
    """
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    key = jwk.JWK.from_pem(pem)
    kid = key.thumbprint()
    alg, ops, private_ops = (
        (spec.JWE_ALG, ["wrapKey"], ["unwrapKey"]) if usage == "encryption" else (spec.SET_ALG, ["verify"], ["sign"])
    )
    public = json.loads(key.export_public())
    public.update({"kid": kid, "alg": alg, "key_ops": ops, "x5c": [_der_b64(c) for c in chain]})
    private = json.loads(key.export_private())
    private.update({"kid": kid, "alg": alg, "key_ops": private_ops})
    return public, private


def sha512_hex(data: bytes) -> str:
    """Hex SHA-512 as the metadata's ``hash.content`` expects it."""
    return hashlib.sha512(data).hexdigest()


def jwe_encrypt(plaintext: bytes, public_jwk: dict, *, cty: str | None = None) -> str:
    """JWE compact serialisation of ``plaintext`` for ``public_jwk`` (RSA-OAEP-256, A256GCM)."""
    key = jwk.JWK(**{k: v for k, v in public_jwk.items() if k in ("kty", "n", "e")})
    header = {"alg": spec.JWE_ALG, "enc": spec.JWE_ENC, "kid": public_jwk.get("kid") or key.thumbprint()}
    if cty:
        header["cty"] = cty
    token = jwe.JWE(plaintext=plaintext, protected=header, recipient=key)
    return token.serialize(compact=True)


def jwe_header(token: str) -> dict:
    """The protected header of a JWE compact token; CryptoError if it is not one."""
    parts = token.strip().split(".") if isinstance(token, str) else []
    if len(parts) != 5 or not all(parts[i] for i in (0, 2, 3, 4)):
        raise CryptoError("not a JWE in compact serialisation (five base64url parts)")
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except ValueError as exc:
        raise CryptoError("JWE header is not base64url JSON") from exc
    if not isinstance(header, dict):
        raise CryptoError("JWE header is not a JSON object")
    return header


def authentication_tag(token: str) -> str:
    """The authentication tag (fifth part) of a JWE compact token."""
    return token.strip().split(".")[4]


def jwe_decrypt(token: str, private_jwk: dict) -> bytes:
    """Decrypt a JWE compact token with a private JWK; CryptoError when it fails."""
    try:
        key = jwk.JWK(**{k: v for k, v in private_jwk.items() if k not in ("key_ops", "alg")})
        obj = jwe.JWE()
        obj.deserialize(token.strip(), key=key)
        return obj.payload
    except Exception as exc:  # jwcrypto raises several unrelated types
        raise CryptoError(f"JWE cannot be decrypted: {exc}") from exc


def set_sign(*, private_jwk: dict, issuer: str, subject: str, txn: str, event: str, payload: dict | None = None,
             issued_at: int | None = None) -> str:
    """A signed Security Event Token (JWS compact, PS512) for one FIT-Connect event.

    ``subject`` is ``submission:<id>`` or ``reply:<id>``, ``txn`` is ``case:<caseId>``, ``event`` the
    short event name (``accept-submission``).
    """
    key = jwk.JWK(**{k: v for k, v in private_jwk.items() if k not in ("key_ops", "alg")})
    claims = {
        "$schema": spec.SET_SCHEMA,
        "jti": str(uuid.uuid4()),
        "iat": int(issued_at if issued_at is not None else time.time()),
        "iss": issuer,
        "sub": subject,
        "txn": txn,
        "events": {spec.event_uri(event): payload or {}},
    }
    token = jws.JWS(json.dumps(claims, separators=(",", ":")).encode())
    token.add_signature(key, alg=spec.SET_ALG,
                        protected={"typ": spec.SET_TYP, "alg": spec.SET_ALG, "kid": private_jwk["kid"]})
    return token.serialize(compact=True)


def set_parse(token: str) -> tuple[dict, dict]:
    """(header, claims) of a SET without verifying it; CryptoError if it is not a JWS compact JSON token."""
    parts = token.strip().split(".") if isinstance(token, str) else []
    if len(parts) != 3 or not all(parts):
        raise CryptoError("not a JWS in compact serialisation (three base64url parts)")
    try:
        header, claims = (json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))) for p in parts[:2])
    except ValueError as exc:
        raise CryptoError("JWS header or payload is not base64url JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise CryptoError("JWS header and payload must be JSON objects")
    return header, claims


def set_verify(token: str, public_jwk: dict) -> dict:
    """Verify a SET's PS512 signature with ``public_jwk``; returns its claims or raises CryptoError."""
    header, _claims = set_parse(token)
    if header.get("alg") != spec.SET_ALG or header.get("typ") != spec.SET_TYP:
        raise CryptoError(f"SET header must have alg {spec.SET_ALG} and typ {spec.SET_TYP}")
    try:
        key = jwk.JWK(**{k: v for k, v in public_jwk.items() if k in ("kty", "n", "e")})
        obj = jws.JWS()
        obj.deserialize(token.strip())
        obj.verify(key, alg=spec.SET_ALG)
        return json.loads(obj.payload)
    except Exception as exc:
        raise CryptoError(f"SET signature does not verify: {exc}") from exc


def callback_sign(secret: str, timestamp: int, body: bytes) -> str:
    """``callback-authentication`` value: hex HMAC-SHA512 over ``"<timestamp>.<body>"`` (UTF-8)."""
    message = str(int(timestamp)).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha512).hexdigest()
