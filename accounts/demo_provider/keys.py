"""The demo provider's RSA signing key: made once, kept as PEM in var/demo-oidc/."""
from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = ["rsa_private_key_pem", "signing_key_ensure"]


def rsa_private_key_pem() -> str:
    """A new 2048-bit RSA private key as unencrypted PKCS#8 PEM text."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def signing_key_ensure(path: Path) -> bool:
    """Write a new key to `path` (mode 0600) unless one is there; whether one was made."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(rsa_private_key_pem())
    return True
