"""The namespaced settings of the Sozialcard (`settings.SOZIALCARD`).

`DEPARTMENT`: slug of the social welfare office (Sozialamt) that gets the applications.
`TRUST_LEVEL`: the login the catalogue names for the service (a `portal.catalogue.TrustLevel`
value); each programme sets its own for the application (`Programme.trust_level`).
`SLA_DAYS`: working days to the due date of an application. `FORM_SLUG`: the eforms definition
of the application (`eforms/definitions/sozialcard.json` when the database has none).
`TILL_RATE`: how many checks one till may make (DRF rate, e.g. "120/min"); more answer 429.
`ACTIVATION_CODE_MINUTES`: how long a one-time activation code (a card on another phone) is
valid. `ACTIVATION_RATE`: how many activation-code attempts one client address may make (DRF
rate, e.g. "10/h"); more answer 429, so a code cannot be guessed.
`RENEWAL_REMINDER_DAYS`: how many days before a card ends its owner is reminded (once).
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
    "ACTIVATION_CODE_MINUTES": 15,
    "ACTIVATION_RATE": "10/h",
    "RENEWAL_REMINDER_DAYS": 30,
}

sozialcard_setting = AppSettings("SOZIALCARD", DEFAULTS)
