"""The errors a case write or read can raise, each with its HTTP status code and a German
message (translated with Django's i18n; English in locale/en)."""
from django.utils.translation import gettext as _

__all__ = [
    "CaseError", "CaseInputError", "CaseNotFound", "TransitionNotAllowed", "AttachmentTooLarge",
    "AttachmentUnsupported", "AttachmentRefused",
]


class CaseError(Exception):
    """Base class: `status_code` is the HTTP answer, `message` the text for the user,
    `field` the input it is about (or "")."""

    status_code = 400
    code = "case_invalid"

    def __init__(self, message: str, *, field: str = ""):
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


class CaseInputError(CaseError):
    """Invalid input (400)."""


class CaseNotFound(CaseError):
    """No such case, or not visible to this user (404: existence is not disclosed)."""

    status_code = 404
    code = "case_not_found"

    def __init__(self, message: str = ""):
        super().__init__(message or _("Diesen Vorgang gibt es nicht."))


class TransitionNotAllowed(CaseError):
    """The case type's workflow does not allow this change now (409)."""

    status_code = 409
    code = "transition_not_allowed"


class AttachmentTooLarge(CaseError):
    """An attachment over ATTACHMENT_MAX_BYTES (413)."""

    status_code = 413
    code = "attachment_too_large"


class AttachmentUnsupported(CaseError):
    """An attachment that is no PDF, JPEG or PNG (415)."""

    status_code = 415
    code = "attachment_unsupported_type"


class AttachmentRefused(CaseError):
    """An attachment with active content (a PDF with JavaScript) or broken data (400)."""

    code = "attachment_refused"
