"""EXIF of an opened photo, read without decoding pixels: the orientation and the GPS
position (WGS 84, EPSG:4326, `Point(lon, lat)`; the GPS map datum is ignored, practically
every camera and phone writes WGS 84). Broken EXIF never rejects a photo, it only loses
its metadata."""
import math

from django.contrib.gis.geos import Point
from PIL import ExifTags, Image

# EXIF Orientation values 5–8 turn the picture by 90°: width and height swap on display.
_ORIENTATION_SWAPS = (5, 6, 7, 8)


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
