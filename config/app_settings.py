"""One reader for the apps' namespaced settings (the shape of DRF's `api_settings`).

Every app keeps its settings in one dict of `django.conf.settings` (`STADTMELDER`,
`OPENDATA`, `MOBILE_API`, `GEODATA`, `OPEN311`, …) and its defaults in ONE place, the
`DEFAULTS` of its `conf.py`, which builds its reader here:

    open311_setting = AppSettings("OPEN311", DEFAULTS)
    open311_setting("CHANGESET")

`config/settings.py` fills those dicts only with what the environment sets
(`env_overrides`), so a default is never written twice. Asking for a name without a default
is a programming error and raises `ImproperlyConfigured` at once, and so does a configured
key no app knows (`AppSettings.unknown_keys`, checked by `config.checks`). Several apps may
share a namespace (`STADTMELDER`: reporter and notifications) as long as each key has one
owner.
"""
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .env import env

__all__ = ["AppSettings", "env_overrides"]

_readers: list["AppSettings"] = []


class AppSettings:
    """The reader of `settings.<namespace>` with `defaults` (a dict owned by one app)."""

    def __init__(self, namespace: str, defaults: dict):
        self.namespace = namespace
        self.defaults = defaults
        _readers.append(self)

    def __call__(self, name: str):
        """The configured value of `name`, else its default."""
        if name not in self.defaults:
            raise ImproperlyConfigured(f"{self.namespace}[{name!r}] has no default: unknown setting.")
        return (getattr(settings, self.namespace, None) or {}).get(name, self.defaults[name])

    def __repr__(self) -> str:
        return f"AppSettings({self.namespace!r}, {len(self.defaults)} defaults)"

    @staticmethod
    def unknown_keys() -> list[str]:
        """Configured keys of the namespaces that no reader has a default for ("NS[KEY]").

        Every `conf.py` of the installed apps (and of their subpackages) is imported first, so
        that each reader is known."""
        from importlib import import_module
        from pathlib import Path

        from django.apps import apps

        for app in apps.get_app_configs():
            root = Path(app.path)
            for conf in root.glob("**/conf.py"):
                if ".venv" not in conf.parts and "migrations" not in conf.parts:
                    import_module(".".join([app.name, *conf.relative_to(root).with_suffix("").parts]))
        known: dict[str, set[str]] = {}
        for reader in _readers:
            known.setdefault(reader.namespace, set()).update(reader.defaults)
        return [f"{namespace}[{key!r}]" for namespace, keys in sorted(known.items())
                for key in sorted(getattr(settings, namespace, None) or {}) if key not in keys]


def env_overrides(spec: dict[str, tuple[str, str]]) -> dict:
    """{setting key: value} for the environment variables of `spec` that are set.

    `spec` maps a setting key to (environment variable, django-environ cast: "str", "int",
    "float", "bool", "list", "json"); variables that are not set are left out, so the app's
    default applies. A malformed value raises at start-up (django-environ's error)."""
    return {key: getattr(env, cast)(variable) for key, (variable, cast) in spec.items() if variable in os.environ}
