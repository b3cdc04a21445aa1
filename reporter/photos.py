"""Report photos: check an upload in the request, make public derivatives in the background.

`photo_validate` runs in the request and is cheap: size cap, format sniffing (never the
client's file name or Content-Type), pixel cap read from the header before any decoding,
an integrity check, and the EXIF GPS position. Its errors carry the HTTP status code the
API answers with. `photo_process` runs in Celery: it turns the private original (with all
its metadata) into two metadata-free, orientation-applied sRGB JPEGs: the public image and
the thumbnail. `photo_blur` replaces those derivatives by blurred ones for moderation.

Coordinates are WGS 84 (EPSG:4326), `Point(lon, lat)`. The EXIF GPS map datum is ignored:
practically every camera and phone writes WGS 84.
"""
import io
import logging
import math
from dataclasses import dataclass

import pillow_heif
from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageFilter, ImageOps

from .conf import stadtmelder_setting
from .models import ReportPhoto

__all__ = [
    "PhotoInfo", "PhotoError", "PhotoTooLarge", "PhotoNotAnImage", "PhotoCorrupt", "PhotoTooManyPixels",
    "PhotoProcessingError", "photo_validate", "photo_process", "photo_blur",
]

logger = logging.getLogger(__name__)

# HEIC/HEIF (iPhones) through libheif; registering twice is harmless.
pillow_heif.register_heif_opener()

# Pillow format id -> MIME type stored on ReportPhoto. Everything else (GIF, TIFF, BMP,
# AVIF, SVG, PDF…) is refused: fewer decoders reachable from the internet.
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}
_HEIF_TYPES = ("image/heic", "image/heif")

# EXIF Orientation values 5–8 turn the picture by 90°: width and height swap on display.
_ORIENTATION_SWAPS = (5, 6, 7, 8)

# JPEG quality of the derivatives (libjpeg scale 1–95).
_PUBLIC_QUALITY = 85
_THUMB_QUALITY = 80


