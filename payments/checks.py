"""System checks of payments: the configured provider is registered (payments.E001)."""
from django.core import checks

from .conf import payments_setting

__all__ = ["provider_check"]


@checks.register()
def provider_check(app_configs=None, **kwargs):
    from .providers import payment_providers

    key = payments_setting("PROVIDER")
    if key not in payment_providers():
        return [checks.Error(f"PAYMENTS['PROVIDER'] is {key!r}, but no such payment provider is registered.",
                             hint="Register a PaymentProvider with the hook register_payment_provider.",
                             id="payments.E001")]
    return []
