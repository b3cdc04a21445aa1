"""The payment provider interface and the lookup of the one in use.

    from payments.providers import PaymentProvider
    from portal import hooks

    class EPayBLProvider(PaymentProvider):
        key = "epaybl"
        label = _("ePayBL")
        def start(self, *, payment): ...   # register at the platform, return its payment page URL

    hooks.register("register_payment_provider", EPayBLProvider)

The provider reports the outcome (its notification endpoint, or the citizen coming back)
through `payments.services.payment_status_set`. `PAYMENTS["PROVIDER"]` names the provider in
use; an unknown key is a configuration error (`ImproperlyConfigured`, and the system check
`payments.E001`).
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from django.core.exceptions import ImproperlyConfigured

from portal import hooks

from .conf import payments_setting

__all__ = ["HOOK", "PaymentProvider", "payment_provider", "payment_provider_get", "payment_providers"]

HOOK = "register_payment_provider"


class PaymentProvider(ABC):
    """A way to collect a payment."""

    #: Stable identifier, stored with each payment ("test", "epaybl").
    key: str = ""
    #: The name shown to clerks (lazily translated).
    label: str = ""

    @abstractmethod
    def start(self, *, payment) -> str:
        """Begin collecting `payment` (pending); return the URL to send the citizen to."""


def payment_providers() -> dict[str, PaymentProvider]:
    """Every registered provider by key (a hook may return a class or an instance)."""
    found = {}
    for fn in hooks.get_hooks(HOOK):
        provider = fn() if callable(fn) else fn
        if isinstance(provider, PaymentProvider) and provider.key not in found:
            found[provider.key] = provider
    return found


def payment_provider_get(key: str) -> PaymentProvider:
    """The provider registered as `key`; ImproperlyConfigured if there is none."""
    provider = payment_providers().get(key)
    if provider is None:
        raise ImproperlyConfigured(f"PAYMENTS['PROVIDER']: no payment provider {key!r} is registered.")
    return provider


def payment_provider() -> PaymentProvider:
    """The provider in use (`PAYMENTS["PROVIDER"]`)."""
    return payment_provider_get(payments_setting("PROVIDER"))
