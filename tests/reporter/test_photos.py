"""Photo upload checks (`photo_validate`), derivatives (`photo_process`, `photo_blur`) and their tasks.

All images are generated in memory with Pillow (HEIC through pillow_heif's x265 encoder).
Positions are WGS 84 (EPSG:4326); EXIF stores them as degrees/minutes/seconds rationals.
"""
import io
import struct
import zlib
from datetime import timedelta

import pillow_heif
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageChops, ImageCms, ImageStat
from PIL.TiffImagePlugin import IFDRational

from reporter import tasks
from reporter.models import ReportPhoto
from reporter.photos import (
    PhotoCorrupt,
    PhotoNotAnImage,
    PhotoTooLarge,
    PhotoTooManyPixels,
    photo_blur,
    photo_process,
    photo_validate,
)
from tests.factories import ReportFactory

# A point in the test city, lon/lat (EPSG:4326), with more decimals than EXIF seconds/10000 need.
LON, LAT = 12.0812345, 50.8765432

TOO_MANY_PIXELS = "Das Foto hat zu viele Bildpunkte. Erlaubt sind höchstens {} Bildpunkte (Breite × Höhe)."
NOT_AN_IMAGE = "Die Datei ist kein Foto in einem unterstützten Format (JPEG, PNG, WebP oder HEIC)."
CORRUPT = "Die Bilddatei ist beschädigt oder unvollständig. Bitte laden Sie das Foto erneut hoch."


@pytest.fixture(autouse=True)
def _original_storage_in_tmp(_eager_celery_and_tmp_media, monkeypatch):
    """ReportPhoto.original resolves its storage callable once, at import (real PRIVATE_MEDIA_ROOT):
    point it at the throw-away private storage of this test."""
    from django.core.files.storage import storages

    monkeypatch.setattr(ReportPhoto._meta.get_field("original"), "storage", storages["private"])


# --- image builders -------------------------------------------------------------------------


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    """|value| in degrees as EXIF (degrees, minutes, seconds) rationals, seconds to 1/10000."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(round(seconds * 10000), 10000)


def _exif(*, lon: float | None = None, lat: float | None = None, orientation: int | None = None,
          gps: dict | None = None) -> Image.Exif:
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if gps is None and lon is not None:
        gps = {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
    if gps is not None:
        exif[0x8825] = gps  # GPSInfo IFD
    return exif


def _encode(img: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _halves(size=(40, 20)) -> Image.Image:
    """Left half red, right half blue: shows where a rotation went."""
    img = Image.new("RGB", size, (255, 0, 0))
    img.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return img


def _pattern(size) -> Image.Image:
    """Fine detail (noise over a gradient), so that blurring is measurable."""
    noise = Image.effect_noise(size, 80).convert("RGB")
    return Image.blend(noise, Image.linear_gradient("L").resize(size).convert("RGB"), 0.3)


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR claims width × height (a decompression bomb's header)."""
    data = bytearray(_encode(Image.new("RGB", (8, 8)), "PNG"))
    # 8-byte signature, then IHDR: length (4), type (4), width and height (big-endian), …, CRC.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _upload(data: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _photo_make(data: bytes, **fields) -> ReportPhoto:
    fields.setdefault("content_type", "image/jpeg")
    photo = ReportPhoto(report=ReportFactory(), original_bytes=len(data), **fields)
    photo.original.save("original", ContentFile(data), save=False)
    photo.save()
    return photo


def _read(field_file) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as fh:
        return fh.read()


# --- photo_validate -------------------------------------------------------------------------


@pytest.mark.django_db
def test_validate_jpeg_reads_gps_as_lon_lat_and_displayed_size():
    data = _encode(_halves(), "JPEG", exif=_exif(lon=LON, lat=LAT, orientation=6))
    upload = _upload(data)
    upload.read(10)  # the pointer may be anywhere when we get the file

    info = photo_validate(upload=upload)

    assert info.content_type == "image/jpeg"
    assert info.bytes == len(data)
    # Stored 40x20, orientation 6 = turn 90° clockwise for display.
    assert (info.width, info.height) == (20, 40)
    point = info.exif_location
    assert point.srid == 4326
    assert point.x == pytest.approx(LON, abs=1e-5)  # x = longitude
    assert point.y == pytest.approx(LAT, abs=1e-5)  # y = latitude
    assert upload.tell() == 0


