"""System checks of the project-wide settings (ids `config.E…`/`config.W…`).

- `config.E001`: CELERY_BROKER_URL is not a URL of a broker transport we run on
  (`redis://`, `rediss://`, `sentinel://`, `memory://` for tests) — caught at start-up instead
  of at the first task published.
- `config.W001`: a key in an app's settings dict (`STADTMELDER`, `OPENDATA`, …) that no app
  has a default for: a typo that would otherwise be silently ignored (`config.app_settings`).
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.translation import gettext as _

from .app_settings import AppSettings

__all__ = ["check_broker_url", "check_app_settings_keys"]

BROKER_SCHEMES = ("redis", "rediss", "sentinel", "memory")


@register()
def check_broker_url(app_configs=None, **kwargs):
    url = getattr(settings, "CELERY_BROKER_URL", "") or ""
    errors = []
    for part in url.split(";"):  # kombu accepts failover URLs separated by ";"
        parts = urlsplit(part.strip())
        if parts.scheme not in BROKER_SCHEMES or (parts.scheme != "memory" and not parts.hostname):
            errors.append(Error(
                _("CELERY_BROKER_URL „%(url)s“ ist keine Broker-Adresse.") % {"url": part.strip()},
                hint=_("Erwartet z. B. redis://127.0.0.1:6379/0 oder sentinel://host:26379;sentinel://host2:26379."),
                id="config.E001"))
    return errors


@register()
def check_app_settings_keys(app_configs=None, **kwargs):
    return [Warning(_("Unbekannte Einstellung %(key)s: keine App liest sie.") % {"key": key},
                    hint=_("Schreibfehler? Die bekannten Schlüssel stehen in DEFAULTS der conf.py der Apps."),
                    id="config.W001")
            for key in AppSettings.unknown_keys()]