class PhotoError(Exception):
    """A photo upload the user has to fix; `status_code` is the HTTP answer, `message` German text."""

    status_code = 400
    code = "photo_invalid"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class PhotoTooLarge(PhotoError):
    """More bytes than PHOTO_MAX_BYTES (HTTP 413 Content Too Large)."""

    status_code = 413
    code = "photo_too_large"

    def __init__(self, *, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(
            _("Das Foto ist zu groß (%(size)s). Erlaubt sind höchstens %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


class PhotoNotAnImage(PhotoError):
    """Not a JPEG, PNG, WebP or HEIC image, whatever its name says (HTTP 415 Unsupported Media Type)."""

    status_code = 415
    code = "photo_unsupported_type"

    def __init__(self):
        super().__init__(_("Die Datei ist kein Foto in einem unterstützten Format (JPEG, PNG, WebP oder HEIC)."))


class PhotoCorrupt(PhotoError):
    """A supported format, but truncated or damaged image data (HTTP 400)."""

    status_code = 400
    code = "photo_corrupt"

    def __init__(self):
        super().__init__(_("Die Bilddatei ist beschädigt oder unvollständig. Bitte laden Sie das Foto erneut hoch."))


class PhotoTooManyPixels(PhotoError):
    """Width × height above the pixel cap: a decompression bomb or a huge panorama (HTTP 400)."""

    status_code = 400
    code = "photo_too_many_pixels"

    def __init__(self, *, limit: int, pixels: int | None = None):
        self.limit, self.pixels = limit, pixels
        super().__init__(
            _("Das Foto hat zu viele Bildpunkte. Erlaubt sind höchstens %(limit)s Bildpunkte (Breite × Höhe).")
            % {"limit": number_format(limit, force_grouping=True)}
        )


class PhotoProcessingError(Exception):
    """The original could not be turned into public derivatives (stored in `processing_error`)."""


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


def photo_process(*, photo: ReportPhoto) -> None:
    """Make the public image and thumbnail of `photo` from its private original.

    Applies the EXIF orientation, converts to sRGB, scales to PHOTO_PUBLIC_MAX_EDGE and
    PHOTO_THUMB_MAX_EDGE (longest edge, pixels, never enlarged) and writes JPEGs without
    any metadata (checked before storing). Idempotent: a photo that is already done (in
    memory or in the database) is left alone; a failed one is tried again. Undecodable originals mark
    the photo `failed` with the reason in `processing_error`; storage errors (`OSError`
    while reading or writing files) propagate so that the Celery task retries.
    """
    if photo.processing == ReportPhoto.Processing.DONE:
        return
    current = ReportPhoto.objects.filter(pk=photo.pk).values_list("processing", flat=True).first()
    if current is None:  # deleted with its report meanwhile
        return
    if current == ReportPhoto.Processing.DONE:
        photo.refresh_from_db(fields=["processing", "processing_error", "image", "thumbnail"])
        return
    try:
        data = _original_read(photo=photo)
    except FileNotFoundError as exc:
        _processing_fail(photo=photo, error=f"original missing: {exc}")
        return
    try:
        image, thumbnail = _derivatives_render(data=data)
    except PhotoProcessingError as exc:
        _processing_fail(photo=photo, error=str(exc))
        return
    _derivatives_store(photo=photo, image=image, thumbnail=thumbnail, replace=False)


def photo_blur(*, photo: ReportPhoto, box: tuple[float, float, float, float] | None = None) -> None:
    """Replace the public image and thumbnail of `photo` by blurred ones (moderation).

    `box` is (left, top, right, bottom) as fractions 0–1 of the width and height of the
    picture as displayed (after EXIF orientation), so it means the same area on the
    public image and the thumbnail; None blurs the whole picture. The derivatives are
    rendered again from the private original; the original itself is not changed. The
    previous derivative files are deleted after commit (caches and CDNs may still hold
    copies). Raises `PhotoProcessingError` if the original cannot be decoded and
    `ValueError` for a malformed box.
    """
    if box is not None:
        box = _box_check(box=box)
    image, thumbnail = _derivatives_render(data=_original_read(photo=photo), blur_box=box, blur=True)
    _derivatives_store(photo=photo, image=image, thumbnail=thumbnail, replace=True)


# --- validation -----------------------------------------------------------------------------


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


def _exif_read(img: Image.Image) -> Image.Exif:
    """The EXIF block of an opened image (empty if absent or unreadable), without decoding pixels."""
    try:
        if img.format == "PNG":
            # PngImageFile.getexif() decodes the whole image looking for a late eXIf chunk;
            # the PNG spec puts eXIf before IDAT, which open() has already read.
            exif = Image.Exif()
            if raw := img.info.get("exif"):
                exif.load(raw)
            return exif
        return img.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF must not reject the photo, only its metadata
        return Image.Exif()


def _exif_orientation(exif: Image.Exif) -> int:
    value = exif.get(ExifTags.Base.Orientation, 1)
    return value if isinstance(value, int) else 1


def _exif_location(exif: Image.Exif) -> Point | None:
    """The EXIF GPS position as `Point(lon, lat, srid=4326)`, or None if absent or nonsense.

    Nonsense: missing or unknown hemisphere refs, minutes/seconds ≥ 60, |lat| > 90,
    |lon| > 180, zero denominators, 0/0 ("Null Island" from receivers without a fix),
    and GPSStatus "V" (measurement void).
    """
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # noqa: BLE001 - broken EXIF must not reject the photo, only its position
        return None
    if not gps or _exif_text(gps.get(ExifTags.GPS.GPSStatus)) == "V":
        return None
    lat = _gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), _exif_text(gps.get(ExifTags.GPS.GPSLatitudeRef)),
                       positive="N", negative="S", limit=90.0)
    lon = _gps_degrees(gps.get(ExifTags.GPS.GPSLongitude), _exif_text(gps.get(ExifTags.GPS.GPSLongitudeRef)),
                       positive="E", negative="W", limit=180.0)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None
    return Point(lon, lat, srid=4326)  # x = longitude, y = latitude


def _exif_text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    return value.strip("\x00 ").upper() if isinstance(value, str) else ""


def _gps_degrees(value, ref: str, *, positive: str, negative: str, limit: float) -> float | None:
    """Decimal degrees from EXIF (degrees, minutes, seconds) rationals and an N/S or E/W ref."""
    if ref not in (positive, negative) or value is None:
        return None
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    try:
        numbers = [float(p) for p in parts]  # IFDRational with denominator 0 gives nan
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if any(not math.isfinite(n) or n < 0 for n in numbers) or any(n >= 60 for n in numbers[1:]):
        return None
    degrees = sum(n / 60**i for i, n in enumerate(numbers))
    if degrees > limit:
        return None
    return -degrees if ref == negative else degrees


# --- processing -----------------------------------------------------------------------------


def _original_read(*, photo: ReportPhoto) -> bytes:
    if not photo.original.name:
        raise FileNotFoundError("no original file")
    with photo.original.storage.open(photo.original.name, "rb") as fh:
        return fh.read()


def _derivatives_render(
    *, data: bytes, blur: bool = False, blur_box: tuple[float, float, float, float] | None = None
) -> tuple[bytes, bytes]:
    """(public image, thumbnail) as metadata-free JPEG bytes, optionally blurred."""
    public_edge = stadtmelder_setting("PHOTO_PUBLIC_MAX_EDGE")
    thumb_edge = stadtmelder_setting("PHOTO_THUMB_MAX_EDGE")
    try:
        with _image_open(io.BytesIO(data)) as img:
            if img.format == "JPEG":
                # DCT scaling to the smallest size still ≥ the public edge: faster, less memory.
                img.draft("RGB", (public_edge, public_edge))
            img.load()
            icc_profile = img.info.get("icc_profile")
            oriented = ImageOps.exif_transpose(img)
        public = _srgb_clean(img=oriented, icc_profile=icc_profile)
        public.thumbnail((public_edge, public_edge), Image.Resampling.LANCZOS)
        if blur:
            public = _blurred(img=public, box=blur_box)
        thumbnail = public.copy()
        thumbnail.thumbnail((thumb_edge, thumb_edge), Image.Resampling.LANCZOS)
        return _jpeg_encode(img=public, quality=_PUBLIC_QUALITY), _jpeg_encode(img=thumbnail, quality=_THUMB_QUALITY)
    except PhotoProcessingError:
        raise
    except Exception as exc:  # noqa: BLE001 - decoders of untrusted data raise many types
        raise PhotoProcessingError(f"{type(exc).__name__}: {exc}"[:1000]) from exc


def _srgb_clean(*, img: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """An 8-bit sRGB copy of `img` with no `info` at all (no EXIF, XMP, ICC, comments).

    Transparency is flattened onto white; an embedded ICC profile (Display P3, Adobe RGB,
    CMYK…) is converted to sRGB so that colours survive dropping the profile.
    """
    if img.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N", "F"):
        # 16-bit/float greyscale: scale 0–65535 to 0–255 instead of clipping to white.
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba).convert("RGB")
    converted = None
    if icc_profile:
        try:
            converted = ImageCms.profileToProfile(
                img, ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)), ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # broken or mismatching profile: plain conversion below
    rgb = converted if converted is not None else img.convert("RGB")
    # A fresh image: convert() and friends copy `info`, and Pillow's JPEG writer falls back
    # to info["comment"]; Image.new() starts with an empty `info`.
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _box_check(*, box) -> tuple[float, float, float, float]:
    try:
        left, top, right, bottom = (float(v) for v in box)
    except (TypeError, ValueError) as exc:
        raise ValueError("box must be (left, top, right, bottom) fractions") from exc
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1):
        raise ValueError("box must satisfy 0 <= left < right <= 1 and 0 <= top < bottom <= 1")
    return left, top, right, bottom


