"""Celery tasks of payments: the hourly expiry of abandoned payments (beat schedule
"payments-expire" in config/settings.py)."""
from celery import shared_task

from .services import payments_expire

__all__ = ["payments_expire_task"]


@shared_task(name="payments.tasks.payments_expire_task")
def payments_expire_task() -> int:
    """Cancel payments pending longer than PAYMENTS["PENDING_EXPIRY_HOURS"]."""
    return payments_expire()
