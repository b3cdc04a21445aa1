"""config.queueing: a task is published after commit, never for a rolled-back write, and a
broker outage neither fails the write nor loses the work (beat re-queues the pending row)."""
import contextlib
import json
import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from config.queueing import task_enqueue, task_enqueue_on_commit
from opendata.geo.services import GEO_INGEST_STALE_AFTER, geo_ingests_requeue_stale
from opendata.models import Resource, ResourceFeature
from opendata.services import resource_file_store
from opendata.tasks import resource_geo_ingest_task, resources_geo_ingest_requeue_task
from tests.fixtures_worker import celery_broker
from tests.opendata.factories import DatasetFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

GEOJSON = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [12.08, 50.88]}, "properties": {"n": 1}}]})


@pytest.fixture
def org(db):
    return OrganizationFactory(name="tiefbauamt", title="Tiefbauamt")


def upload(org) -> Resource:
    resource = Resource(package=DatasetFactory(owner_org=org), name="punkte.geojson")
    with transaction.atomic():
        resource_file_store(resource=resource, upload=SimpleUploadedFile("punkte.geojson", GEOJSON.encode()))
        resource.save()
    return resource


def test_broker_down_commits_the_write_and_beat_requeues_it_later(org, django_capture_on_commit_callbacks, caplog):
    # A real publish to a closed port: kombu gives up after the publish retry policy.
    with celery_broker("redis://127.0.0.1:1/0"), caplog.at_level(logging.WARNING, logger="config.queueing"), \
            django_capture_on_commit_callbacks(execute=True) as callbacks:
        resource = upload(org)  # does not raise
    assert len(callbacks) == 1
    resource.refresh_from_db()
    assert resource.geo_ingest["status"] == "pending"
    assert not ResourceFeature.objects.filter(resource=resource).exists()
    assert f"could not queue opendata.tasks.resource_geo_ingest_task('{resource.pk}', " in caplog.text

    # Beat leaves a fresh pending ingest alone (its task may still be on its way) …
    assert resources_geo_ingest_requeue_task.delay().get() == 0
    # … and publishes it again once it is stale; the broker is back (eager here).
    Resource.objects.filter(pk=resource.pk).update(geo_ingest={
        "status": "pending", "queued_at": (timezone.now() - GEO_INGEST_STALE_AFTER - timedelta(seconds=1)).isoformat()})
    assert resources_geo_ingest_requeue_task.delay().get() == 1
    resource.refresh_from_db()
    assert resource.geo_ingest["status"] == "ok"
    assert ResourceFeature.objects.filter(resource=resource).count() == 1
    assert resources_geo_ingest_requeue_task.delay().get() == 0


def test_requeue_with_broker_still_down_keeps_the_row_pending(org, django_capture_on_commit_callbacks):
    with celery_broker("redis://127.0.0.1:1/0"):
        with django_capture_on_commit_callbacks(execute=True):
            resource = upload(org)
        later = timezone.now() + GEO_INGEST_STALE_AFTER + timedelta(minutes=1)
        assert geo_ingests_requeue_stale(now=later) == 0
    resource.refresh_from_db()
    assert resource.geo_ingest["status"] == "pending"


def test_rolled_back_write_publishes_nothing(monkeypatch):
    published = []
    monkeypatch.setattr(resource_geo_ingest_task, "apply_async", lambda *a, **kw: published.append((a, kw)))
    with contextlib.suppress(RuntimeError), transaction.atomic():
        task_enqueue_on_commit(resource_geo_ingest_task, "id", "hash")
        raise RuntimeError("the write failed")
    assert published == []


def test_committed_write_publishes_once_with_its_arguments(monkeypatch, django_capture_on_commit_callbacks):
    published = []
    monkeypatch.setattr(resource_geo_ingest_task, "apply_async", lambda *a, **kw: published.append((a, kw)))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        task_enqueue_on_commit("opendata.tasks.resource_geo_ingest_task", "id", "hash", countdown=5)
        assert published == []  # not before the commit
    assert published == [((), {"args": ("id", "hash"), "kwargs": {}, "countdown": 5})]


def test_task_enqueue_reports_failure_instead_of_raising(monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(resource_geo_ingest_task, "apply_async", broker_down)
    assert task_enqueue(resource_geo_ingest_task, "id") is False