def _blurred(*, img: Image.Image, box: tuple[float, float, float, float] | None) -> Image.Image:
    """Gaussian blur with a radius of 1/40 of the longest edge: faces and plates become unreadable."""
    radius = max(4, round(max(img.size) / 40))
    if box is None:
        return img.filter(ImageFilter.GaussianBlur(radius))
    w, h = img.size
    left, top = math.floor(box[0] * w), math.floor(box[1] * h)
    # At least one pixel wide and high, never past the edge.
    pixel_box = (left, top, min(w, max(left + 1, math.ceil(box[2] * w))), min(h, max(top + 1, math.ceil(box[3] * h))))
    result = img.copy()
    result.paste(img.crop(pixel_box).filter(ImageFilter.GaussianBlur(radius)), pixel_box[:2])
    return result


def _jpeg_encode(*, img: Image.Image, quality: int) -> bytes:
    """JPEG bytes without metadata. No `exif=`, `icc_profile=`, `xmp=` or `comment=` is passed;
    the result is still checked, because a leak here publishes where somebody lives."""
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    data = buffer.getvalue()
    _jpeg_metadata_check(data=data)
    return data


def _jpeg_metadata_check(*, data: bytes) -> None:
    """Raise PhotoProcessingError unless the only APPn/COM segment is the JFIF header.

    Pillow's parser lists every APPn and COM segment before the first scan in `applist`;
    libjpeg writes only tables between progressive scans (ITU-T T.81, B.2.4).
    """
    with Image.open(io.BytesIO(data), formats=["JPEG"]) as img:
        segments = [(name, content[:5]) for name, content in img.applist]
        if segments != [("APP0", b"JFIF\x00")] or img.getexif() or "icc_profile" in img.info:
            raise PhotoProcessingError(f"JPEG derivative carries metadata: {[name for name, _content in segments]}")


