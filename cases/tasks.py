"""Celery tasks of cases: the hourly SLA escalation (beat: "cases-escalate-overdue")."""
from celery import shared_task

__all__ = ["cases_escalate_overdue_task"]


@shared_task
def cases_escalate_overdue_task() -> int:
    """Escalate open cases past their due date, once each (see `cases.escalation`)."""
    from .escalation import cases_escalate_overdue

    return cases_escalate_overdue()
