"""System checks of what services register (`manage.py check`, run by runserver and deploys),
so that a broken registration fails at start-up rather than as a 500 on the catalogue.

portal.E001 a `register_service` hook returned no Service; portal.E002 slug not `[a-z0-9-]`;
portal.E003 slug used twice; portal.E004 unknown trust level; portal.E005 no Lebenslage or a
bad Lebenslage slug; portal.E006 `url_name` does not reverse; portal.E007 LeiKa key not 14
digits; portal.E008 a `register_navigation_item` hook returned something else than a
NavigationItem or None, or its `url_name` does not reverse; portal.E009 `PORTAL_LEIKA_KEYS`
unreadable.
"""
import re

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from . import hooks
from .catalogue import NavigationItem, Service, TrustLevel
from .conf import LEIKA_KEY_RE, leika_key_overrides

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _reverses(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True


def _service_errors(service: Service, seen: set[str], overrides: dict[str, str]) -> list[checks.Error]:
    where = f"register_service: {service.slug!r}"
    errors = []
    if not SLUG_RE.match(service.slug):
        errors.append(checks.Error(f"{where}: slug must be lower-case letters, digits and '-'.", id="portal.E002"))
    if service.slug in seen:
        errors.append(checks.Error(f"{where}: slug registered twice.", id="portal.E003"))
    seen.add(service.slug)
    if service.trust_level not in TrustLevel.values:
        errors.append(checks.Error(f"{where}: unknown trust level {service.trust_level!r}.",
                                   hint=f"One of {TrustLevel.values}.", id="portal.E004"))
    if not service.lebenslagen or any(not SLUG_RE.match(lage.slug) for lage in service.lebenslagen):
        errors.append(checks.Error(f"{where}: needs at least one Lebenslage with a slug of [a-z0-9-].",
                                   id="portal.E005"))
    if not _reverses(service.url_name):
        errors.append(checks.Error(f"{where}: url_name {service.url_name!r} does not reverse.", id="portal.E006"))
    leika_key = overrides.get(service.slug, service.leika_key)
    if leika_key and not LEIKA_KEY_RE.match(leika_key):
        errors.append(checks.Error(f"{where}: LeiKa key {leika_key!r} is not 14 digits.", id="portal.E007"))
    return errors


@checks.register()
def check_registered_services(app_configs=None, **kwargs) -> list[checks.Error]:
    """Every registered Service and NavigationItem is well-formed (see the module docstring)."""
    try:
        overrides = leika_key_overrides()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="portal.E009")]
    errors: list[checks.Error] = []
    seen: set[str] = set()
    for hook in hooks.get_hooks("register_service"):
        service = hook()
        if not isinstance(service, Service):
            errors.append(checks.Error(f"register_service hook {hook.__module__}.{hook.__qualname__} "
                                       f"returned {type(service).__name__}, not a Service.", id="portal.E001"))
            continue
        errors += _service_errors(service, seen, overrides)
    for hook in hooks.get_hooks("register_navigation_item"):
        item = hook()
        if item is None:
            continue
        if not isinstance(item, NavigationItem) or not _reverses(item.url_name):
            errors.append(checks.Error(f"register_navigation_item hook {hook.__module__}.{hook.__qualname__} "
                                       "must return None or a NavigationItem whose url_name reverses.",
                                       id="portal.E008"))
    return errors
