"""Payments in the portal: the in-process test provider is always registered (the setting
`PAYMENTS["PROVIDER"]` decides whether it is used)."""
from datetime import timedelta

from portal import hooks

from .test_provider import TestPaymentProvider

hooks.register("register_payment_provider", TestPaymentProvider)


@hooks.register("register_periodic_tasks")
def payments_periodic_tasks() -> dict:
    """Payments left pending (the citizen left the payment page), cancelled hourly after
    PAYMENTS["PENDING_EXPIRY_HOURS"]; the services drop what waited for them."""
    return {"payments-expire": {"task": "payments.tasks.payments_expire_task", "schedule": timedelta(hours=1)}}
