"""Cases under test: a throwaway case type ("testdienst", prefix "TD") registered with
`register_temporarily`, two departments with one clerk each, private files in tmp."""
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from cases.models import CaseAttachment
from cases.types import CaseType
from portal import hooks
from tests.accounts.conftest import erika, otto  # noqa: F401 (citizen accounts of test_account.py)
from tests.factories import DepartmentFactory, UserFactory

TEST_TYPE = CaseType(
    slug="testdienst",
    reference_prefix="TD",
    statuses=[("new", _("Eingegangen")), ("in_progress", _("In Bearbeitung")), ("waiting", _("Rückfrage")),
              ("done", _("Erledigt")), ("rejected", _("Abgelehnt")), ("merged", _("Dublette"))],
    closed_statuses={"done", "rejected", "merged"},
    transitions={"new": ("in_progress", "rejected"), "in_progress": ("waiting", "done"),
                 "waiting": ("in_progress",), "done": ("in_progress",)},
    initial_status="new",
    sla_days=5,
    merged_status="merged",
    public_labels={"waiting": _("In Bearbeitung")},
)

# Small valid images and documents (bytes), built once.
def image_bytes(fmt: str = "PNG") -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PDF_JS = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj\n"
          b"3 0 obj << /S /JavaScript /JS (app.alert('x')) >> endobj\n%%EOF\n")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def case_type():
    with hooks.register_temporarily("register_case_type", lambda: TEST_TYPE):
        yield TEST_TYPE


@pytest.fixture(autouse=True)
def _private_files(settings):
    from django.core.files.storage import storages

    field = CaseAttachment._meta.get_field("file")
    old = field.storage
    field.storage = storages["private"]  # the tmp private storage of tests/conftest.py
    yield
    field.storage = old


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    roads = DepartmentFactory(slug="tiefbau", name="Tiefbauamt", email="tiefbau@stadt.example")
    parks = DepartmentFactory(slug="gruen", name="Grünflächenamt", email="gruen@stadt.example")
    anna = UserFactory(username="anna", is_staff=True)
    roads.members.add(anna)
    bernd = UserFactory(username="bernd", is_staff=True)
    parks.members.add(bernd)
    return SimpleNamespace(roads=roads, parks=parks, anna=anna, bernd=bernd)


@pytest.fixture
def make_case(org):
    from cases.services import case_create

    def make(**kwargs):
        values = {"service": "testdienst", "department": org.roads, "title": "Lärm an der Baustelle",
                  "description": "Seit Tagen laut", "contact_name": "Erika Muster",
                  "contact_email": "erika@example.org", "data": {"geburtsdatum": "1970-01-01"},
                  "form_version": "testdienst@1"}
        values.update(kwargs)
        case, _created = case_create(**values)
        return case

    return make