@pytest.mark.django_db
def test_validate_gps_south_and_west_are_negative():
    data = _encode(_halves(), "JPEG", exif=_exif(lon=-58.3815591, lat=-34.6037232))

    point = photo_validate(upload=_upload(data)).exif_location

    assert (point.x, point.y) == (pytest.approx(-58.3815591, abs=1e-5), pytest.approx(-34.6037232, abs=1e-5))


@pytest.mark.parametrize("gps", [
    pytest.param({1: "N", 2: (0, 0, 0), 3: "E", 4: (0, 0, 0)}, id="null-island"),
    pytest.param({1: "N", 2: (95, 0, 0), 3: "E", 4: (12, 0, 0)}, id="latitude-over-90"),
    pytest.param({1: "N", 2: (50, 0, 0), 3: "E", 4: (181, 0, 0)}, id="longitude-over-180"),
    pytest.param({1: "N", 2: (50, 61, 0), 3: "E", 4: (12, 0, 0)}, id="minutes-over-60"),
    pytest.param({1: "N", 2: (IFDRational(50, 0), 0, 0), 3: "E", 4: (12, 0, 0)}, id="zero-denominator"),
    pytest.param({2: (50, 52, 0), 4: (12, 4, 0)}, id="no-hemisphere-refs"),
    pytest.param({1: "X", 2: (50, 52, 0), 3: "E", 4: (12, 4, 0)}, id="unknown-ref"),
    pytest.param({1: "N", 2: (50, 52, 0), 3: "E", 4: (12, 4, 0), 9: "V"}, id="status-void"),
])
@pytest.mark.django_db
def test_validate_ignores_nonsense_gps(gps):
    data = _encode(_halves(), "JPEG", exif=_exif(gps=gps))

    assert photo_validate(upload=_upload(data)).exif_location is None


@pytest.mark.django_db
def test_validate_png_without_exif():
    data = _encode(_halves((30, 10)), "PNG")

    info = photo_validate(upload=_upload(data, "bild.png", "image/png"))

    assert (info.content_type, info.width, info.height, info.bytes, info.exif_location) == (
        "image/png", 30, 10, len(data), None
    )


@pytest.mark.django_db
def test_validate_webp_with_gps():
    data = _encode(_halves(), "WEBP", exif=_exif(lon=LON, lat=LAT))

    info = photo_validate(upload=_upload(data, "bild.webp", "image/webp"))

    assert info.content_type == "image/webp"
    assert (info.exif_location.x, info.exif_location.y) == (pytest.approx(LON, abs=1e-5), pytest.approx(LAT, abs=1e-5))


@pytest.mark.django_db
def test_validate_heic_with_gps():
    pillow_heif.register_heif_opener()
    data = _encode(_halves((64, 32)), "HEIF", exif=_exif(lon=LON, lat=LAT))

    info = photo_validate(upload=_upload(data, "IMG_0001.HEIC", "image/heic"))

    assert (info.content_type, info.width, info.height, info.bytes) == ("image/heic", 64, 32, len(data))
    assert (info.exif_location.x, info.exif_location.y) == (pytest.approx(LON, abs=1e-5), pytest.approx(LAT, abs=1e-5))


