"""Opening untrusted images: the allowed formats, the byte size and the pixel cap.

`_image_open` reads the header only (nothing is decoded) and refuses every format but
JPEG, PNG, WebP and HEIC, whatever the client's file name or Content-Type says.
"""
import io

import pillow_heif
from PIL import Image

from ..conf import stadtmelder_setting
from .errors import PhotoNotAnImage, PhotoTooManyPixels

# HEIC/HEIF (iPhones) through libheif; registering twice is harmless.
pillow_heif.register_heif_opener()

# Pillow format id -> MIME type stored on ReportPhoto. Everything else (GIF, TIFF, BMP,
# AVIF, SVG, PDF…) is refused: fewer decoders reachable from the internet.
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}
_HEIF_TYPES = ("image/heic", "image/heif")


def _file_size(fileobj) -> int:
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _pixel_limit() -> int:
    """PHOTO_MAX_PIXELS, or Pillow's own bomb threshold if that is lower."""
    limit = stadtmelder_setting("PHOTO_MAX_PIXELS")
    if Image.MAX_IMAGE_PIXELS:
        limit = min(limit, Image.MAX_IMAGE_PIXELS)
    return limit


def _image_open(fileobj) -> Image.Image:
    """Open (header only, nothing decoded) an image of an allowed format within the pixel cap.

    Pillow raises DecompressionBombError above 2 × MAX_IMAGE_PIXELS and only warns above
    MAX_IMAGE_PIXELS; the explicit comparison with `_pixel_limit()` makes the warning
    range an error too, without touching the process-wide warnings filters.
    """
    limit = _pixel_limit()
    try:
        img = Image.open(fileobj, formats=list(_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoTooManyPixels(limit=limit) from exc
    except Exception as exc:  # noqa: BLE001 - parsers of untrusted headers raise many types
        raise PhotoNotAnImage() from exc
    pixels = img.width * img.height
    if pixels > limit:
        # No img.close(): it would close the caller's file too (the upload is read again).
        raise PhotoTooManyPixels(limit=limit, pixels=pixels)
    return img
