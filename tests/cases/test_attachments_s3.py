"""Case attachments on object storage (real S3 server, tests/fixtures_s3.py): stored in the
private bucket, handed out only to the case's clerks, as a presigned download."""
from urllib.error import HTTPError
from urllib.request import urlopen

from cases import services

from .conftest import PDF, upload


def test_attachment_lands_in_the_private_bucket_and_downloads_presigned(org, client, s3_storages):
    case, _created = services.case_create(service="testdienst", department=org.roads,
                                          attachments=[upload("Antrag März.pdf", PDF)])
    attachment = case.attachments.get()
    listing = s3_storages.client.list_objects_v2(Bucket=s3_storages.private_bucket, Prefix=f"cases/{case.pk}/")
    assert [item["Key"] for item in listing["Contents"]] == [attachment.file.name]
    public = s3_storages.client.list_objects_v2(Bucket=s3_storages.public_bucket, Prefix="cases/")
    assert public.get("Contents", []) == []

    client.force_login(org.bernd)  # Grünflächenamt: not this case's department
    assert client.get(f"/sachbearbeitung/vorgaenge/dateien/{attachment.pk}/").status_code == 404

    client.force_login(org.anna)
    response = client.get(f"/sachbearbeitung/vorgaenge/dateien/{attachment.pk}/")
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    with urlopen(response["Location"], timeout=30) as download:
        assert download.read() == PDF
        assert download.headers["Content-Type"] == "application/pdf"
        assert download.headers["Content-Disposition"] == (
            "attachment; filename=\"Antrag M_rz.pdf\"; filename*=UTF-8''Antrag%20M%C3%A4rz.pdf")

    # Without the signature the object is not readable.
    try:
        urlopen(f"{s3_storages.endpoint}/{s3_storages.private_bucket}/{attachment.file.name}", timeout=30)
    except HTTPError as exc:
        assert exc.code == 403
    else:
        raise AssertionError("private object readable without signature")
