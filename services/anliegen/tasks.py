"""Celery tasks of the general request: the mailbox fetch (beat: "anliegen-mail-fetch")."""
import logging

from celery import shared_task

__all__ = ["anliegen_mail_fetch_task"]

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def anliegen_mail_fetch_task() -> dict:
    """Take the unseen mails of ANLIEGEN["MAIL_IMAP_URL"] as requests (nothing while it is
    empty); returns the count per outcome. A mailbox that cannot be read is logged and tried
    again on the next beat: its mails stay where they are."""
    from .conf import anliegen_setting
    from .mail.imap import MailboxError, mailbox_fetch

    if not anliegen_setting("MAIL_IMAP_URL"):
        return {}
    try:
        return dict(mailbox_fetch())
    except MailboxError as exc:
        logger.warning("mail intake: %s", exc)
        return {"mailbox_error": 1}
