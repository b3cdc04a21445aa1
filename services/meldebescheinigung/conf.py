"""The namespaced settings of the registration certificate (`settings.MELDEBESCHEINIGUNG`).

`DEPARTMENT`: slug of the registration office (Meldebehörde) that gets the cases.
`TRUST_LEVEL`: the login a citizen needs (a `portal.catalogue.TrustLevel` value).
`FEE_SIMPLE_CENTS`, `FEE_EXTENDED_CENTS`: the fee per certificate in cent (each person
asked for is one certificate); 0 means free (no payment step).
`SLA_DAYS`: working days to the due date. `FORM_SLUG`: the eforms definition
(`eforms/definitions/meldebescheinigung.json` when the database has none).
`LEIKA_KEY`: the service's key in the federal catalogue (overridable by PORTAL_LEIKA_KEYS).
"""
from config.app_settings import AppSettings

__all__ = ["SERVICE", "meldebescheinigung_setting"]

#: The service slug (catalogue, case type, `Case.service`, `Payment.service`).
SERVICE = "meldebescheinigung"

DEFAULTS = {
    "DEPARTMENT": "buergeramt",
    "TRUST_LEVEL": "substanziell",
    "FEE_SIMPLE_CENTS": 1000,
    "FEE_EXTENDED_CENTS": 1000,
    "SLA_DAYS": 5,
    "FORM_SLUG": "meldebescheinigung",
    "LEIKA_KEY": "99115004000000",
}

meldebescheinigung_setting = AppSettings("MELDEBESCHEINIGUNG", DEFAULTS)
