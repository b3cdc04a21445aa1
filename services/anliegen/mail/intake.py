"""Writes of the mail intake: one mail becomes a general request, or a citizen's message on
the case it answers. The one owner of this work for the MTA pipe and the mailbox fetch.

`mail_receive` takes one mail in one transaction: the mail's key (`InboundMail`, a hash of
its Message-ID, also the case's submission key) is written first, so a mail delivered twice
stores one case or one message, also when both deliveries run at the same time. Then:

- a machine's mail or a loop (`parse`): dropped, nothing written, nothing sent;
- too large, no valid sender, neither subject nor text: refused, nothing written; with
  `tell_sender` (the mailbox) the sender is told why (the pipe's MTA bounces it instead);
- a reply to a case (`replies.case_referenced`) from that case's address, while the case is
  open: a message from the citizen on it (the department is told by `cases.services`);
- anything else: a new request (channel "email", topic `MAIL_TOPIC`, the topic rules route on
  subject and text) and an acknowledgement with the reference and the tracking link, whose
  Message-ID and subject bring a reply back to the case. A reply from another address or to
  a closed case becomes a new request (linked to a closed one), with an internal note.

Attachments go through `cases.attachments` one by one: those refused (type, size, active
content, too many) are named in an internal note and in the mail to the sender; the rest is
stored. Database or configuration trouble raises `MailTemporaryError`: the caller keeps the
mail for a later try.
"""
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.attachments import attachment_validate
from cases.conf import cases_setting
from cases.errors import CaseError, TransitionNotAllowed
from cases.models import Case, CaseMessage
from cases.notify import tracking_url
from cases.services import case_link_add, case_message_add, case_note_add
from notifications.models import Notification
from notifications.services import notification_queue

from ..conf import anliegen_setting
from ..models import InboundMail
from ..routing import topic_choices
from ..services import anliegen_file
from .parse import IncomingMail, MailAttachment, mail_parse
from .replies import case_message_id, case_referenced, reply_text

__all__ = ["MailResult", "MailTemporaryError", "Outcome", "Refusal", "mail_receive"]

logger = logging.getLogger(__name__)

# The longest description `cases.services.case_create` takes (characters), and the marker of a cut.
_DESCRIPTION_MAX = 20000
_MESSAGE_MAX = 10000
_CUT = "\n[…]"


class Outcome:
    """What became of a mail."""

    CASE = "case"
    MESSAGE = "message"
    DUPLICATE = "duplicate"
    DROPPED = "dropped"
    REFUSED = "refused"


class MailTemporaryError(Exception):
    """Not the mail's fault (database unreachable, configuration): keep it and try again later."""


@dataclass(frozen=True)
class Refusal:
    """Why a mail is refused, renderable in either language (`text`)."""

    template: str
    params: dict = field(default_factory=dict)

    def text(self, language: str | None = None) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            params = {k: filesizeformat(v) if k in ("size", "limit") else v for k, v in self.params.items()}
            return str(self.template) % params if params else str(self.template)


_TOO_LARGE = gettext_lazy("Die E-Mail ist zu groß (%(size)s, erlaubt sind %(limit)s).")
_NO_SENDER = gettext_lazy("Die E-Mail hat keine gültige Absenderadresse.")
_EMPTY = gettext_lazy("Die E-Mail hat weder Betreff noch Text. Bitte beschreiben Sie Ihr Anliegen in der E-Mail.")


@dataclass(frozen=True)
class MailResult:
    """The outcome, the case it concerns (new, answered or the one stored before) and, for a
    refused or dropped mail, why."""

    outcome: str
    case: Case | None = None
    refusal: Refusal | None = None
    reason: str = ""


def _refusal(mail: IncomingMail) -> Refusal | None:
    limit = anliegen_setting("MAIL_MAX_BYTES")
    if mail.size > limit:
        return Refusal(_TOO_LARGE, {"size": mail.size, "limit": limit})
    if not mail.sender_email:
        return Refusal(_NO_SENDER)
    if not mail.text and not mail.subject:
        return Refusal(_EMPTY)
    return None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - len(_CUT)] + _CUT


def _attachments_check(attachments: tuple[MailAttachment, ...], *, language: str) -> tuple[list, list[tuple]]:
    """(uploads taken, [(file name, why refused)]): each checked by `cases.attachments`, at
    most ATTACHMENT_MAX_PER_UPLOAD taken; reasons in `language`."""
    limit = cases_setting("ATTACHMENT_MAX_PER_UPLOAD")
    taken, refused = [], []
    with translation.override(language):
        for attachment in attachments:
            upload = attachment.as_upload()
            try:
                attachment_validate(upload=upload)
            except CaseError as exc:
                refused.append((attachment.name, exc.message))
                continue
            if len(taken) >= limit:
                refused.append((attachment.name, _("Höchstens %(n)s Dateien auf einmal.") % {"n": limit}))
                continue
            taken.append(upload)
    return taken, refused


