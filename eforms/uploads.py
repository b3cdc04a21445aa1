"""Checking a file uploaded into a form field: size and type from the field's definition,
images through the report photo checks (`reporter.photos.photo_validate`: format sniffed from
the content, pixel cap, integrity), PDFs refused when they carry active content.

The type is always sniffed from the content, never taken from the file name or the
client's Content-Type. A PDF is refused when it carries active content (`config.pdf`, the
one check of every upload path), streams inflated up to `EFORMS["PDF_MAX_INFLATED_BYTES"]`.
"""
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from config.pdf import pdf_active_content as _pdf_active_content
from reporter.photos import PhotoError, photo_validate

from .conf import eforms_setting

__all__ = ["UploadError", "upload_validate", "pdf_active_content"]

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}


class UploadError(Exception):
    """An upload the user has to replace; `message` in the active language, `code` for machines."""

    def __init__(self, message: str, *, code: str):
        self.message, self.code = message, code
        super().__init__(message)


def _read_all(upload) -> bytes:
    upload.seek(0)
    try:
        return upload.read()
    finally:
        upload.seek(0)


def pdf_active_content(content: bytes) -> str | None:
    """The first active-content name found in PDF bytes (e.g. "JavaScript"), or None."""
    return _pdf_active_content(content, max_inflated=eforms_setting("PDF_MAX_INFLATED_BYTES"))


def upload_validate(*, upload, accept: list[str], max_bytes: int) -> str:
    """Check one upload against a file field; return its sniffed content type.

    Raises `UploadError` with code "too_large", "unsupported_type", "active_content" or
    "corrupt". The file pointer is at 0 afterwards.
    """
    size = upload.size
    limit = min(max_bytes, eforms_setting("UPLOAD_MAX_BYTES"))
    allowed = ", ".join(sorted({t.split("/")[1].upper() for t in accept}))
    if size > limit:
        raise UploadError(_("Die Datei ist zu groß (%(size)s). Erlaubt sind höchstens %(limit)s.") % {
            "size": filesizeformat(size), "limit": filesizeformat(limit)}, code="too_large")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" in head:
        if "application/pdf" not in accept:
            raise UploadError(_("Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: %(types)s.") % {
                "types": allowed}, code="unsupported_type")
        if b"%%EOF" not in _read_all(upload)[-2048:]:
            raise UploadError(_("Die PDF-Datei ist beschädigt oder unvollständig."), code="corrupt")
        if pdf_active_content(_read_all(upload)):
            raise UploadError(_("Die PDF-Datei enthält aktive Inhalte (Skripte, automatische Aktionen oder "
                                "eingebettete Dateien) und wird deshalb nicht angenommen. Bitte speichern Sie "
                                "sie ohne diese Inhalte, z. B. über „Drucken als PDF“."), code="active_content")
        return "application/pdf"
    if not IMAGE_TYPES & set(accept):
        raise UploadError(_("Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: %(types)s.") % {
            "types": allowed}, code="unsupported_type")
    try:
        info = photo_validate(upload=upload)
    except PhotoError as exc:
        if exc.code == "photo_unsupported_type":
            raise UploadError(_("Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: %(types)s.") % {
                "types": allowed}, code="unsupported_type") from exc
        raise UploadError(exc.message, code="corrupt" if exc.code != "photo_too_large" else "too_large") from exc
    content_type = "image/heic" if info.content_type in ("image/heic", "image/heif") else info.content_type
    if content_type not in accept:
        raise UploadError(_("Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: %(types)s.") % {
            "types": allowed}, code="unsupported_type")
    return content_type
