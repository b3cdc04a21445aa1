"""Test images made with Pillow: JPEGs with EXIF GPS and orientation, PNGs, junk."""
import io
from fractions import Fraction

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def _dms(value: float):
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = (value - d - m / 60) * 3600
    return (Fraction(d), Fraction(m), Fraction(s).limit_denominator(1_000_000))


def jpeg_bytes(*, size=(40, 20), lon=None, lat=None, orientation=None, color=(200, 40, 40)) -> bytes:
    """A JPEG, optionally with EXIF GPS (WGS 84) and an EXIF orientation tag."""
    img = Image.new("RGB", size, color)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if lon is not None and lat is not None:
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S", 2: _dms(lat),
            3: "E" if lon >= 0 else "W", 4: _dms(lon),
        }
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes() if len(exif) else b"")
    return buf.getvalue()


def upload(content: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
