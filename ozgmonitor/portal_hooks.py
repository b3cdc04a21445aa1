"""The OZG monitor in the portal: its periodic task."""
from celery.schedules import crontab

from portal import hooks


@hooks.register("register_periodic_tasks")
def ozgmonitor_periodic_tasks() -> dict:
    """Plug-in services synced into the monitor and its open dataset rebuilt, nightly at 03:30."""
    return {"ozgmonitor-daily": {"task": "ozgmonitor.tasks.ozgmonitor_daily_task",
                                 "schedule": crontab(hour=3, minute=30)}}
