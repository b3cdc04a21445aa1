"""Case attachments: PDF, JPEG and PNG only, size cap, no active content; a refused upload
leaves nothing written."""
import pytest

from cases import services
from cases.attachments import attachment_validate
from cases.errors import AttachmentRefused, AttachmentTooLarge, AttachmentUnsupported, CaseInputError
from cases.models import Case, CaseAttachment, CaseMessage
from notifications.models import Notification

from .conftest import JPEG, PDF, PDF_JS, PNG, upload


@pytest.mark.parametrize(("content", "content_type"), [(PDF, "application/pdf"), (PNG, "image/png"),
                                                        (JPEG, "image/jpeg")])
def test_allowed_types_are_sniffed_from_the_content(content, content_type):
    info = attachment_validate(upload=upload("whatever.bin", content))
    assert info.content_type == content_type
    assert info.size == len(content)


@pytest.mark.parametrize("content", [
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    b"GIF89a\x01\x00\x01\x00",
    b"plain text",
])
def test_other_types_are_415(content):
    with pytest.raises(AttachmentUnsupported) as exc:
        attachment_validate(upload=upload("bild.png", content, "image/png"))
    assert exc.value.status_code == 415
    assert exc.value.message == "Erlaubt sind nur PDF-, JPEG- und PNG-Dateien."


@pytest.mark.parametrize("content", [
    PDF_JS,
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Names << /#4Aava#53cript 2 0 R >> >> endobj\n%%EOF",  # hex-escaped name
    b"%PDF-1.7\n1 0 obj << /Type /Action /S /Launch /F (cmd.exe) >> endobj\n%%EOF",
])
def test_pdf_with_active_content_is_refused(content):
    with pytest.raises(AttachmentRefused) as exc:
        attachment_validate(upload=upload("brief.pdf", content, "application/pdf"))
    assert exc.value.status_code == 400
    assert exc.value.message == "PDF-Dateien mit JavaScript oder automatischen Aktionen sind nicht erlaubt."


def test_too_large_is_413(settings):
    settings.CASES = {**settings.CASES, "ATTACHMENT_MAX_BYTES": 100}
    with pytest.raises(AttachmentTooLarge) as exc:
        attachment_validate(upload=upload("gross.pdf", PDF + b" " * 200))
    assert exc.value.status_code == 413


def test_too_many_files_is_400(settings):
    settings.CASES = {**settings.CASES, "ATTACHMENT_MAX_PER_UPLOAD": 1}
    from cases.attachments import attachments_validate

    with pytest.raises(CaseInputError) as exc:
        attachments_validate(uploads=[upload("a.pdf", PDF), upload("b.pdf", PDF)])
    assert exc.value.message == "Höchstens 1 Dateien auf einmal."


def test_create_with_attachments_stores_them_privately(org):
    case, _created = services.case_create(service="testdienst", department=org.roads,
                                          attachments=[upload("antrag.pdf", PDF), upload("foto.png", PNG)])
    stored = list(case.attachments.order_by("pk"))
    assert [(a.original_name, a.content_type, a.uploaded_by) for a in stored] == [
        ("antrag.pdf", "application/pdf", "citizen"), ("foto.png", "image/png", "citizen")]
    assert stored[0].file.read() == PDF
    assert stored[0].file.name.startswith(f"cases/{case.pk}/")
    assert str(stored[0].file.storage.location).endswith("private")  # STORAGES["private"], never served


def test_refused_attachment_on_create_writes_nothing(org):
    with pytest.raises(AttachmentRefused):
        services.case_create(service="testdienst", department=org.roads, submission_key="k1",
                             attachments=[upload("ok.pdf", PDF), upload("boese.pdf", PDF_JS)])
    assert Case.objects.count() == 0
    assert CaseAttachment.objects.count() == 0


def test_refused_attachment_on_message_writes_nothing(make_case):
    case = make_case()
    with pytest.raises(AttachmentUnsupported):
        services.case_message_add_by_token(token=case.tracking_token, body="Anbei",
                                           attachments=[upload("x.svg", b"<svg></svg>", "image/svg+xml")])
    assert CaseMessage.objects.count() == 0
    assert CaseAttachment.objects.count() == 0
    assert Notification.objects.count() == 0
