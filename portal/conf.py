"""Settings of the portal core, read once per call so that tests can override them.

`PORTAL_LEIKA_KEYS`: the LeiKa key (the 14-digit key of the federal service catalogue,
Leistungskatalog) per service slug, where a city's key differs from or is missing in the
service's registration. Either a dict in the Django settings, or the environment variable of
the same name as `slug=key` pairs separated by commas, e.g.
`PORTAL_LEIKA_KEYS="anliegen=99000000000000,maengelmelder="` (an empty key removes one).
The Django setting wins over the environment.
"""
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env

__all__ = ["LEIKA_KEY_RE", "leika_key_overrides"]

#: A LeiKa key: 14 digits (e.g. 99102013000000).
LEIKA_KEY_RE = re.compile(r"^[0-9]{14}$")


def _parse(text: str) -> dict[str, str]:
    pairs = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        slug, sep, key = part.partition("=")
        if not sep or not slug.strip():
            raise ImproperlyConfigured(
                f"PORTAL_LEIKA_KEYS: expected slug=key pairs separated by commas, got {part!r}")
        pairs[slug.strip()] = key.strip()
    return pairs


def leika_key_overrides() -> dict[str, str]:
    """{service slug: LeiKa key} from the setting or the environment (empty: no overrides)."""
    configured = getattr(settings, "PORTAL_LEIKA_KEYS", None)
    if configured is None:
        return _parse(env.str("PORTAL_LEIKA_KEYS", default=""))
    if not isinstance(configured, dict):
        raise ImproperlyConfigured("PORTAL_LEIKA_KEYS must be a dict {service slug: LeiKa key}.")
    return {str(slug): str(key) for slug, key in configured.items()}
