"""Checking case attachments in the request: size, type, no active content.

Allowed are PDF, JPEG and PNG, recognised by their content (never the client's file name or
Content-Type). JPEG and PNG go through the same check as report photos
(`reporter.photos.photo_validate`: pixel cap, integrity); a PDF is refused if it carries
active content — JavaScript, automatic actions, program launches, embedded files, rich media,
XFA, also inside compressed object streams — which PDF viewers may execute (`config.pdf`, the
one check of every upload path). SVG, HTML and every other type are refused (415). Nothing
is written here: `cases.services` stores the files only after every upload of a request
passed.
"""
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.pdf import pdf_active_content
from reporter.photos import PhotoError, PhotoNotAnImage, PhotoTooLarge, photo_validate

from .conf import cases_setting
from .errors import AttachmentRefused, AttachmentTooLarge, AttachmentUnsupported, CaseInputError

__all__ = ["AttachmentInfo", "attachment_validate", "attachments_validate"]

_PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class AttachmentInfo:
    """What `attachment_validate` learnt: the sniffed MIME type, size in bytes, the client's
    file name (shortened, for display only)."""

    upload: object
    content_type: str
    size: int
    original_name: str


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    return size


def _pdf_check(upload) -> None:
    upload.seek(0)
    if pdf_active_content(upload.read()) is not None:
        raise AttachmentRefused(_("PDF-Dateien mit JavaScript oder automatischen Aktionen sind nicht erlaubt."),
                                field="attachments")


def attachment_validate(*, upload) -> AttachmentInfo:
    """Check one upload; raises AttachmentTooLarge (413), AttachmentUnsupported (415) or
    AttachmentRefused (400). The file pointer is at 0 afterwards."""
    try:
        size = _size_of(upload)
        limit = cases_setting("ATTACHMENT_MAX_BYTES")
        if size > limit:
            raise AttachmentTooLarge(_("Die Datei ist zu groß (%(size)s, erlaubt sind %(limit)s).")
                                     % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                                     field="attachments")
        upload.seek(0)
        head = upload.read(8)
        if head.startswith(_PDF_MAGIC):
            _pdf_check(upload)
            content_type = "application/pdf"
        else:
            try:
                content_type = photo_validate(upload=upload).content_type
            except PhotoTooLarge as exc:  # the photo cap may be lower than ours
                raise AttachmentTooLarge(exc.message, field="attachments") from exc
            except PhotoNotAnImage:
                content_type = ""
            except PhotoError as exc:
                raise AttachmentRefused(exc.message, field="attachments") from exc
            if content_type not in ("image/jpeg", "image/png"):
                raise AttachmentUnsupported(_("Erlaubt sind nur PDF-, JPEG- und PNG-Dateien."), field="attachments")
        name = (getattr(upload, "name", "") or "datei").rsplit("/", 1)[-1][:200]
        return AttachmentInfo(upload=upload, content_type=content_type, size=size, original_name=name)
    finally:
        upload.seek(0)


def attachments_validate(*, uploads) -> list[AttachmentInfo]:
    """Check every upload of one request (at most ATTACHMENT_MAX_PER_UPLOAD)."""
    uploads = list(uploads or [])
    limit = cases_setting("ATTACHMENT_MAX_PER_UPLOAD")
    if len(uploads) > limit:
        raise CaseInputError(_("Höchstens %(n)s Dateien auf einmal.") % {"n": limit}, field="attachments")
    return [attachment_validate(upload=u) for u in uploads]
