"""Payments of fees (Gebühren) for citizen services, behind one small provider interface.

A service creates a `Payment` (amount, purpose, where to come back) with
`payments.services.payment_create` and sends the citizen to the URL the configured provider
gives (`payments.providers.payment_provider().start(payment=...)`). The provider reports the
outcome through `payments.services.payment_status_set`; every change to a final state
(paid, failed, cancelled) is announced on commit with the signal
`payments.signals.payment_finished`, to which the service listens (e.g. to file the case once
paid). States: pending → paid | failed | cancelled; a final state never changes again, and
setting the same state twice is a no-op (idempotent, for providers that notify more than once).

Providers plug in like the portal's services: a `PaymentProvider` subclass registered with the
hook ``register_payment_provider``; the setting `PAYMENTS["PROVIDER"]` (environment
`PAYMENT_PROVIDER`) names the one in use. Shipped is the test provider (`payments.test_provider`),
a payment page in our own process where the citizen confirms or cancels; an adapter for a real
e-payment platform (ePayBL, pmPayment, …) is a new module with its own subclass, not an `if`.

No personal data is kept here: a payment knows its amount, purpose text (the service's name),
the service slug, the account that pays and the provider's reference.
"""
