"""`photo_validate`: the cheap check of a photo upload in the request, and `PhotoInfo`,
what it learns (format, displayed size, bytes, EXIF GPS position)."""
from dataclasses import dataclass

from django.contrib.gis.geos import Point

from ..conf import stadtmelder_setting
from .errors import PhotoCorrupt, PhotoTooLarge
from .exif import _ORIENTATION_SWAPS, _exif_location, _exif_orientation, _exif_read
from .opening import _FORMATS, _HEIF_TYPES, _file_size, _image_open

__all__ = ["PhotoInfo", "photo_validate"]


@dataclass(frozen=True)
class PhotoInfo:
    """What `photo_validate` learnt about an upload.

    `width`/`height` are as displayed, i.e. after the EXIF orientation is applied (pixels).
    `exif_location` is the EXIF GPS position, `Point(lon, lat, srid=4326)`, or None.
    """

    content_type: str
    width: int
    height: int
    bytes: int
    exif_location: Point | None


def photo_validate(*, upload) -> PhotoInfo:
    """Check a photo upload (a Django `UploadedFile`) in the request and read its metadata.

    Raises `PhotoTooLarge` (413), `PhotoNotAnImage` (415), `PhotoTooManyPixels` (400) or
    `PhotoCorrupt` (400). Decoding is kept cheap: JPEG is decoded at 1/8 scale (enough to
    find truncated data), PNG chunk checksums are verified, WebP is checked by libwebp when
    opened, HEIC is decoded in full (libheif finds missing data only then). The file
    pointer is at 0 afterwards, whatever happened.
    """
    try:
        size = getattr(upload, "size", None)
        size = _file_size(upload) if size is None else size
        limit = stadtmelder_setting("PHOTO_MAX_BYTES")
        if size > limit:
            raise PhotoTooLarge(size=size, limit=limit)
        return _upload_inspect(upload=upload, size=size)
    finally:
        upload.seek(0)


def _upload_inspect(*, upload, size: int) -> PhotoInfo:
    upload.seek(0)
    with _image_open(upload) as img:
        content_type = _FORMATS[img.format]
        if img.format == "HEIF" and img.get_format_mimetype() in _HEIF_TYPES:
            content_type = img.get_format_mimetype()
        try:
            # PNG: checks every chunk's CRC up to IEND. JPEG, WebP and HEIC: no-ops in Pillow.
            img.verify()
        except Exception as exc:  # noqa: BLE001 - decoders of untrusted data raise many types
            raise PhotoCorrupt() from exc
    # verify() leaves the image unusable: open again.
    upload.seek(0)
    with _image_open(upload) as img:
        width, height = img.size  # before draft() shrinks it
        try:
            if img.format == "JPEG":
                # DCT scaling: decodes every block at 1/8 size, so truncated data still shows.
                img.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                img.load()
            elif img.format == "HEIF":
                img.load()
        except Exception as exc:  # noqa: BLE001 - decoders of untrusted data raise many types
            raise PhotoCorrupt() from exc
        exif = _exif_read(img)
    if _exif_orientation(exif) in _ORIENTATION_SWAPS:
        width, height = height, width
    return PhotoInfo(
        content_type=content_type, width=width, height=height, bytes=size, exif_location=_exif_location(exif),
    )
