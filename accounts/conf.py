"""The account's namespaced settings (`settings.ACCOUNTS`) with defaults, like DRF's api_settings.

- `OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`: the identity broker (BundID, a state's
  Servicekonto, or the demo provider). Login with OpenID Connect is off while the issuer is empty.
- `OIDC_SCOPES`: requested scopes (`openid` first).
- `ACR_TRUST_LEVELS`: `acr` claim value → trust level (`portal.catalogue.TrustLevel` value).
  An `acr` not in the mapping is no valid login. A login at a required level sends the
  `acr` values mapped to that level or a higher one as `acr_values` (step-up).
- `EMAIL_LOGIN_MAX_AGE`: seconds an email login link is valid (15 minutes).
- `EMAIL_LOGIN_RATE`: links one address or one client IP may request, `"<n>/<period>"`.
- `METADATA_CACHE_SECONDS`: how long the provider's discovery document and JWKS are cached.
- `HTTP_TIMEOUT`: seconds for every request to the provider (discovery, JWKS, token).
"""
from config.app_settings import AppSettings

__all__ = ["DEFAULTS", "accounts_setting"]

DEFAULTS = {
    "OIDC_ISSUER": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_SCOPES": "openid profile email address",
    # BundID's levels (STORK QAA): 1 and 2 are the user name/password registration.
    "ACR_TRUST_LEVELS": {
        "STORK-QAA-Level-1": "basisregistrierung",
        "STORK-QAA-Level-2": "basisregistrierung",
        "STORK-QAA-Level-3": "substanziell",
        "STORK-QAA-Level-4": "hoch",
    },
    "EMAIL_LOGIN_MAX_AGE": 15 * 60,
    "EMAIL_LOGIN_RATE": "5/hour",
    "METADATA_CACHE_SECONDS": 300,
    "HTTP_TIMEOUT": 10.0,
}


accounts_setting = AppSettings("ACCOUNTS", DEFAULTS)
