"""The hooks of `cases` in the portal: the back-office inbox of every declared case type
(`cases.inbox`), the citizen account's section, export and erasure (`cases.account`), and
the filings of every case for the portal's statistics (OZG monitor)."""
from datetime import timedelta

from portal import hooks

from . import account
from .inbox import CaseInboxSource

hooks.register("register_inbox_source", CaseInboxSource)
hooks.register("register_account_section", account.account_section)
hooks.register("register_account_export", account.case_account_export)
hooks.register("register_account_erase", account.case_account_erase)


@hooks.register("register_filings_sql")
def case_filings_sql() -> str:
    """Every case: filed online through the web form; merged duplicates do not count."""
    return ("SELECT c.service, c.created_at, c.closed_at, c.channel = 'web' AS online, "
            "c.merged_into_id IS NULL AS counted FROM cases_case c")


@hooks.register("register_periodic_tasks")
def cases_periodic_tasks() -> dict:
    """Open cases past their due date, escalated once to their departments (`escalation`), hourly."""
    return {"cases-escalate-overdue": {"task": "cases.tasks.cases_escalate_overdue_task",
                                       "schedule": timedelta(hours=1)}}
