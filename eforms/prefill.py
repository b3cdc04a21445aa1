"""From the identity claims of a login (OpenID Connect standard claim names, as
`accounts.identity.identity_for(request).values` holds them) to the claim names a field's
`prefill` uses: "given_name", "family_name", "birthdate", "email", "phone" and "address"
({"street", "house_number", "postcode", "city"}). Only the claims present are returned."""
import re

__all__ = ["prefill_from_claims"]

# "Heidestraße 17a" → ("Heidestraße", "17a"); a street without a number stays whole.
_STREET_NUMBER = re.compile(r"^(?P<street>.*\S)\s+(?P<number>[0-9]{1,5}\s?[A-Za-z]?)$")


def prefill_from_claims(claims: dict) -> dict:
    """The prefill identity of `claims` (see the module docstring)."""
    identity = {key: str(claims[key]) for key in ("given_name", "family_name", "birthdate", "email")
                if claims.get(key)}
    if claims.get("phone_number") or claims.get("phone"):
        identity["phone"] = str(claims.get("phone_number") or claims.get("phone"))
    street = str(claims.get("street_address") or "").strip()
    address = {}
    if street:
        match = _STREET_NUMBER.match(street)
        address.update(street=match["street"], house_number=match["number"]) if match else address.update(
            street=street)
    if claims.get("postal_code"):
        address["postcode"] = str(claims["postal_code"])
    if claims.get("locality"):
        address["city"] = str(claims["locality"])
    if address:
        identity["address"] = address
    return identity
