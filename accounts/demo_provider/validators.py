"""The demo provider's claims: `acr` and the demo person's data (see `citizens`).

The level given is the first of the requested `acr_values` the person reaches (the client
lists them lowest first), else the person's highest level — so a step-up request for a level
the person cannot reach comes back lower, as from a real broker, and the client refuses it.
"""
from oauth2_provider.oauth2_validators import OAuth2Validator

from .citizens import DEMO_CITIZENS, DEMO_DEFAULT_ACR, acr_rank

__all__ = ["DemoOIDCValidator"]


class DemoOIDCValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "acr": "openid"}

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        # django-oauth-toolkit keeps `claims` with the grant, not `acr_values`: carry them along.
        request.claims = {**(request.claims or {}), "acr_values": request.acr_values or ""}
        return super().save_authorization_code(client_id, code, request, *args, **kwargs)

    def get_additional_claims(self, request):
        person = DEMO_CITIZENS.get(request.user.get_username(), {})
        max_acr = person.get("max_acr", DEMO_DEFAULT_ACR)
        requested = ((request.claims or {}).get("acr_values") or "").split()
        reachable = [acr for acr in requested if 0 < acr_rank(acr) <= acr_rank(max_acr)]
        claims = {"acr": reachable[0] if reachable else max_acr}
        for name in ("given_name", "family_name", "birthdate", "email", "address"):
            if name in person:
                claims[name] = person[name]
        if "given_name" not in claims and request.user.first_name:
            claims["given_name"] = request.user.first_name
        if "family_name" not in claims and request.user.last_name:
            claims["family_name"] = request.user.last_name
        return claims
