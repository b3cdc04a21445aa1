"""Public derivatives of a photo: from the original's bytes to two metadata-free,
orientation-applied 8-bit sRGB JPEGs (public image and thumbnail), optionally blurred.
Every JPEG is checked for metadata before it is returned: a leak here publishes where
somebody lives."""
import io

from PIL import Image, ImageCms, ImageOps

from ..conf import stadtmelder_setting
from .blurring import _blurred
from .errors import PhotoProcessingError
from .opening import _image_open

# JPEG quality of the derivatives (libjpeg scale 1–95).
_PUBLIC_QUALITY = 85
_THUMB_QUALITY = 80


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