def _refused_lines(refused: list[tuple]) -> list[str]:
    return [f"- {name}: {why}" for name, why in refused]


def _email_headers(case: Case, mail: IncomingMail) -> dict:
    """Our Message-ID (a reply finds the case), threading to the citizen's mail, Reply-To the
    intake address (notifications.senders sets them)."""
    headers = {"Message-ID": case_message_id(case)}
    if mail.message_id:
        headers["In-Reply-To"] = headers["References"] = f"<{mail.message_id}>"
    if anliegen_setting("MAIL_ADDRESS"):
        headers["Reply-To"] = anliegen_setting("MAIL_ADDRESS")
    return headers


def _notify_received(case: Case, mail: IncomingMail, refused: list[tuple]) -> Notification:
    """The acknowledgement: reference, tracking link, the attachments not taken."""
    with translation.override(case.language):
        if mail.subject:
            subject = _("[%(ref)s] Ihr Anliegen ist eingegangen: %(subject)s") % {
                "ref": case.reference, "subject": mail.subject}
        else:
            subject = _("[%(ref)s] Ihr Anliegen ist eingegangen") % {"ref": case.reference}
        lines = [_("Guten Tag,"), "",
                 _("vielen Dank für Ihre E-Mail. Wir haben Ihr Anliegen als Vorgang %(ref)s erfasst und an die "
                   "zuständige Stelle weitergegeben.") % {"ref": case.reference}, "",
                 _("Den Stand Ihres Anliegens sehen Sie hier: %(url)s") % {"url": tracking_url(case)}, "",
                 _("Wenn Sie etwas ergänzen möchten, antworten Sie auf diese E-Mail: Ihre Antwort wird dem Vorgang "
                   "zugeordnet.")]
        if refused:
            lines += ["", _("Diese Anhänge konnten wir nicht übernehmen:"), *_refused_lines(refused),
                      _("Bitte senden Sie Dateien als PDF, JPEG oder PNG.")]
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=mail.sender_email,
                              event="anliegen.mail_received", object_id=str(case.pk), subject=subject[:300],
                              body="\n".join(lines), payload={"email_headers": _email_headers(case, mail)})


def _notify_attachments_refused(case: Case, mail: IncomingMail, refused: list[tuple]) -> Notification:
    """A reply was added to the case, but not all of its attachments."""
    with translation.override(case.language):
        subject = _("[%(ref)s] Anhänge nicht übernommen") % {"ref": case.reference}
        lines = [_("Guten Tag,"), "",
                 _("Ihre Nachricht zum Vorgang %(ref)s ist eingegangen. Diese Anhänge konnten wir nicht "
                   "übernehmen:") % {"ref": case.reference}, *_refused_lines(refused),
                 _("Bitte senden Sie Dateien als PDF, JPEG oder PNG.")]
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=mail.sender_email,
                              event="anliegen.mail_attachments_refused", object_id=str(case.pk),
                              subject=subject, body="\n".join(lines),
                              payload={"email_headers": _email_headers(case, mail)})


def _notify_refused(mail: IncomingMail, refusal: Refusal) -> Notification:
    """The sender of a refused mail (mailbox only) is told why, in their language."""
    with translation.override(mail.language):
        subject = _("Ihre E-Mail konnte nicht angenommen werden")
        body = "\n".join([_("Guten Tag,"), "",
                          _("Ihre E-Mail „%(subject)s“ konnte nicht als Anliegen erfasst werden:")
                          % {"subject": mail.subject[:200] or _("(ohne Betreff)")}, refusal.text(mail.language), "",
                          _("Sie können Ihr Anliegen auch online senden: %(url)s")
                          % {"url": f"{settings.SITE_URL}/anliegen/"}])
    headers = {"In-Reply-To": f"<{mail.message_id}>", "References": f"<{mail.message_id}>"} if mail.message_id else {}
    return notification_queue(channel=Notification.Channel.EMAIL, recipient=mail.sender_email,
                              event="anliegen.mail_refused", subject=subject, body=body,
                              payload={"email_headers": headers})


def _sender_matches(case: Case, sender: str) -> bool:
    """The reply comes from the case's address (its contact, else its account's)."""
    known = case.contact_email or getattr(case.owner, "email", "") or ""
    return bool(known) and known.strip().lower() == sender.strip().lower()


def _internal_note(case: Case, lines: list[str]) -> None:
    if lines:
        case_note_add(case=case, note="\n".join(lines))


