"""The hooks of `cases` in the portal."""
from portal import hooks

from .inbox import CaseInboxSource

# The back-office inbox: the cases of every declared case type (`cases.inbox`).
hooks.register("register_inbox_source", CaseInboxSource)
