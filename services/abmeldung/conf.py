"""The namespaced settings of the deregistration abroad (`settings.ABMELDUNG`).

`DEPARTMENT`: slug of the registration office. `TRUST_LEVEL`: the login needed (default hoch,
the online ID). `RETENTION_DAYS`: days after completion (closing) after which form contents
and documents are deleted. `SLA_DAYS`, `FORM_SLUG`, `LEIKA_KEY` as for the other services.
"""
from config.app_settings import AppSettings

__all__ = ["SERVICE", "abmeldung_setting"]

#: The service slug (catalogue, case type, `Case.service`).
SERVICE = "abmeldung"

DEFAULTS = {
    "DEPARTMENT": "buergeramt",
    "TRUST_LEVEL": "hoch",
    "RETENTION_DAYS": 30,
    "SLA_DAYS": 5,
    "FORM_SLUG": "abmeldung",
    "LEIKA_KEY": "99115005011000",
}

abmeldung_setting = AppSettings("ABMELDUNG", DEFAULTS)