def _message_add(mail: IncomingMail, case: Case) -> Case | None:
    """The reply as the citizen's message on `case`; None if the case takes none (closed)."""
    taken, refused = _attachments_check(mail.attachments, language=settings.LANGUAGE_CODE)
    try:
        case_message_add(case=case, direction=CaseMessage.Direction.FROM_CITIZEN, attachments=taken,
                         body=_cut(reply_text(mail.text) or mail.subject, _MESSAGE_MAX))
    except TransitionNotAllowed:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        _internal_note(case, [_("Per E-Mail nicht übernommene Anhänge:"), *_refused_lines(refused)] if refused else [])
    if refused:
        if case.language != settings.LANGUAGE_CODE:
            refused = _attachments_check(mail.attachments, language=case.language)[1]
        _notify_attachments_refused(case, mail, refused)
    return case


def _case_file(mail: IncomingMail, *, answered: Case | None) -> tuple[Case, bool]:
    """A new request from the mail; `answered` is a case the mail names that it could not be
    added to (another sender, or closed): noted and, if closed, linked."""
    topic = anliegen_setting("MAIL_TOPIC")
    if topic not in dict(topic_choices()):
        raise ImproperlyConfigured(f"ANLIEGEN['MAIL_TOPIC']: {topic!r} is no topic of the form.")
    taken, refused = _attachments_check(mail.attachments, language=settings.LANGUAGE_CODE)
    case, created = anliegen_file(
        topic=topic, title=mail.subject[:200],
        description=_cut(mail.text or mail.subject, _DESCRIPTION_MAX), contact_name=mail.sender_name,
        contact_email=mail.sender_email, channel=Case.Channel.EMAIL, language=mail.language,
        submission_key=mail.key, attachments=taken)
    if not created:
        return case, False
    notes = []
    with translation.override(settings.LANGUAGE_CODE):
        if answered is not None and _sender_matches(answered, mail.sender_email):
            notes.append(_("Antwort auf den abgeschlossenen Vorgang %(ref)s, als neues Anliegen erfasst.")
                         % {"ref": answered.reference})
            case_link_add(case=case, other=answered)
        elif answered is not None:
            notes.append(_("Die E-Mail nennt den Vorgang %(ref)s, kommt aber nicht von dessen E-Mail-Adresse: "
                           "als neues Anliegen erfasst.") % {"ref": answered.reference})
        if refused:
            notes += [_("Per E-Mail nicht übernommene Anhänge:"), *_refused_lines(refused)]
    _internal_note(case, notes)
    if refused and mail.language != settings.LANGUAGE_CODE:
        refused = _attachments_check(mail.attachments, language=mail.language)[1]
    _notify_received(case, mail, refused)
    return case, True


def _take(mail: IncomingMail) -> MailResult:
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = InboundMail.objects.create(key=mail.key, outcome=InboundMail.Outcome.CASE)
        except IntegrityError:  # delivered before (or right now by another process, committed first)
            earlier = InboundMail.objects.select_related("case").filter(key=mail.key).first()
            return MailResult(Outcome.DUPLICATE, case=earlier.case if earlier else None)
        answered = case_referenced(subject=mail.subject, references=mail.references)
        if answered is not None and _sender_matches(answered, mail.sender_email):
            case = _message_add(mail, answered)
            if case is not None:
                record.outcome, record.case = InboundMail.Outcome.MESSAGE, case
                record.save(update_fields=["outcome", "case"])
                return MailResult(Outcome.MESSAGE, case=case)
        case, created = _case_file(mail, answered=answered)
        record.case = case
        record.save(update_fields=["case"])
    return MailResult(Outcome.CASE if created else Outcome.DUPLICATE, case=case)


def mail_receive(*, raw: bytes, size: int | None = None, tell_sender: bool = False) -> MailResult:
    """Take in one mail (its bytes; only its header when `size`, the whole mail's size, is over
    the limit). Returns the outcome; raises MailTemporaryError when the mail must be kept."""
    try:
        mail = mail_parse(raw, size=size)
        if mail.automatic:
            logger.info("mail intake: dropped a mail sent by a machine or in a loop (%s)", mail.automatic)
            return MailResult(Outcome.DROPPED, reason=mail.automatic)
        refusal = _refusal(mail)
        if refusal is None:
            try:
                result = _take(mail)
            except CaseError as exc:
                refusal = Refusal(exc.message)
            else:
                logger.info("mail intake: %s %s", result.outcome, result.case.reference if result.case else "")
                return result
        if tell_sender and mail.sender_email:
            with transaction.atomic():
                _notify_refused(mail, refusal)
        logger.info("mail intake: refused a mail (%s)", refusal.text())
        return MailResult(Outcome.REFUSED, refusal=refusal, reason=refusal.text())
    except (DatabaseError, ImproperlyConfigured) as exc:
        raise MailTemporaryError(f"{type(exc).__name__}: {exc}") from exc
