"""`manage.py anliegen_receive_mail < message.eml` — one mail from standard input becomes a
general request (or a message on the case it answers), for an MTA pipe or a `.forward`.

The exit code tells the MTA what to do (sysexits.h): 0 (EX_OK) taken, also a mail stored
before or dropped as an auto-reply or a loop; 65 (EX_DATAERR) refused, the reason on standard
error in German and English (the MTA bounces the mail with it); 75 (EX_TEMPFAIL) the database
or the configuration failed, the MTA keeps the mail and delivers it again later, so nothing is
lost. At most ANLIEGEN["MAIL_MAX_BYTES"] bytes are read; the rest of a larger mail is drained
and the mail refused.
"""
import logging
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from services.anliegen.conf import anliegen_setting
from services.anliegen.mail.intake import MailTemporaryError, Outcome, mail_receive

logger = logging.getLogger(__name__)

# sysexits.h
EX_OK = getattr(os, "EX_OK", 0)
EX_DATAERR = getattr(os, "EX_DATAERR", 65)
EX_TEMPFAIL = getattr(os, "EX_TEMPFAIL", 75)

_CHUNK = 1024 * 1024


def _header_block(raw: bytes) -> bytes:
    """The header of a mail (up to its first empty line): all that is needed to refuse it."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        if separator in raw:
            return raw.split(separator, 1)[0] + separator
    return raw


class Command(BaseCommand):
    help = ("Take one mail (RFC 5322) from standard input as a general request (MTA pipe). Exit codes: "
            "0 taken, 65 refused (reason on stderr), 75 temporary failure (the MTA retries).")

    def stdin(self):
        """The binary standard input (a method, so that tests can hand in bytes)."""
        return sys.stdin.buffer

    def handle(self, *args, **options):
        limit = anliegen_setting("MAIL_MAX_BYTES")
        stream = self.stdin()
        raw = stream.read(limit + 1)
        size = len(raw)
        if size > limit:
            while chunk := stream.read(_CHUNK):  # the MTA must be able to write the whole mail
                size += len(chunk)
            raw = _header_block(raw)
        try:
            result = mail_receive(raw=raw, size=size)
        except MailTemporaryError as exc:
            raise CommandError(f"temporary failure, deliver again later: {exc}", returncode=EX_TEMPFAIL) from exc
        except Exception as exc:  # a bug must not lose the mail: the MTA keeps it
            logger.exception("mail intake failed")
            raise CommandError(f"temporary failure, deliver again later: {type(exc).__name__}",
                               returncode=EX_TEMPFAIL) from exc
        if result.outcome == Outcome.REFUSED:
            german, english = result.refusal.text("de"), result.refusal.text("en")
            raise CommandError(german if german == english else f"{german} / {english}", returncode=EX_DATAERR)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{result.outcome} {result.case.reference if result.case else ''}".strip())
