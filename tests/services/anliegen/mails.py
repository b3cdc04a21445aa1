"""Mails as a citizen's client sends them (RFC 5322 bytes), built with the standard library."""
from email import policy
from email.message import EmailMessage

__all__ = ["build_mail"]


def build_mail(*, subject: str | None = "Laterne defekt", body: str | None = "Die Laterne vor Haus 5 ist kaputt.",
               sender: str | None = "Erika Muster <erika@example.org>", message_id: str | None = "<m1@example.org>",
               html: str | None = None, attachments=(), headers: dict | None = None,
               to: str = "anliegen@stadt.example") -> bytes:
    """A mail with a text body (and/or an HTML alternative) and attachments ((name, bytes, type))."""
    message = EmailMessage(policy=policy.SMTP)
    if sender is not None:
        message["From"] = sender
    message["To"] = to
    if subject is not None:
        message["Subject"] = subject
    message["Date"] = "Mon, 07 Dec 2026 10:00:00 +0100"
    if message_id is not None:
        message["Message-ID"] = message_id
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, content, content_type in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    for name, value in (headers or {}).items():  # after the content: set_content drops Content-* headers
        for item in value if isinstance(value, list) else [value]:
            message[name] = item
    return message.as_bytes()
