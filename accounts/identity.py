"""What the identity of the current login says about the citizen, for form prefill.

`identity_for(request)` returns the values (name, address, date of birth, email) the login
brought and the names of the fields that came from the identity, so that a form can mark them
("aus Ihrem Konto") and a service can tell verified data from typed data.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .trust import SESSION_CLAIMS, current_trust_level

__all__ = ["PREFILL_FIELDS", "IdentityData", "claims_minimal", "identity_for"]

#: The prefill fields, named as OpenID Connect's standard claims (`address` flattened).
PREFILL_FIELDS = ("given_name", "family_name", "street_address", "postal_code", "locality", "country",
                  "birthdate", "email")


@dataclass(frozen=True)
class IdentityData:
    """Prefill values of the current login: `values[field]` and the set `from_identity` of the
    field names whose value the identity provider (or the email login) vouched for."""

    values: dict = field(default_factory=dict)
    from_identity: frozenset = frozenset()

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


def claims_minimal(claims: dict) -> dict:
    """The prefill fields of an ID token's claims, nothing else (data minimisation)."""
    address = claims.get("address") if isinstance(claims.get("address"), dict) else {}
    source = {**claims, **{key: address.get(key) for key in ("street_address", "postal_code", "locality",
                                                              "country")}}
    return {name: str(source[name]) for name in PREFILL_FIELDS if source.get(name) not in (None, "")}


def identity_for(request) -> IdentityData:
    """The prefill data of the citizen logged in on `request` (empty when nobody is)."""
    if current_trust_level(request).rank == 0:
        return IdentityData()
    values = dict(request.session.get(SESSION_CLAIMS) or {})
    return IdentityData(values=values, from_identity=frozenset(values))
