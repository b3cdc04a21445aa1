"""The mailbox way in: the unseen mails of an IMAP folder, polled by beat.

`mailbox_fetch` logs in (`imaps://` with the system's certificate check; `imap://` only for a
server on the same machine), looks up the UNSEEN mails by UID and hands each to
`intake.mail_receive`. Reading uses BODY.PEEK, which leaves the mail unseen: only after the
mail was handled (taken, stored before, dropped or refused) is it flagged \\Seen, or moved to
MAIL_IMAP_DONE_FOLDER (MOVE, RFC 6851; else COPY, \\Deleted and EXPUNGE). A mail whose
handling failed (MailTemporaryError, or any error) stays unseen for the next run; the run
stops there, since the next mail would most likely fail the same way. A mail over
MAIL_MAX_BYTES is not downloaded: its header (BODY.PEEK[HEADER]) is enough to refuse it.
If the process dies between the commit and the flag, the next run finds the mail's key
(`InboundMail`) and only flags it. Folder names are ASCII (no modified UTF-7 here).
"""
import imaplib
import logging
import re
import ssl
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from ..conf import anliegen_setting
from .intake import mail_receive

__all__ = ["ImapMailbox", "MailboxError", "imap_mailbox_parse", "mailbox_fetch"]

logger = logging.getLogger(__name__)

_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """The mailbox could not be read (connection, login, folder): nothing was changed there."""


@dataclass(frozen=True)
class ImapMailbox:
    """Where the mails are: host, port, TLS or not, login and folder."""

    host: str
    port: int
    tls: bool
    user: str
    password: str
    folder: str

    def __repr__(self) -> str:  # never the password in a log
        return f"ImapMailbox({'imaps' if self.tls else 'imap'}://{self.user}@{self.host}:{self.port}/{self.folder})"


def imap_mailbox_parse(url: str) -> ImapMailbox:
    """`imaps://user:password@host[:port]/FOLDER` (user and password percent-encoded; folder
    INBOX if none); ImproperlyConfigured for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ImproperlyConfigured("ANLIEGEN['MAIL_IMAP_URL'] must look like imaps://user:password@host/INBOX.")
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
    except ValueError as exc:
        raise ImproperlyConfigured("ANLIEGEN['MAIL_IMAP_URL']: the port is no number.") from exc
    return ImapMailbox(host=parts.hostname, port=port, tls=parts.scheme == "imaps", user=unquote(parts.username),
                       password=unquote(parts.password or ""), folder=unquote(parts.path.lstrip("/")) or "INBOX")


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ok(response, what: str):
    kind, data = response
    if kind != "OK":
        raise MailboxError(f"IMAP {what}: {kind} {data!r}")
    return data


def _connect(mailbox: ImapMailbox) -> imaplib.IMAP4:
    timeout = anliegen_setting("MAIL_IMAP_TIMEOUT")
    if mailbox.tls:
        return imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(),
                                 timeout=timeout)
    return imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)


def _literal(data) -> bytes:
    """The literal of a FETCH answer ([(b'1 (UID … {n}', b'…'), b')'])."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    raise MailboxError(f"IMAP FETCH: no message data in {data!r:.200}")


def _size(data) -> int:
    for item in data:
        head = item[0] if isinstance(item, tuple) else item
        match = _SIZE.search(head or b"")
        if match:
            return int(match.group(1))
    raise MailboxError("IMAP FETCH: no RFC822.SIZE")


def _done(connection: imaplib.IMAP4, uid: bytes, *, folder: str, can_move: bool) -> None:
    """Flag a handled mail seen, or move it to `folder`."""
    if not folder:
        _ok(connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)"), "STORE")
    elif can_move:
        _ok(connection.uid("MOVE", uid, _quoted(folder)), "MOVE")
    else:
        _ok(connection.uid("COPY", uid, _quoted(folder)), "COPY")
        _ok(connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen \Deleted)"), "STORE")
        _ok(connection.expunge(), "EXPUNGE")


def _take(connection: imaplib.IMAP4, uid: bytes) -> str:
    """Read one mail (header only if too large) and hand it to the intake; its outcome."""
    limit = anliegen_setting("MAIL_MAX_BYTES")
    head = _ok(connection.uid("FETCH", uid, "(RFC822.SIZE BODY.PEEK[HEADER])"), "FETCH")
    size = _size(head)
    raw = _literal(head) if size > limit else _literal(_ok(connection.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH"))
    return mail_receive(raw=raw, size=size, tell_sender=True).outcome


def mailbox_fetch(*, url: str | None = None) -> Counter:
    """Handle up to MAIL_IMAP_BATCH unseen mails of the mailbox (`url`, default the setting);
    returns the count per outcome ("failed": left for the next run). MailboxError if the
    mailbox cannot be read; ImproperlyConfigured for a malformed URL."""
    mailbox = imap_mailbox_parse(url or anliegen_setting("MAIL_IMAP_URL"))
    done_folder = anliegen_setting("MAIL_IMAP_DONE_FOLDER")
    outcomes: Counter = Counter()
    try:
        connection = _connect(mailbox)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"IMAP connection to {mailbox!r}: {exc}") from exc
    try:
        _ok(connection.login(mailbox.user, mailbox.password), "LOGIN")
        can_move = "MOVE" in connection.capabilities
        if done_folder:
            connection.create(_quoted(done_folder))  # "already exists" is fine
        _ok(connection.select(_quoted(mailbox.folder)), "SELECT")
        uids = _ok(connection.uid("SEARCH", None, "UNSEEN"), "SEARCH")[0].split()
        for uid in uids[:anliegen_setting("MAIL_IMAP_BATCH")]:
            try:
                outcome = _take(connection, uid)
            except Exception:  # the mail stays unseen: nothing is lost
                logger.exception("mail intake: IMAP mail %s left for the next run", uid.decode())
                outcomes["failed"] += 1
                break
            _done(connection, uid, folder=done_folder, can_move=can_move)
            outcomes[outcome] += 1
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"IMAP {mailbox!r}: {exc}") from exc
    finally:
        try:
            connection.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return outcomes
