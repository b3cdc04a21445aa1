"""The hooks of `cases` in the portal: the back-office inbox of every declared case type
(`cases.inbox`), and the citizen account's section, export and erasure (`cases.account`)."""
from portal import hooks

from . import account
from .inbox import CaseInboxSource

hooks.register("register_inbox_source", CaseInboxSource)
hooks.register("register_account_section", account.account_section)
hooks.register("register_account_export", account.case_account_export)
hooks.register("register_account_erase", account.case_account_erase)