@pytest.mark.parametrize(("data", "name"), [
    pytest.param(b"Sehr geehrte Damen und Herren,\nvor meinem Haus ist ein Schlagloch.\n", "foto.jpg", id="text"),
    pytest.param(b"", "leer.jpg", id="empty"),
    pytest.param(_encode(Image.new("RGB", (10, 10)), "GIF"), "bild.jpg", id="gif-not-allowed"),
    pytest.param(_encode(Image.new("RGB", (10, 10)), "BMP"), "bild.jpg", id="bmp-not-allowed"),
])
@pytest.mark.django_db
def test_validate_rejects_non_images_with_415(data, name):
    upload = _upload(data, name)

    with pytest.raises(PhotoNotAnImage) as excinfo:
        photo_validate(upload=upload)

    assert excinfo.value.status == 415
    assert excinfo.value.message == NOT_AN_IMAGE
    assert upload.tell() == 0


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
@pytest.mark.django_db
def test_validate_rejects_truncated_images(fmt):
    pillow_heif.register_heif_opener()
    data = _encode(_pattern((320, 240)), fmt, quality=90)

    with pytest.raises((PhotoCorrupt, PhotoNotAnImage)) as excinfo:
        photo_validate(upload=_upload(data[: len(data) // 2]))

    # libwebp refuses a truncated container when opening it: "not an image" (415).
    expected = PhotoNotAnImage if fmt == "WEBP" else PhotoCorrupt
    assert type(excinfo.value) is expected
    assert excinfo.value.status == (415 if fmt == "WEBP" else 400)
    if expected is PhotoCorrupt:
        assert excinfo.value.message == CORRUPT


@pytest.mark.django_db
def test_validate_rejects_too_large_file_with_413(settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_MAX_BYTES": 1000}
    data = _encode(_pattern((64, 64)), "JPEG", quality=95)
    assert len(data) > 1000
    upload = _upload(data)

    with pytest.raises(PhotoTooLarge) as excinfo:
        photo_validate(upload=upload)

    assert excinfo.value.status == 413
    # filesizeformat: German decimal comma, no-break space before the unit.
    size = f"{len(data) / 1024:.1f}".replace(".", ",")
    assert excinfo.value.message == f"Das Foto ist zu groß ({size}\xa0KB). Erlaubt sind höchstens 1000\xa0Bytes."
    assert upload.tell() == 0


@pytest.mark.django_db
def test_validate_accepts_file_of_exactly_the_cap(settings):
    data = _encode(_halves(), "JPEG")
    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_MAX_BYTES": len(data)}

    assert photo_validate(upload=_upload(data)).bytes == len(data)


@pytest.mark.parametrize(("width", "height", "pixels"), [
    pytest.param(8000, 8000, 64_000_000, id="over-our-cap"),
    pytest.param(20000, 20000, None, id="pillow-bomb-error"),  # > 2 x Image.MAX_IMAGE_PIXELS
])
@pytest.mark.django_db
def test_validate_rejects_decompression_bomb_from_header(width, height, pixels):
    with pytest.raises(PhotoTooManyPixels) as excinfo:
        photo_validate(upload=_upload(_png_declaring(width, height), "bombe.png"))

    assert excinfo.value.status == 400
    assert excinfo.value.message == TOO_MANY_PIXELS.format("50.000.000")
    assert (excinfo.value.limit, excinfo.value.pixels) == (50_000_000, pixels)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.django_db
def test_validate_turns_pillow_bomb_warning_into_error(settings):
    """Above Pillow's MAX_IMAGE_PIXELS Pillow only warns; we refuse, naming that lower limit."""
    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_MAX_PIXELS": 200_000_000}

    with pytest.raises(PhotoTooManyPixels) as excinfo:
        photo_validate(upload=_upload(_png_declaring(10000, 10000), "bombe.png"))

    assert excinfo.value.message == TOO_MANY_PIXELS.format("89.478.485")


@pytest.mark.django_db
def test_validate_pixel_cap_from_settings(settings):
    data = _encode(_halves(), "JPEG")  # 40 x 20 = 800 pixels
    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_MAX_PIXELS": 800}
    assert photo_validate(upload=_upload(data)).width == 40

    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_MAX_PIXELS": 799}
    with pytest.raises(PhotoTooManyPixels) as excinfo:
        photo_validate(upload=_upload(data))

    assert excinfo.value.message == TOO_MANY_PIXELS.format("799")
    assert excinfo.value.pixels == 800


# --- photo_process --------------------------------------------------------------------------


@pytest.mark.django_db
def test_process_strips_all_metadata_and_applies_orientation():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>50,52.59N</exif:GPSLatitude></x:xmpmeta>'
    data = _encode(_halves(), "JPEG", quality=95, exif=_exif(lon=LON, lat=LAT, orientation=6),
                   icc_profile=srgb, comment=b"Musterstrasse 1", xmp=xmp)
    photo = _photo_make(data)

    photo_process(photo=photo)

    photo.refresh_from_db()
    assert (photo.processing, photo.processing_error) == (ReportPhoto.Processing.DONE, "")
    for field_file in (photo.image, photo.thumbnail):
        raw = _read(field_file)
        for secret in (b"Exif", b"GPS", b"xmpmeta", b"ICC_PROFILE", b"Musterstrasse"):
            assert secret not in raw
        img = Image.open(io.BytesIO(raw))
        assert img.format == "JPEG"
        assert len(img.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile", "comment", "photoshop"} & set(img.info)
        # 40x20 stored, orientation 6: displayed portrait, the stored left (red) half on top.
        assert img.size == (20, 40)
        top, bottom = img.convert("RGB").getpixel((10, 5)), img.convert("RGB").getpixel((10, 35))
        assert top[0] > 200 and top[2] < 60
        assert bottom[2] > 200 and bottom[0] < 60


@pytest.mark.parametrize("params", [
    pytest.param({"exif": _exif(lon=LON, lat=LAT)}, id="exif"),
    pytest.param({"comment": b"Musterstrasse 1"}, id="comment"),
    pytest.param({"icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()}, id="icc"),
    pytest.param({"xmp": b"<x:xmpmeta/>"}, id="xmp"),
])
def test_metadata_safety_net_refuses_jpeg_with_metadata(params):
    """The last check before a derivative is stored (see `_jpeg_encode`)."""
    from reporter.photos import PhotoProcessingError, _jpeg_metadata_check

    _jpeg_metadata_check(data=_encode(_halves(), "JPEG"))
    with pytest.raises(PhotoProcessingError, match="carries metadata"):
        _jpeg_metadata_check(data=_encode(_halves(), "JPEG", **params))


@pytest.mark.django_db
def test_process_scales_longest_edge_to_the_caps(settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "PHOTO_PUBLIC_MAX_EDGE": 800, "PHOTO_THUMB_MAX_EDGE": 100}
    photo = _photo_make(_encode(_pattern((2000, 1000)), "JPEG"))

    photo_process(photo=photo)

    assert Image.open(io.BytesIO(_read(photo.image))).size == (800, 400)
    assert Image.open(io.BytesIO(_read(photo.thumbnail))).size == (100, 50)
    assert photo.image.name.startswith(f"reports/{photo.report_id}/") and photo.image.name.endswith(".jpg")


@pytest.mark.django_db
def test_process_heic():
    pillow_heif.register_heif_opener()
    photo = _photo_make(_encode(_halves((64, 32)), "HEIF", exif=_exif(lon=LON, lat=LAT)), content_type="image/heic")

    photo_process(photo=photo)

    raw = _read(photo.image)
    assert photo.processing == ReportPhoto.Processing.DONE
    assert b"Exif" not in raw and len(Image.open(io.BytesIO(raw)).getexif()) == 0
    assert Image.open(io.BytesIO(raw)).size == (64, 32)


@pytest.mark.django_db
def test_process_flattens_transparency_onto_white_and_scales_16_bit_grey():
    transparent = _photo_make(_encode(Image.new("RGBA", (20, 20), (0, 0, 0, 0)), "PNG"))
    grey16 = _photo_make(_encode(Image.new("I;16", (20, 20), 32768), "PNG"))

    photo_process(photo=transparent)
    photo_process(photo=grey16)

    assert all(v > 245 for v in Image.open(io.BytesIO(_read(transparent.image))).getpixel((10, 10)))
    assert all(120 <= v <= 136 for v in Image.open(io.BytesIO(_read(grey16.image))).getpixel((10, 10)))


@pytest.mark.django_db
def test_process_is_idempotent(tmp_path):
    photo = _photo_make(_encode(_halves(), "JPEG"))
    stale = ReportPhoto.objects.get(pk=photo.pk)  # loaded while still pending
    photo_process(photo=photo)
    names = (photo.image.name, photo.thumbnail.name)
    files = sorted(p.name for p in (tmp_path / "media").rglob("*.jpg"))

    photo_process(photo=photo)
    photo_process(photo=stale)

    assert (stale.processing, stale.image.name, stale.thumbnail.name) == (ReportPhoto.Processing.DONE, *names)
    photo.refresh_from_db()
    assert (photo.image.name, photo.thumbnail.name) == names
    assert sorted(p.name for p in (tmp_path / "media").rglob("*.jpg")) == files


@pytest.mark.parametrize(("data", "error_start"), [
    pytest.param(b"kein Bild", "PhotoNotAnImage: ", id="not-an-image"),
    pytest.param(_encode(_pattern((320, 240)), "JPEG")[:3000], "OSError: image file is truncated", id="truncated"),
])
@pytest.mark.django_db
def test_process_failure_marks_photo_failed(data, error_start):
    photo = _photo_make(data)

    photo_process(photo=photo)

    photo.refresh_from_db()
    assert photo.processing == ReportPhoto.Processing.FAILED
    assert photo.processing_error.startswith(error_start)
    assert not photo.image and not photo.thumbnail


@pytest.mark.django_db
def test_process_missing_original_marks_photo_failed():
    photo = _photo_make(_encode(_halves(), "JPEG"))
    photo.original.storage.delete(photo.original.name)

    photo_process(photo=photo)

    photo.refresh_from_db()
    assert photo.processing == ReportPhoto.Processing.FAILED
    assert photo.processing_error.startswith("original missing")


@pytest.mark.django_db
def test_process_refuses_bomb_original():
    photo = _photo_make(_png_declaring(8000, 8000))

    photo_process(photo=photo)

    photo.refresh_from_db()
    assert photo.processing == ReportPhoto.Processing.FAILED
    assert photo.processing_error.startswith("PhotoTooManyPixels: ")


# --- photo_blur -----------------------------------------------------------------------------


def _pixels(field_file) -> Image.Image:
    return Image.open(io.BytesIO(_read(field_file))).convert("L")


@pytest.mark.django_db
def test_blur_whole_image_replaces_derivatives(django_capture_on_commit_callbacks):
    photo = _photo_make(_encode(_pattern((320, 240)), "JPEG", exif=_exif(lon=LON, lat=LAT)))
    photo_process(photo=photo)
    sharp, old_names = _pixels(photo.image), (photo.image.name, photo.thumbnail.name)

    with django_capture_on_commit_callbacks(execute=True):
        photo_blur(photo=photo)

    photo.refresh_from_db()
    assert photo.processing == ReportPhoto.Processing.DONE
    assert photo.image.name not in old_names and photo.thumbnail.name not in old_names
    assert not any(photo.image.storage.exists(name) for name in old_names)
    blurred = _pixels(photo.image)
    assert blurred.size == sharp.size
    assert ImageStat.Stat(blurred).stddev[0] < ImageStat.Stat(sharp).stddev[0] / 2
    raw = _read(photo.image)
    assert b"Exif" not in raw and len(Image.open(io.BytesIO(raw)).getexif()) == 0


@pytest.mark.django_db
def test_blur_box_only_blurs_that_area():
    photo = _photo_make(_encode(_pattern((320, 240)), "JPEG"))
    photo_process(photo=photo)
    sharp = _pixels(photo.image)

    photo_blur(photo=photo, box=(0.0, 0.0, 0.5, 1.0))  # left half of the displayed picture

    blurred = _pixels(photo.image)
    left, right = (0, 0, 144, 240), (192, 0, 320, 240)  # away from the edge and its JPEG blocks
    assert ImageStat.Stat(blurred.crop(left)).stddev[0] < ImageStat.Stat(sharp.crop(left)).stddev[0] / 2
    assert ImageChops.difference(blurred.crop(right), sharp.crop(right)).getextrema()[1] <= 2


@pytest.mark.parametrize("box", [(0.5, 0, 0.4, 1), (0, 0, 1.2, 1), (0, 0, 1), ("a", 0, 1, 1)])
@pytest.mark.django_db
def test_blur_rejects_malformed_box(box):
    photo = _photo_make(_encode(_halves(), "JPEG"))

    with pytest.raises(ValueError, match="box must"):
        photo_blur(photo=photo, box=box)


# --- tasks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_task_processes_photo():
    photo = _photo_make(_encode(_halves(), "JPEG"))

    tasks.photo_process_task.delay(photo.pk)

    photo.refresh_from_db()
    assert photo.processing == ReportPhoto.Processing.DONE
    assert photo.image and photo.thumbnail


@pytest.mark.django_db
def test_task_retries_storage_errors(monkeypatch):
    """Eager Celery re-applies a retried task in-process, unless eager exceptions propagate."""
    from config.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    photo = _photo_make(_encode(_halves(), "JPEG"))
    calls = []

    def flaky_process(*, photo):
        calls.append(photo.pk)
        if len(calls) < 3:
            raise OSError("storage not reachable")
        photo_process(photo=photo)

    monkeypatch.setattr(tasks, "photo_process", flaky_process)

    tasks.photo_process_task.delay(photo.pk)

    photo.refresh_from_db()
    assert calls == [photo.pk] * 3
    assert photo.processing == ReportPhoto.Processing.DONE


@pytest.mark.django_db
def test_task_ignores_deleted_photo():
    tasks.photo_process_task.delay(987654321)


@pytest.mark.django_db
def test_pending_photos_older_than_five_minutes_are_processed():
    data = _encode(_halves(), "JPEG")
    lost, fresh, failed = _photo_make(data), _photo_make(data), _photo_make(b"kaputt")
    ReportPhoto.objects.filter(pk=failed.pk).update(processing=ReportPhoto.Processing.FAILED)
    ReportPhoto.objects.filter(pk__in=[lost.pk, failed.pk]).update(created_at=timezone.now() - timedelta(minutes=6))

    assert tasks.photos_process_pending.delay().get() == 1

    states = dict(ReportPhoto.objects.values_list("pk", "processing"))
    assert states == {
        lost.pk: ReportPhoto.Processing.DONE,
        fresh.pk: ReportPhoto.Processing.PENDING,
        failed.pk: ReportPhoto.Processing.FAILED,
    }
