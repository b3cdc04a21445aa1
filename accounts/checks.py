"""System checks of the citizen account's configuration, so that a wrong setting fails at
start-up rather than at a citizen's login.

accounts.E001 an `acr` mapping value is not a trust level (basisregistrierung, substanziell,
hoch); accounts.E002 `OIDC_ISSUER` is set but the client id or secret is missing;
accounts.E003 `EMAIL_LOGIN_RATE` is not "<n>/<second|minute|hour|day>" (or empty);
accounts.W001 `OIDC_ISSUER` is not https outside DEBUG (OIDC Discovery §4: https only;
http://localhost stays allowed for the demo provider).
"""
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from portal.catalogue import TrustLevel

from .conf import accounts_setting

RATE_RE = re.compile(r"^\d+/(second|minute|hour|day)$")


@checks.register()
def accounts_configuration_check(app_configs=None, **kwargs):
    errors = []
    valid = set(TrustLevel.values) - {TrustLevel.NONE}
    for acr, level in accounts_setting("ACR_TRUST_LEVELS").items():
        if level not in valid:
            errors.append(checks.Error(
                f"ACCOUNTS['ACR_TRUST_LEVELS'] maps acr {acr!r} to {level!r}, which is no trust level.",
                hint=f"Use one of {', '.join(sorted(valid))}.", id="accounts.E001"))
    issuer = accounts_setting("OIDC_ISSUER")
    if issuer and not (accounts_setting("OIDC_CLIENT_ID") and accounts_setting("OIDC_CLIENT_SECRET")):
        errors.append(checks.Error("OIDC_ISSUER is set, but OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is empty.",
                                   hint="Set both to the client registered at the identity broker.",
                                   id="accounts.E002"))
    rate = accounts_setting("EMAIL_LOGIN_RATE")
    if rate and not RATE_RE.match(rate):
        errors.append(checks.Error(f"ACCOUNTS['EMAIL_LOGIN_RATE'] {rate!r} is no rate.",
                                   hint='For example "5/hour"; empty switches the limit off.', id="accounts.E003"))
    parts = urlsplit(issuer)
    if issuer and parts.scheme != "https" and parts.hostname not in ("localhost", "127.0.0.1") and not settings.DEBUG:
        errors.append(checks.Warning(f"OIDC_ISSUER {issuer!r} is not an https URL.",
                                     hint="Identity providers are reached over https only.", id="accounts.W001"))
    return errors
