"""The namespaced settings of the general request (`settings.ANLIEGEN`) with defaults.

`TRIAGE_DEPARTMENT`: slug of the department that gets every request no topic rule matches
(the central service team, Bürgerservice) and that is told when a request is overdue.
`SLA_DAYS`: working days from filing to the due date.
`FORM_SLUG`: the eforms definition the citizen page renders (its newest active version;
created from `eforms/definitions/anliegen.json` when the database has none).

Requests by email (`services.anliegen.mail`):
`MAIL_ADDRESS`: the intake address (Reply-To of the acknowledgement; mail from it is a loop).
`MAIL_TOPIC`: the form's topic a mailed request gets (topic rules with keywords still route it).
`MAIL_MAX_BYTES`: the largest mail taken (bytes of the whole RFC 5322 message).
`MAIL_IMAP_URL`: the mailbox that beat polls, `imaps://user:password@host[:port]/FOLDER`
(`imap://` without TLS only for a server on the same machine); empty: no polling.
`MAIL_IMAP_DONE_FOLDER`: where a handled mail is moved; empty: it is only flagged as seen.
`MAIL_IMAP_BATCH`: the most mails taken per run; `MAIL_IMAP_TIMEOUT`: seconds per IMAP call.
"""
from config.app_settings import AppSettings

__all__ = ["SERVICE", "anliegen_setting"]

#: The service slug (catalogue, case type, `Case.service`).
SERVICE = "anliegen"

DEFAULTS = {
    "TRIAGE_DEPARTMENT": "buergerservice",
    "SLA_DAYS": 10,
    "FORM_SLUG": "anliegen",
    "MAIL_ADDRESS": "",
    "MAIL_TOPIC": "sonstiges",
    "MAIL_MAX_BYTES": 25 * 1024 * 1024,
    "MAIL_IMAP_URL": "",
    "MAIL_IMAP_DONE_FOLDER": "",
    "MAIL_IMAP_BATCH": 50,
    "MAIL_IMAP_TIMEOUT": 30,
}


anliegen_setting = AppSettings("ANLIEGEN", DEFAULTS)
