"""Fixtures of the eforms tests: the two shipped definitions as versions in the database,
a small definition with one field of a kind, and uploads (JPEG, PDF)."""
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

DEFINITIONS = Path(__file__).resolve().parents[2] / "eforms" / "definitions"


def definition_json(name: str) -> dict:
    return json.loads((DEFINITIONS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def haushalt(db):
    from eforms.services import form_definition_create

    return form_definition_create(slug="demo-haushalt", definition=definition_json("demo-haushalt"))


@pytest.fixture
def anliegen(db):
    from eforms.services import form_definition_create

    return form_definition_create(slug="anliegen", definition=definition_json("anliegen"))


def one_field(field: dict, **extra) -> dict:
    """A definition with a single field (plus `extra` fields before it, e.g. a condition's control)."""
    return {"title": {"de": "Test"}, "sections": [
        {"key": "s", "legend": {"de": "Teil"}, "fields": [*extra.get("before", []), field]}]}


def jpeg_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes(extra: bytes = b"") -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + extra + b">>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def citizen(db):
    from tests.factories import UserFactory

    return UserFactory(is_staff=False)
