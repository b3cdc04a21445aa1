"""Requests by email: an address whose incoming mail becomes general requests.

Two ways in, one owner of the work (`intake.mail_receive`):

- a pipe from the MTA (Postfix `pipe`, an alias `|command` or a `.forward`):
  `manage.py anliegen_receive_mail` reads one RFC 5322 message from standard input and
  answers with an exit code of sysexits.h (0 taken, 65 refused, 75 try again later);
- a mailbox polled by beat (`tasks.anliegen_mail_fetch_task`, `imap.mailbox_fetch`): the
  unseen mails of an IMAP folder, each flagged seen (or moved) only after it was handled.

Modules: `parse` (the mail as data, no database), `threading` (our Message-IDs and which
case a reply belongs to), `intake` (the writes: a new request or a message on a case, the
acknowledgement), `imap` (the mailbox). The way Request Tracker and Zammad take mail was the
model: a pipe or a fetcher, auto-replies and loops dropped, a reference in the subject
(`[AN-2026-000001]`) or the In-Reply-To header files a reply to its case.
"""
