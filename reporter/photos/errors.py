"""Photo errors: what a user has to fix in an upload (with the HTTP status the API answers
with and a German message), and `PhotoProcessingError` for originals that cannot be rendered."""
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from config.errors import ServiceError

__all__ = [
    "PhotoError", "PhotoTooLarge", "PhotoNotAnImage", "PhotoCorrupt", "PhotoTooManyPixels", "PhotoProcessingError",
]


class PhotoError(ServiceError):
    """A photo upload the user has to fix; `status` is the HTTP answer, `message` German text."""

    status = 400
    code = "photo_invalid"

    def __init__(self, message: str):
        super().__init__(message)

    def body_extra(self) -> dict:
        return {"errors": {"photos": [self.message]}}


class PhotoTooLarge(PhotoError):
    """More bytes than PHOTO_MAX_BYTES (HTTP 413 Content Too Large)."""

    status = 413
    code = "photo_too_large"

    def __init__(self, *, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(
            _("Das Foto ist zu groß (%(size)s). Erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


class PhotoNotAnImage(PhotoError):
    """Not a JPEG, PNG, WebP or HEIC image, whatever its name says (HTTP 415 Unsupported Media Type)."""

    status = 415
    code = "photo_unsupported_type"

    def __init__(self):
        super().__init__(_("Die Datei ist kein Foto in einem unterstützten Format (JPEG, PNG, WebP oder HEIC)."))


class PhotoCorrupt(PhotoError):
    """A supported format, but truncated or damaged image data (HTTP 400)."""

    status = 400
    code = "photo_corrupt"

    def __init__(self):
        super().__init__(_("Die Bilddatei ist beschädigt oder unvollständig. Bitte laden Sie das Foto erneut hoch."))


class PhotoTooManyPixels(PhotoError):
    """Width × height above the pixel cap: a decompression bomb or a huge panorama (HTTP 400)."""

    status = 400
    code = "photo_too_many_pixels"

    def __init__(self, *, limit: int, pixels: int | None = None):
        self.limit, self.pixels = limit, pixels
        super().__init__(
            _("Das Foto hat zu viele Bildpunkte. Erlaubt sind höchstens %(limit)s Bildpunkte (Breite × Höhe).")
            % {"limit": number_format(limit, force_grouping=True)}
        )


class PhotoProcessingError(Exception):
    """The original could not be turned into public derivatives (stored in `processing_error`)."""
