"""Which case a mail answers, and the Message-IDs of our own mails that make this work.

Our acknowledgement carries `Message-ID: <case.AN-2026-000001.<signature>.<nonce>@<our domain>>` and
the reference in its subject (`[AN-2026-000001] …`). A reply names the case in one of three
ways, read in this order: a Message-ID of ours in In-Reply-To or References (the signature,
an HMAC of the reference with SECRET_KEY, makes sure it is ours), a reference in square
brackets anywhere in the subject (Request Tracker's and Zammad's `[Ticket#…]` convention),
or a reference anywhere in a subject that starts as a reply ("Re:", "AW:", …) — the case
mails of `cases.notify` name the reference without brackets. Whether the sender may write
to that case is `intake`'s decision, not this module's.
"""
import re

from django.conf import settings
from django.utils.crypto import get_random_string, salted_hmac

from cases.models import Case

from ..conf import anliegen_setting

__all__ = ["case_message_id", "case_referenced", "reply_text"]

_SALT = "services.anliegen.mail.message-id"
_REFERENCE = r"[A-Z]{1,5}-\d{4}-\d{6}"
_OUR_ID = re.compile(rf"^case\.({_REFERENCE})\.([0-9a-f]{{16}})\.[0-9a-z]{{1,32}}@")
_BRACKETED = re.compile(rf"\[({_REFERENCE})\]")
_BARE = re.compile(rf"\b({_REFERENCE})\b")
# Reply prefixes of common mail clients (English, German, Scandinavian, Dutch, French).
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|antw|sv|vs|ynt|réf|ref)\s*(\[\d+\])?\s*:", re.IGNORECASE)


def _signature(reference: str) -> str:
    return salted_hmac(_SALT, reference).hexdigest()[:16]  # 64 bits: a forged one is not guessed


def _domain() -> str:
    address = anliegen_setting("MAIL_ADDRESS") or settings.DEFAULT_FROM_EMAIL or ""
    domain = address.rsplit("@", 1)[-1].strip(" >") if "@" in address else ""
    return domain or "stadtmelder.invalid"


def case_message_id(case: Case) -> str:
    """A new Message-ID (with angle brackets) for a mail of ours about `case`: unique per mail
    (RFC 5322 3.6.4), recognised by `case_referenced` in a reply; short enough to stay on the
    header's line for most domains (a folded one is read the same)."""
    return f"<case.{case.reference}.{_signature(case.reference)}.{get_random_string(8).lower()}@{_domain()}>"


def _reference_of(message_id: str) -> str:
    match = _OUR_ID.match(message_id)
    if match and match.group(2) == _signature(match.group(1)):
        return match.group(1)
    return ""


def case_referenced(*, subject: str, references: tuple[str, ...]) -> Case | None:
    """The case a mail answers (see the module docstring), or None."""
    candidates = [ref for ref in (_reference_of(i) for i in references) if ref]
    candidates += _BRACKETED.findall(subject)
    if _REPLY_PREFIX.match(subject):
        candidates += _BARE.findall(subject)
    for reference in candidates:
        case = Case.objects.select_related("department", "owner").filter(reference=reference).first()
        if case is not None:
            return case
    return None


# The line a mail client writes above the quoted mail ("Am … schrieb …:", "On … wrote:"), or
# the separator of Outlook's quoted original.
_ATTRIBUTION = re.compile(r"^(am|on|le|el|op)\s.{0,300}(schrieb|wrote|a écrit|escribió|schreef)\s?.{0,120}:\s*$"
                          r"|^-{2,}\s*(original message|ursprüngliche nachricht|original-nachricht)\s*-{2,}\s*$"
                          r"|^_{10,}\s*$", re.IGNORECASE)


def reply_text(text: str) -> str:
    """The new text of a reply: from the first attribution line (or Outlook separator) on,
    and quoted lines ("> …") at its end, are cut. The whole text if nothing would remain."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if _ATTRIBUTION.match(line.strip()):
            lines = lines[:n]
            break
    while lines and (lines[-1].lstrip().startswith(">") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip() or text
