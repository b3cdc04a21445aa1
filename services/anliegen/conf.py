"""The namespaced settings of the general request (`settings.ANLIEGEN`) with defaults.

`TRIAGE_DEPARTMENT`: slug of the department that gets every request no topic rule matches
(the central service team, Bürgerservice) and that is told when a request is overdue.
`SLA_DAYS`: working days from filing to the due date.
`FORM_SLUG`: the eforms definition the citizen page renders (its newest active version;
created from `eforms/definitions/anliegen.json` when the database has none).
"""
from config.app_settings import AppSettings

__all__ = ["SERVICE", "anliegen_setting"]

#: The service slug (catalogue, case type, `Case.service`).
SERVICE = "anliegen"

DEFAULTS = {
    "TRIAGE_DEPARTMENT": "buergerservice",
    "SLA_DAYS": 10,
    "FORM_SLUG": "anliegen",
}


anliegen_setting = AppSettings("ANLIEGEN", DEFAULTS)
