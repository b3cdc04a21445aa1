"""The field-crew API in the portal: its periodic task."""
from celery.schedules import crontab

from portal import hooks


@hooks.register("register_periodic_tasks")
def mobile_api_periodic_tasks() -> dict:
    """Old Idempotency-Key answers and delta-sync log rows pruned nightly at 04:10."""
    return {"mobile-api-prune": {"task": "mobile_api.tasks.mobile_api_prune_task",
                                 "schedule": crontab(hour=4, minute=10)}}
