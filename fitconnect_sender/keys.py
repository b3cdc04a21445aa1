"""The sender's own key pairs for replies (Rückkanal), generated once and kept in the database.

FIT-Connect encrypts a reply for the public key the sender names in the submission's metadata
(`replyChannel.fitConnect.encryptionPublicKey`); the sender signs its accept-reply /
reject-reply events. Both keys are RSA 4096 (`crypto.key_pair_new`), made on first use and
stored in `FitConnectReplyKey` (one row per use), so every web process and worker uses the
same pair and a reply encrypted months ago still opens. The private half is read only here;
it is never logged, shown in the admin or returned by an API.
"""
from __future__ import annotations

from django.db import IntegrityError, transaction

from .crypto import key_pair_new, public_jwk
from .models import FitConnectReplyKey

__all__ = ["reply_key_private", "reply_key_public"]


def reply_key_private(use: str = FitConnectReplyKey.Use.ENCRYPTION) -> dict:
    """Our private JWK of `use`, generated and stored on first use (two processes racing
    both generate one; the unique `use` keeps the first, the other reads it)."""
    stored = FitConnectReplyKey.objects.filter(use=use).values_list("private_jwk", flat=True).first()
    if stored is not None:
        return stored
    private = key_pair_new(str(use))
    try:
        with transaction.atomic():
            FitConnectReplyKey.objects.create(use=use, kid=private["kid"], private_jwk=private)
    except IntegrityError:
        return FitConnectReplyKey.objects.values_list("private_jwk", flat=True).get(use=use)
    return private


def reply_key_public() -> dict:
    """The public encryption JWK for `replyChannel.fitConnect.encryptionPublicKey`."""
    return public_jwk(reply_key_private(FitConnectReplyKey.Use.ENCRYPTION))
