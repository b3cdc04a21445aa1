"""The namespaced settings of payments (`settings.PAYMENTS`) with defaults.

`PROVIDER`: the key of the payment provider in use (a `PaymentProvider.key` registered with the
hook ``register_payment_provider``); "test" is the in-process test provider, never a real
payment. `CURRENCY`: ISO 4217 code of every amount (amounts are integer cents).
`PENDING_EXPIRY_HOURS`: a payment still pending after this many hours is cancelled (the
citizen left the payment page), so that the services drop what waited for it.
"""
from config.app_settings import AppSettings

__all__ = ["payments_setting"]

DEFAULTS = {
    "PROVIDER": "test",
    "CURRENCY": "EUR",
    "PENDING_EXPIRY_HOURS": 24,
}

payments_setting = AppSettings("PAYMENTS", DEFAULTS)
