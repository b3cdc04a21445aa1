"""`payment_finished(sender=Payment, payment=...)`: sent after commit when a payment reached a
final state (paid, failed, cancelled), once per change."""
from django.dispatch import Signal

__all__ = ["payment_finished"]

payment_finished = Signal()
