"""Payments in the portal: the in-process test provider is always registered (the setting
`PAYMENTS["PROVIDER"]` decides whether it is used)."""
from portal import hooks

from .test_provider import TestPaymentProvider

hooks.register("register_payment_provider", TestPaymentProvider)
