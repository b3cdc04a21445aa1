"""Staff API tokens (`Authorization: Token <token>`), stored only as a hash.

DRF's `authtoken.Token` keeps its key in plain text; here its `key` column holds the
BLAKE2b-160 digest of the token (40 hex characters, the column's width) instead, so a copy
of the database opens nothing. Tokens are 160 random bits, so a fast unsalted hash is
enough (as for the crew tokens in `mobile_api`). `staff_token_create` makes a token and
returns it once (`manage.py create_staff_token USERNAME`); migration
`reporter.0008_hash_staff_api_tokens` hashed the tokens that existed before.
"""
import hashlib
import secrets

from django.db import transaction
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

__all__ = ["HashedTokenAuthentication", "staff_token_create", "token_digest"]


def token_digest(raw_token: str) -> str:
    """What is stored and looked up for a token: hex BLAKE2b with a 20-byte digest."""
    return hashlib.blake2b(raw_token.encode(), digest_size=20).hexdigest()


def staff_token_create(*, user) -> str:
    """A new API token for `user`, replacing the one they had; returns the raw token (shown once)."""
    raw = secrets.token_hex(20)
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        Token.objects.create(user=user, key=token_digest(raw))
    return raw


class HashedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, looking the token up by its digest."""

    def authenticate_credentials(self, key):
        return super().authenticate_credentials(token_digest(key))
