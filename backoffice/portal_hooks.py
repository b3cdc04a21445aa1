"""The back office in the portal: the Mängelmelder's reports in the back-office inbox
(`backoffice.inbox`; the hook `register_inbox_source`, see `portal.inbox`)."""
from portal import hooks

from .inbox import ReportInboxSource

hooks.register("register_inbox_source", ReportInboxSource)
