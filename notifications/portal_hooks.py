"""Notifications in the portal: their periodic task."""
from datetime import timedelta

from portal import hooks


@hooks.register("register_periodic_tasks")
def notifications_periodic_tasks() -> dict:
    """Notifications whose task was lost (broker down when queued) are queued again."""
    return {"notifications-requeue-stale": {"task": "notifications.tasks.notifications_requeue_stale",
                                            "schedule": timedelta(minutes=1)}}
