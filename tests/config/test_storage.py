"""Object storage (`config.storage`, `config.private_files`) against a real S3 server
(SeaweedFS on localhost, tests/fixtures_s3.py): where photos and exports land, what is
public, and how private files leave the private bucket.

Positions are WGS 84 lon/lat (EPSG:4326).
"""
import hashlib
import io
from datetime import timedelta
from urllib.error import HTTPError
from urllib.request import urlopen

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from config.storage import storage_file_replace, storages_from_env
from reporter.models import ReportPhoto
from reporter.photos import photo_process
from tests.factories import DepartmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def _get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urlopen(url, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF holds a GPS position (12.08 E, 50.87 N) and a camera model."""
    exif = Image.Exif()
    exif[0x0110] = "Kamera-Modell-XY"
    exif[0x8825] = {1: "N", 2: (IFDRational(50, 1), IFDRational(52, 1), IFDRational(0, 1)),
                    3: "E", 4: (IFDRational(12, 1), IFDRational(5, 1), IFDRational(0, 1))}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _keys(server, bucket: str) -> set[str]:
    listing = server.client.list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in listing.get("Contents", [])}


# --- configuration --------------------------------------------------------------------------


def _env(monkeypatch, **values):
    for key in ("STORAGE_BACKEND", "S3_ENDPOINT_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET", "S3_PUBLIC_URL"):
        monkeypatch.delenv(key, raising=False)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return environ.Env()


def test_local_disk_is_the_default(monkeypatch, tmp_path):
    result = storages_from_env(_env(monkeypatch), private_root=tmp_path)
    assert result == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path), "base_url": None}},
    }


def test_an_endpoint_switches_to_s3_with_signed_private_and_unsigned_public_urls(monkeypatch, tmp_path):
    result = storages_from_env(_env(monkeypatch, S3_ENDPOINT_URL="http://s3.example:8333", S3_PUBLIC_BUCKET="pub",
                                    S3_PRIVATE_BUCKET="priv", S3_PUBLIC_URL="https://bilder.stadt.example/"),
                               private_root=tmp_path)
    public, private = result["default"]["OPTIONS"], result["private"]["OPTIONS"]
    assert result["default"]["BACKEND"] == result["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (public["bucket_name"], public["querystring_auth"], public["custom_domain"], public["url_protocol"]) == (
        "pub", False, "bilder.stadt.example", "https:")
    assert (private["bucket_name"], private["querystring_auth"], private["querystring_expire"]) == ("priv", True, 60)
    assert public["default_acl"] is None and private["default_acl"] is None  # never an object ACL


@pytest.mark.parametrize("values, message", [
    ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be one of filesystem, s3, not 'ftp'."),
    ({"STORAGE_BACKEND": "s3", "S3_PUBLIC_BUCKET": "pub"}, "STORAGE_BACKEND=s3 needs S3_PUBLIC_BUCKET and "
     "S3_PRIVATE_BUCKET, two different buckets (the private one must never be readable anonymously)."),
    ({"STORAGE_BACKEND": "s3", "S3_PUBLIC_BUCKET": "b", "S3_PRIVATE_BUCKET": "b"}, "STORAGE_BACKEND=s3 needs "
     "S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET, two different buckets (the private one must never be readable "
     "anonymously)."),
])
def test_misconfiguration_fails_early(monkeypatch, tmp_path, values, message):
    with pytest.raises(ImproperlyConfigured) as exc:
        storages_from_env(_env(monkeypatch, **values), private_root=tmp_path)
    assert str(exc.value) == message


# --- report photos --------------------------------------------------------------------------


def test_photo_original_lands_private_and_its_derivatives_public_without_exif(s3_storages):
    data = _jpeg_with_gps()
    photo = ReportPhoto(report=ReportFactory(), content_type="image/jpeg", original_bytes=len(data))
    photo.original.save("original", ContentFile(data), save=False)
    photo.save()
    photo_process(photo=photo)
    photo.refresh_from_db()
    assert photo.processing == ReportPhoto.Processing.DONE

    assert photo.original.name in _keys(s3_storages, s3_storages.private_bucket)
    assert photo.original.name not in _keys(s3_storages, s3_storages.public_bucket)
    assert {photo.image.name, photo.thumbnail.name} <= _keys(s3_storages, s3_storages.public_bucket)
    stored = s3_storages.client.get_object(Bucket=s3_storages.private_bucket, Key=photo.original.name)["Body"].read()
    assert stored == data

    # The public derivative is readable without credentials, and carries no EXIF at all.
    assert photo.image.url == f"{s3_storages.endpoint}/{s3_storages.public_bucket}/{photo.image.name}"
    status, body, _headers = _get(photo.image.url)
    assert status == 200
    assert b"Exif" not in body and b"Kamera-Modell-XY" not in body
    with Image.open(io.BytesIO(body)) as img:
        assert dict(img.getexif()) == {}
    # The original is not, not even at its would-be public address.
    status, _body, _headers = _get(f"{s3_storages.endpoint}/{s3_storages.private_bucket}/{photo.original.name}")
    assert status == 403


def test_private_photo_leaves_only_through_a_short_lived_presigned_url(s3_storages, client, time_machine):
    data = _jpeg_with_gps()
    report = ReportFactory()
    photo = ReportPhoto(report=report, content_type="image/jpeg", original_bytes=len(data))
    photo.original.save("original", ContentFile(data), save=False)
    photo.save()
    clerk = UserFactory(is_staff=True)
    report.department.members.add(clerk)
    other = UserFactory(is_staff=True)  # a clerk of another department
    DepartmentFactory(slug="gruen", name="Grünflächenamt").members.add(other)

    client.force_login(other)
    assert client.get(f"/sachbearbeitung/fotos/{photo.pk}/original/").status_code == 404

    client.force_login(clerk)
    response = client.get(f"/sachbearbeitung/fotos/{photo.pk}/original/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    assert url.startswith(f"{s3_storages.endpoint}/{s3_storages.private_bucket}/{photo.original.name}?")
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url
    status, body, headers = _get(url)
    assert (status, body, headers["Content-Type"]) == (200, data, "image/jpeg")
    name = f"original-{photo.pk}"
    assert headers["Content-Disposition"] == f"inline; filename=\"{name}\"; filename*=UTF-8''{name}"

    # A URL signed two minutes ago (TTL 60 s) has expired: S3 refuses it.
    time_machine.move_to(timezone.now() - timedelta(minutes=2), tick=False)
    expired = client.get(f"/sachbearbeitung/fotos/{photo.pk}/original/")["Location"]
    time_machine.move_to(timezone.now() + timedelta(minutes=2), tick=False)
    status, body, _headers = _get(expired)
    assert status == 403 and b"expired" in body.lower()


# --- exports ---------------------------------------------------------------------------------


def test_large_file_is_uploaded_in_parts_streamed_from_disk(s3_storages, tmp_path):
    from django.core.files.storage import storages

    local = tmp_path / "gross.bin"
    chunk = bytes(range(256)) * 4096  # 1 MiB
    with local.open("wb") as fh:
        for _ in range(11):
            fh.write(chunk)
    digest = hashlib.sha256(local.read_bytes()).hexdigest()
    storage_file_replace(storages["private"], "opendata/test/gross.bin", local)
    assert not local.exists()
    head = s3_storages.client.head_object(Bucket=s3_storages.private_bucket, Key="opendata/test/gross.bin")
    # An ETag "<md5 of the part md5s>-<parts>" marks a multipart upload: 11 MiB in 5 MiB parts.
    assert head["ETag"].strip('"').endswith("-3") and head["ContentLength"] == 11 * 1024 * 1024
    body = s3_storages.client.get_object(Bucket=s3_storages.private_bucket, Key="opendata/test/gross.bin")["Body"]
    assert hashlib.sha256(body.read()).hexdigest() == digest


def test_export_lands_in_s3_and_downloads_through_the_view(s3_storages, client):
    from opendata.exports.services import exports_rebuild
    from opendata.models import Dataset

    ReportFactory()
    results = exports_rebuild(dataset_name="meldungen")
    assert [(r.name, r.error) for r in results] == [("meldungen", "")]
    dataset = Dataset.objects.get(name="meldungen")
    resources = list(dataset.resources.order_by("position"))
    assert [r.format for r in resources] == ["GeoJSON", "CSV", "GPKG"]
    private_keys = _keys(s3_storages, s3_storages.private_bucket)
    assert {r.upload.name for r in resources} <= private_keys
    assert not {r.upload.name for r in resources} & _keys(s3_storages, s3_storages.public_bucket)

    geojson = resources[0]
    response = client.get(f"/dataset/{dataset.id}/resource/{geojson.pk}/download/{geojson.filename}")
    assert response.status_code == 302
    status, body, headers = _get(response["Location"])
    assert status == 200 and hashlib.sha256(body).hexdigest() == geojson.hash and len(body) == geojson.size
    assert headers["Content-Type"] == "application/geo+json"
    assert headers["Content-Disposition"].startswith(f'attachment; filename="{geojson.filename}"')

    # A second rebuild keeps the objects whose content is unchanged (same SHA-256: nothing uploaded;
    # a GeoPackage carries its build time, so it is uploaded again).
    again = exports_rebuild(dataset_name="meldungen")
    assert again[0].error == "" and again[0].files["GeoJSON"][1] is False and again[0].files["CSV"][1] is False
    assert {r.upload.name for r in dataset.resources.all()} <= _keys(s3_storages, s3_storages.private_bucket)


def test_pages_may_load_images_from_object_storage(s3_storages, client):
    policy = client.get("/sachbearbeitung/anmelden/")["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src")).split()
    assert img_src[-1] == s3_storages.endpoint  # public derivatives and presigned originals


def test_pages_load_images_only_from_us_on_the_local_disk(client):
    policy = client.get("/sachbearbeitung/anmelden/")["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src")).split()
    assert "http://127.0.0.1" not in " ".join(img_src) and "'self'" in img_src
