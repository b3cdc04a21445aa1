"""``server init``: the test CA, the demo destination, client credentials, written into the state dir.

Files in the state directory (all JSON/PEM, read by the server, the reference subscriber, the
tests and the demo set-up):

- ``ca.pem`` — the test CA certificate: the trust anchor a sender is configured with
  (``ca-key.pem`` is its private key, mode 600);
- ``server-signing-key.json`` — the Zustelldienst's private SET signing key (PS512); the public
  half is served at ``/.well-known/jwks.json``;
- ``destination-keys.json`` — the destination's private encryption and signature JWKs (the
  subscriber's secrets);
- ``config.json`` — everything else: destination id and services, kids, and the OAuth client
  credentials of the demo sender and subscriber (see :func:`state_init`).

Running it again on an initialised directory changes nothing.
"""

import json
import os
import secrets
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from fitconnect_dev import crypto, spec
from fitconnect_dev.store import Store

__all__ = ["state_init", "config_load", "CONFIG_FILE", "NotInitialised"]

CONFIG_FILE = "config.json"


class NotInitialised(RuntimeError):
    """The state directory has not been set up with ``server init``."""


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def config_load(state_dir) -> dict:
    """The state directory's ``config.json``; NotInitialised when it is missing."""
    path = Path(state_dir) / CONFIG_FILE
    if not path.exists():
        raise NotInitialised(f"{path} fehlt: zuerst `python -m fitconnect_dev.server init --state {state_dir}`")
    return json.loads(path.read_text())


def state_init(state_dir, *, services: dict[str, str] | None = None) -> tuple[dict, bool]:
    """Create CA, destination, keys and clients in ``state_dir`` unless present: (config, created).

    ``config.json`` holds::

        {"destinationId", "services": [{"identifier", "name"}], "encryptionKid", "signatureKid",
         "caCertificate": "<abs path of ca.pem>", "destinationKeysFile": "<abs path>",
         "sender": {"clientId", "clientSecret", "scope"},
         "subscriber": {"clientId", "clientSecret", "scope"}}
    """
    state = Path(state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    if (state / CONFIG_FILE).exists():
        return config_load(state), False
    services = services or spec.DEMO_SERVICES

    ca_key, ca_cert = crypto.ca_create()
    (state / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    _write_private(state / "ca-key.pem", ca_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode())

    destination_id = str(uuid.uuid4())
    public_keys, private_keys = {}, {}
    for usage in ("encryption", "signature"):
        key = crypto.rsa_key_new(4096)
        cert = crypto.certificate_issue(
            ca_key=ca_key, ca_cert=ca_cert, public_key=key.public_key(), usage=usage,
            common_name=f"Demo-Meldebehörde Zustellpunkt {destination_id[:8]} ({usage})")
        public_keys[usage], private_keys[usage] = crypto.public_jwk_with_chain(
            private_key=key, chain=[cert, ca_cert], usage=usage)
    _write_private(state / "destination-keys.json", json.dumps(private_keys, indent=2))

    server_key = crypto.rsa_key_new(4096)
    server_public, server_private = crypto.public_jwk_with_chain(private_key=server_key, chain=[], usage="signature")
    server_public.pop("x5c")
    _write_private(state / "server-signing-key.json", json.dumps({"private": server_private, "public": server_public}))

    sender = {"clientId": str(uuid.uuid4()), "clientSecret": secrets.token_urlsafe(32), "scope": spec.SCOPE_SEND}
    subscriber = {"clientId": str(uuid.uuid4()), "clientSecret": secrets.token_urlsafe(32),
                  "scope": spec.scope_subscribe(destination_id)}
    service_list = [{"identifier": spec.LEIKA_URN_PREFIX + key, "name": name} for key, name in services.items()]

    store = Store(state / "state.sqlite3")
    with store.write() as db:
        db.execute("INSERT INTO destinations VALUES (?, 'active', ?, ?, ?, NULL, NULL)",
                   (destination_id, Store.dumps(service_list), public_keys["encryption"]["kid"],
                    public_keys["signature"]["kid"]))
        for public in public_keys.values():
            db.execute("INSERT INTO destination_keys VALUES (?, ?, ?)",
                       (destination_id, public["kid"], Store.dumps(public)))
        for role, client in (("sender", sender), ("subscriber", subscriber)):
            db.execute("INSERT INTO clients VALUES (?, ?, ?, ?)",
                       (client["clientId"], client["clientSecret"], role, client["scope"]))

    config = {
        "destinationId": destination_id,
        "services": service_list,
        "encryptionKid": public_keys["encryption"]["kid"],
        "signatureKid": public_keys["signature"]["kid"],
        "caCertificate": str(state / "ca.pem"),
        "destinationKeysFile": str(state / "destination-keys.json"),
        "sender": sender,
        "subscriber": subscriber,
    }
    # Written last: its presence means "initialised".
    _write_private(state / CONFIG_FILE, json.dumps(config, indent=2))
    return config, True