def _derivatives_store(*, photo: ReportPhoto, image: bytes, thumbnail: bytes, replace: bool) -> None:
    """Write both files, then point the row at them.

    Without `replace` (processing) the row is only updated if nobody finished it meanwhile
    (beat re-queueing, a retried task); otherwise our files are deleted again. Files left
    over from earlier renders are deleted after commit.
    """
    names = []
    try:
        for field_name, data in (("image", image), ("thumbnail", thumbnail)):
            field = ReportPhoto._meta.get_field(field_name)
            names.append(field.storage.save(field.generate_filename(photo, f"{field_name}.jpg"), ContentFile(data),
                                            max_length=field.max_length))
        image_name, thumbnail_name = names
        with transaction.atomic():
            row = (ReportPhoto.objects.select_for_update().filter(pk=photo.pk)
                   .values("processing", "image", "thumbnail").first())
            if row is None or (not replace and row["processing"] == ReportPhoto.Processing.DONE):
                stale = names
            else:
                ReportPhoto.objects.filter(pk=photo.pk).update(
                    image=image_name, thumbnail=thumbnail_name, processing=ReportPhoto.Processing.DONE,
                    processing_error="",
                )
                stale = [row["image"], row["thumbnail"]]
            transaction.on_commit(lambda: _files_delete(names=stale), robust=True)
        if stale is not names:
            names = []  # adopted by the row
    except BaseException:
        _files_delete(names=names)
        raise
    if row is not None:
        photo.refresh_from_db(fields=["processing", "processing_error", "image", "thumbnail"])


def _files_delete(*, names) -> None:
    for field_name, name in zip(("image", "thumbnail"), names, strict=False):
        if name:
            ReportPhoto._meta.get_field(field_name).storage.delete(name)


def _processing_fail(*, photo: ReportPhoto, error: str) -> None:
    logger.warning("photo %s: processing failed: %s", photo.pk, error)
    updated = (ReportPhoto.objects.filter(pk=photo.pk).exclude(processing=ReportPhoto.Processing.DONE)
               .update(processing=ReportPhoto.Processing.FAILED, processing_error=error))
    if updated:
        photo.processing, photo.processing_error = ReportPhoto.Processing.FAILED, error
    else:
        photo.refresh_from_db(fields=["processing", "processing_error", "image", "thumbnail"])
