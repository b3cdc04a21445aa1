"""The namespaced settings of `fitconnect_sender` (`settings.FITCONNECT`) with defaults.

`TOKEN_URL`, `SUBMISSION_API_URL` (with the version path, e.g. ".../v1"), `CLIENT_ID`,
`CLIENT_SECRET`: the sender's API client at the Zustelldienst (OAuth2 client credentials).
Sending is off while `SUBMISSION_API_URL` is empty (the route takes no case then).
`TRUSTED_CA_FILE`: PEM file of the CA (the administration PKI, a test CA in development)
that every destination's encryption key certificate (`x5c`) must chain to.
`CALLBACK_SECRET`: the secret of the callback HMAC (`callback-authentication`); callbacks are
refused while it is empty. `CALLBACK_MAX_AGE`: seconds a callback's timestamp may be old.
`HTTP_TIMEOUT`: seconds per request; `MAX_ATTEMPTS`: sending attempts before giving up;
`RETRY_BACKOFF`: seconds before the first retry, doubled each time (capped at
`RETRY_BACKOFF_MAX`). `MIN_KEY_BITS`: the shortest RSA encryption key accepted (the
FIT-Connect rules ask for 4096).
"""
from config.app_settings import AppSettings

__all__ = ["fitconnect_setting"]

DEFAULTS = {
    "TOKEN_URL": "",
    "SUBMISSION_API_URL": "",
    "CLIENT_ID": "",
    "CLIENT_SECRET": "",
    "TRUSTED_CA_FILE": "",
    "CALLBACK_SECRET": "",
    "CALLBACK_MAX_AGE": 300,
    "HTTP_TIMEOUT": 15.0,
    "MAX_ATTEMPTS": 8,
    "RETRY_BACKOFF": 30,
    "RETRY_BACKOFF_MAX": 3600,
    "MIN_KEY_BITS": 4096,
}


fitconnect_setting = AppSettings("FITCONNECT", DEFAULTS)
