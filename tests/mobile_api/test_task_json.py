"""The task JSON built by PostgreSQL (mobile_api.task_json) is field for field what TaskSerializer
documents and renders — in German and English, in any time zone, with and without microseconds,
with photos in every state and without a crew."""
import json
from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point
from django.db.models import Prefetch
from django.utils import timezone, translation
from rest_framework.test import APIRequestFactory

from mobile_api import selectors
from mobile_api.serializers import TaskSerializer
from reporter.models import Report, ReportPhoto, StatusChange
from tests.factories import CategoryFactory

from .conftest import task_make

pytestmark = pytest.mark.django_db


def reference(pk: int, *, request, distance_m=None) -> dict:
    """The task as TaskSerializer renders it from the ORM (what the API sent before it was built in SQL)."""
    photos = (ReportPhoto.objects.filter(processing="done").exclude(moderation="rejected").order_by("id"))
    history = StatusChange.objects.order_by("created_at", "id")
    report = (Report.objects.select_related("category", "crew", "department")
              .prefetch_related(Prefetch("photos", queryset=photos, to_attr="crew_photos"),
                                Prefetch("history", queryset=history, to_attr="crew_history"))
              .get(pk=pk))
    report.distance_m = distance_m
    return json.loads(json.dumps(TaskSerializer(report, context={"request": request}).data))


@pytest.fixture
def rich_task(world):
    category = CategoryFactory(slug="laterne", name="Straßenlaterne", name_en="Street light", icon="lamp",
                               default_department=world.dep_a)
    task = task_make(crew=world.crew_a, category=category, description="Flackert „stark“ \\ nachts\n2. Zeile",
                     location_text='vor "Haus" 3', lon=12.0712345678, lat=50.8812345678)
    StatusChange.objects.create(report=task, from_status="submitted", to_status="open", note_public="Danke",
                                note_internal="intern")
    StatusChange.objects.create(report=task, from_status="open", to_status="open", kind="assignment")
    for image, thumbnail, processing, moderation in [
        ("reports/1/a1b2.jpg", "reports/1/t1.jpg", "done", "pending"),
        ("reports/1/c3d4.jpg", "", "done", "approved"),
        ("", "", "pending", "pending"),
        ("reports/1/r.jpg", "reports/1/rt.jpg", "done", "rejected"),
        ("", "", "failed", "pending"),
    ]:
        ReportPhoto.objects.create(report=task, content_type="image/jpeg", original_bytes=1, original="o/x",
                                   image=image, thumbnail=thumbnail, processing=processing, moderation=moderation,
                                   kind="before")
    # One timestamp without microseconds: DRF (isoformat) leaves the fraction out then.
    Report.objects.filter(pk=task.pk).update(created_at=datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),
                                             assigned_at=datetime(2026, 10, 25, 1, 30, 0, 250000, tzinfo=UTC))
    return task


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "America/St_Johns", "Asia/Kolkata"])
def test_sql_json_is_what_the_serializer_renders(world, rich_task, language, zone):
    request = APIRequestFactory().get("/api/mobile/v1/tasks")
    media_url = request.build_absolute_uri("/media/")
    with translation.override(language), timezone.override(zone):
        expected = reference(rich_task.pk, request=request)
        got = json.loads(selectors.task_json_get_for_user(user=world.worker_a, pk=rich_task.pk,
                                                          media_url=media_url).text)
        [near_text], _more = selectors.task_page_json(user=world.worker_a, media_url=media_url, offset=0, limit=5,
                                                      near=Point(12.07, 50.88, srid=4326))
        [(_pk, distance)] = selectors.task_list_for_user(user=world.worker_a, near=Point(12.07, 50.88, srid=4326))
        expected_near = reference(rich_task.pk, request=request, distance_m=distance)
    assert got == expected
    assert json.loads(near_text) == expected_near
    assert list(got) == list(expected)  # also the order of the fields
    # The details the comparison is about, spelt out once.
    assert got["category"]["name"] == ("Street light" if language == "en" else "Straßenlaterne")
    assert got["status_label"] == ("open" if language == "en" else "offen")
    assert got["location"] == {"type": "Point", "coordinates": [12.071235, 50.881235]}
    assert [p["url"] for p in got["photos"]] == ["http://testserver/media/reports/1/a1b2.jpg",
                                                 "http://testserver/media/reports/1/c3d4.jpg"]
    assert got["photos"][1]["thumbnail_url"] is None
    assert len(got["notes"]) == 2
    assert json.loads(near_text)["distance_m"] == round(distance, 1)
    if zone == "Europe/Berlin":
        assert (got["created_at"], got["assigned_at"]) == ("2026-03-29T01:59:59+01:00",
                                                           "2026-10-25T02:30:00.250000+01:00")
    if zone == "UTC":
        assert got["created_at"] == "2026-03-29T00:59:59Z"


def test_a_task_handed_back_has_no_crew_and_no_actions(world, rich_task):
    Report.objects.filter(pk=rich_task.pk).update(crew=None)
    request = APIRequestFactory().get("/")
    got = json.loads(selectors.task_json_after_write(pk=rich_task.pk, media_url="http://testserver/media/").text)
    assert got == reference(rich_task.pk, request=request)
    assert (got["crew"], got["allowed_actions"], got["distance_m"]) == (None, [], None)
