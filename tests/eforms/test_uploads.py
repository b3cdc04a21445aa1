"""Uploads in form fields: type sniffed from the content, size from the field, images through
the report photo checks, PDFs with active content refused; nothing stored on any error."""
import zlib

import pytest
from django.core.files.storage import storages
from django.http import QueryDict

from eforms.models import FormDefinition
from eforms.services import SubmissionInvalid, submission_store
from eforms.uploads import UploadError, pdf_active_content, upload_validate

from .conftest import jpeg_bytes, one_field, pdf_bytes, upload

ACCEPT = ["image/jpeg", "application/pdf"]


def test_a_jpeg_and_a_clean_pdf_pass():
    assert upload_validate(upload=upload("a.jpg", jpeg_bytes()), accept=ACCEPT, max_bytes=10**6) == "image/jpeg"
    assert upload_validate(upload=upload("a.pdf", pdf_bytes()), accept=ACCEPT, max_bytes=10**6) == "application/pdf"


@pytest.mark.parametrize(("name", "content", "accept", "max_bytes", "code", "message"), [
    ("big.jpg", jpeg_bytes(), ACCEPT, 100, "too_large", "Die Datei ist zu groß ("),
    ("x.pdf", b"<html><script>alert(1)</script></html>", ACCEPT, 10**6, "unsupported_type",
     "Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: JPEG, PDF."),
    ("photo.jpg", jpeg_bytes(), ["application/pdf"], 10**6, "unsupported_type",
     "Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: PDF."),
    ("doc.pdf", pdf_bytes(), ["image/jpeg"], 10**6, "unsupported_type",
     "Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: JPEG."),
    ("cut.jpg", jpeg_bytes((400, 300))[:1000], ACCEPT, 10**6, "corrupt", "Die Bilddatei ist beschädigt"),
    ("cut.pdf", pdf_bytes()[:60], ACCEPT, 10**6, "corrupt", "Die PDF-Datei ist beschädigt oder unvollständig."),
])
def test_wrong_type_size_or_damage_is_refused(name, content, accept, max_bytes, code, message):
    with pytest.raises(UploadError) as raised:
        upload_validate(upload=upload(name, content, "image/jpeg"), accept=accept, max_bytes=max_bytes)
    assert raised.value.code == code
    assert raised.value.message.startswith(message)


@pytest.mark.parametrize("active", [
    b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", b"/AA << /O 3 0 R >>", b"/Launch << /F (cmd.exe) >>",
    b"/Names << /EmbeddedFiles 4 0 R >>", b"/OpenAct#69on 5 0 R",
])
def test_a_pdf_with_active_content_is_refused(active):
    with pytest.raises(UploadError) as raised:
        upload_validate(upload=upload("a.pdf", pdf_bytes(active)), accept=ACCEPT, max_bytes=10**6)
    assert raised.value.code == "active_content"
    assert raised.value.message.startswith("Die PDF-Datei enthält aktive Inhalte")


def test_active_content_hidden_in_a_compressed_object_stream_is_found():
    hidden = zlib.compress(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")
    content = pdf_bytes(b"/Extra 9 0 R ") .replace(b"trailer", b"9 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\n"
                                                   b"stream\n" + hidden + b"\nendstream\nendobj\ntrailer")
    assert pdf_active_content(content) == "JavaScript"
    assert pdf_active_content(pdf_bytes()) is None


FILE_FORM = one_field({"key": "doc", "type": "file", "label": {"de": "Nachweis"}, "required": True,
                       "accept": ["application/pdf"], "max_bytes": 2000})


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "message"), [
    (pdf_bytes(b"/OpenAction << /S /JavaScript /JS (x) >>"), "evil.pdf: Die PDF-Datei enthält aktive Inhalte"),
    (jpeg_bytes(), "evil.pdf: Dieser Dateityp ist hier nicht erlaubt. Erlaubt sind: PDF."),
    (pdf_bytes(b"/Pad (" + b"x" * 3000 + b")"), "evil.pdf: Die Datei ist zu groß ("),
])
def test_a_refused_upload_stores_nothing(settings, content, message):
    definition = FormDefinition.objects.create(slug="t", version=1, title="T", definition=FILE_FORM)
    with pytest.raises(SubmissionInvalid) as raised:
        submission_store(definition, QueryDict(), {"doc": upload("evil.pdf", content, "application/pdf")})
    assert raised.value.errors[0][1].startswith(message)
    storage = storages["private"]
    assert not storage.exists("eforms")


def test_a_multiple_file_field_counts_its_files():
    from eforms.rendering import FormBinding

    definition = one_field({"key": "docs", "type": "file", "label": {"de": "Belege"}, "multiple": True,
                            "max_files": 2, "accept": ["image/jpeg"], "max_bytes": 10**6})
    binding = FormBinding(definition, data=QueryDict())
    assert str(binding.form["docs"]) == '<input type="file" name="docs" multiple accept="image/jpeg" id="id_docs">'
    files = QueryDict(mutable=True)
    files.setlist("docs", [upload(f"{i}.jpg", jpeg_bytes(), "image/jpeg") for i in range(3)])
    binding = FormBinding(definition, data=QueryDict(), files=files)
    assert not binding.is_valid()
    assert binding.errors() == [("id_docs", "Bitte laden Sie bei „Belege“ höchstens 2 Dateien hoch.")]
    files.setlist("docs", files.getlist("docs")[:2])
    binding = FormBinding(definition, data=QueryDict(), files=files)
    assert binding.is_valid()
    assert [f.checked_content_type for f in binding.values()["docs"]] == ["image/jpeg", "image/jpeg"]
