"""POST/GET /api/v1/reports/ with input that once gave 500: non-object JSON bodies, huge
offsets, impossible dates, concurrent re-sends with one submission_key, photos of 5–100 MB;
and JSON bodies for /api 404 and 500."""
import io

import pytest
from django.test import Client
from PIL import Image

from reporter import services
from reporter.models import Report, ReportPhoto
from tests.reporter.images import upload

pytestmark = pytest.mark.django_db

INSIDE = {"lon": 12.05, "lat": 50.875}
MB = 1024 * 1024


def jpeg_padded(total_bytes: int) -> bytes:
    """A valid JPEG of about `total_bytes`: a small image padded with APP15 segments (each
    at most 65,533 bytes of payload), as cameras pad with maker notes and thumbnails."""
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buf, "JPEG")
    image = buf.getvalue()
    segments, left = [], max(0, total_bytes - len(image))
    while left > 4:
        payload = min(65533, left - 4)
        segments.append(b"\xff\xef" + (payload + 2).to_bytes(2, "big") + b"\x00" * payload)
        left -= payload + 4
    return image[:2] + b"".join(segments) + image[2:]


@pytest.mark.parametrize("body", ["true", "[1,2]", "null", '"text"', "42"])
def test_json_body_that_is_not_an_object_is_400(city, api_client, body):
    response = api_client.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Der Inhalt der Anfrage muss ein JSON-Objekt sein."}
    assert Report.objects.count() == 0


def test_offset_beyond_bigint_is_400(city, api_client):
    response = api_client.get("/api/v1/reports/", {"offset": "99999999999999999999"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["offset"]


@pytest.mark.parametrize("param", ["created_after", "created_before"])
def test_impossible_date_is_400_with_message(city, api_client, param):
    response = api_client.get("/api/v1/reports/", {param: "2020-13-01"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Ungültiges Datum (ISO 8601 erwartet).",
                               "errors": {param: ["Ungültiges Datum (ISO 8601 erwartet)."]}}


def test_concurrent_resend_with_one_submission_key_answers_the_stored_report(city, api_client, monkeypatch):
    """The race of two sends: the other request commits its report between our look-up of
    the key and our insert, so the unique index refuses ours. We answer with its report."""
    route = services._route
    stored = {}

    def route_while_other_request_commits(**kwargs):
        decision = route(**kwargs)
        monkeypatch.setattr(services, "_route", route)  # the other request routes normally
        stored["report"] = services.report_create(
            category=city.category, point=kwargs["point"], description="Erste Sendung",
            submission_key="3f1c0e8a-outbox-0042")
        return decision

    monkeypatch.setattr(services, "_route", route_while_other_request_commits)
    payload = {"category": "schlagloch", **INSIDE, "description": "Erste Sendung",
               "submission_key": "3f1c0e8a-outbox-0042"}
    response = api_client.post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 200
    assert response.json()["id"] == stored["report"].pk
    assert Report.objects.count() == 1


@pytest.mark.parametrize("megabytes", [5.5, 14.5])
def test_valid_photo_of_5_to_15_mb_is_accepted(city, api_client, megabytes):
    """Above FILE_UPLOAD_MAX_MEMORY_SIZE (5 MB) the upload is a temporary file, which the
    view once tried to deep-copy (TypeError: cannot pickle '_io.BufferedRandom')."""
    content = jpeg_padded(int(megabytes * MB))
    response = api_client.post("/api/v1/reports/", {"category": "schlagloch", **INSIDE, "description": "Loch",
                                                    "photos": [upload(content)]}, format="multipart")
    assert response.status_code == 201, response.content[:300]
    assert ReportPhoto.objects.get().report_id == response.json()["id"]


@pytest.mark.parametrize("megabytes", [16, 100])
def test_photo_above_the_limit_is_413_json(city, api_client, megabytes):
    content = jpeg_padded(megabytes * MB)
    response = api_client.post("/api/v1/reports/", {"category": "schlagloch", **INSIDE, "description": "Loch",
                                                    "photos": [upload(content)]}, format="multipart")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"]["photos"][0].startswith("Das Foto ist zu groß")
    assert Report.objects.count() == 0


def test_json_body_above_the_upload_limit_is_413_json(city, api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_client.post("/api/v1/reports/", {"category": "schlagloch", **INSIDE, "description": "x" * 2000},
                               format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Die Anfrage ist zu groß."}


def test_api_404_is_json(db):
    response = Client().get("/api/v1/gibt-es-nicht")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Diese Seite oder Ressource gibt es nicht."}


def test_api_500_is_json(city, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("reporter.selectors.report_get_public", broken)
    response = Client(raise_request_exception=False).get("/api/v1/reports/1/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später noch einmal."}


def test_page_404_is_html(db):
    response = Client().get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Nicht gefunden" in response.content.decode()
