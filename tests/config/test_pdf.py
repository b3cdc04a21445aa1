"""The one PDF check (`config.pdf`): active content refused in plain and compressed objects,
with #xx-escaped names, and a stream too large once inflated; an opening destination (what
fpdf2 writes) and a plain PDF pass. Both upload paths use it."""
import zlib

import pytest
from fpdf import FPDF

from config.pdf import pdf_active_content


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\n%%EOF\n"


def _fpdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica")
    document.cell(text="Meldebescheinigung")
    return bytes(document.output())


def test_a_generated_pdf_with_an_opening_destination_passes():
    content = _fpdf()
    assert b"/OpenAction" in content and b"/OpenAction [" in content
    assert pdf_active_content(content) is None


@pytest.mark.parametrize(("body", "found"), [
    (b"1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj", "OpenAction"),  # a reference: may be an action
    (b"1 0 obj << /Type /Catalog /OpenAction << /S /GoTo /D [2 0 R /Fit] >> >> endobj", "OpenAction"),
    (b"1 0 obj << /Names << /JavaScript 2 0 R >> >> endobj", "JavaScript"),
    (b"1 0 obj << /Names << /#4Aava#53cript 2 0 R >> >> endobj", "JavaScript"),  # escaped name
    (b"1 0 obj << /Type /Action /S /Launch /F (cmd.exe) >> endobj", "Launch"),
    (b"1 0 obj << /Type /Page /AA << /O 3 0 R >> >> endobj", "AA"),
    (b"1 0 obj << /Type /Catalog /Names << /EmbeddedFiles 4 0 R >> >> endobj", "EmbeddedFiles"),
])
def test_active_content_is_found(body, found):
    assert pdf_active_content(_pdf(body)) == found


def test_active_content_in_a_compressed_object_stream_is_found():
    hidden = zlib.compress(b"5 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj")
    content = _pdf(b"4 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\n" + hidden + b"\nendstream endobj")
    assert b"JavaScript" not in content
    assert pdf_active_content(content) == "JavaScript"


def test_a_stream_larger_than_the_limit_once_inflated_is_refused():
    bomb = zlib.compress(b"0" * 100_000)
    content = _pdf(b"4 0 obj << /Filter /FlateDecode >> stream\n" + bomb + b"\nendstream endobj")
    assert pdf_active_content(content, max_inflated=10_000) == "oversized stream"
    assert pdf_active_content(content) is None


def test_case_attachments_and_form_uploads_take_a_generated_certificate():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.attachments import attachment_validate
    from eforms.uploads import upload_validate

    content = _fpdf()
    info = attachment_validate(upload=SimpleUploadedFile("bescheinigung.pdf", content))
    assert info.content_type == "application/pdf"
    upload = SimpleUploadedFile("nachweis.pdf", content)
    assert upload_validate(upload=upload, accept=["application/pdf"], max_bytes=10_000_000) == "application/pdf"
