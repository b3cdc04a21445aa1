"""System checks of the general request's settings, so that a mail intake set up wrongly
fails at start-up rather than at the first mail.

anliegen.E001 ANLIEGEN_MAIL_IMAP_URL is not `imap[s]://user:password@host[:port]/FOLDER`;
anliegen.E002 ANLIEGEN_MAIL_ADDRESS is no email address; anliegen.E003 MAIL_MAX_BYTES,
MAIL_IMAP_BATCH or MAIL_IMAP_TIMEOUT is not a positive number.
"""
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from .conf import anliegen_setting


@checks.register()
def mail_intake_settings_check(app_configs=None, **kwargs) -> list[checks.Error]:
    from .mail.imap import imap_mailbox_parse

    errors = []
    url = anliegen_setting("MAIL_IMAP_URL")
    if url:
        try:
            imap_mailbox_parse(url)
        except ImproperlyConfigured as exc:
            errors.append(checks.Error(str(exc), id="anliegen.E001"))
    address = anliegen_setting("MAIL_ADDRESS")
    if address:
        try:
            validate_email(address)
        except ValidationError:
            errors.append(checks.Error(f"ANLIEGEN['MAIL_ADDRESS']: {address!r} is no email address.",
                                       id="anliegen.E002"))
    for name in ("MAIL_MAX_BYTES", "MAIL_IMAP_BATCH", "MAIL_IMAP_TIMEOUT"):
        value = anliegen_setting(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            errors.append(checks.Error(f"ANLIEGEN[{name!r}] must be a positive number.", id="anliegen.E003"))
    return errors
