"""The namespaced settings of the Sozialcard (`settings.SOZIALCARD`).

`DEPARTMENT`: slug of the social welfare office (Sozialamt) that gets the applications.
`TRUST_LEVEL`: the login the catalogue names for the service (a `portal.catalogue.TrustLevel`
value); each programme sets its own for the application (`Programme.trust_level`).
`SLA_DAYS`: working days to the due date of an application. `FORM_SLUG`: the eforms definition
of the application (`eforms/definitions/sozialcard.json` when the database has none).
`TILL_RATE`: how many checks one till may make (DRF rate, e.g. "120/min"); more answer 429.
`CARD_HASH_KEY`: the server key of the cards' keyed hash (HMAC-SHA256, `cardhash`); empty
means a key derived from `SECRET_KEY` (set it apart in production, from the environment
`SOZIALCARD_CARD_HASH_KEY`, so that rotating the secret key leaves the cards alone).
"""
from config.app_settings import AppSettings

__all__ = ["SERVICE", "sozialcard_setting"]

#: The service slug (catalogue, case type, `Case.service`).
SERVICE = "sozialcard"

DEFAULTS = {
    "DEPARTMENT": "sozialamt",
    "TRUST_LEVEL": "substanziell",
    "SLA_DAYS": 10,
    "FORM_SLUG": "sozialcard",
    "CARD_HASH_KEY": "",
    "TILL_RATE": "120/min",
}

sozialcard_setting = AppSettings("SOZIALCARD", DEFAULTS)
