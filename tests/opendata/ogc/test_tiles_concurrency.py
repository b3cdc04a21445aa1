"""Writes of the tiles' sources never make two transactions wait for each other through the
tiles' bookkeeping: report writes only append dirty cells (migration 0006), and the writes of
datasets and jurisdiction layers touch no shared row at all (migration 0008: their tiles carry
content ETags). Real transactions on two connections, with a lock_timeout instead of waiting."""
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction

from opendata.auth import Actor
from opendata.geo import services as geo_services
from opendata.geo.services import geo_ingest_run
from opendata.models import Dataset, Resource, ResourceFeature
from opendata.services import dataset_patch, resource_file_store
from tests.concurrency import run_in_threads, run_until_a_lock_wait
from tests.factories import ReportFactory
from tests.opendata.factories import DatasetFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_writers_in_id_order_do_not_deadlock():
    """A changes r1 then r2; B changes r2 then r3 (both in id order, so the report rows alone
    cannot deadlock). With a version row bumped after each statement, A held the row while B
    held r2 and waited for it, and A then waited for r2: a deadlock."""
    r1, r2, r3 = (ReportFactory() for _ in range(3))
    a_first_done, b_first_done = threading.Event(), threading.Event()
    errors = []

    def writer(first, second, mine: threading.Event, other: threading.Event):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '20s'")
                    cursor.execute("UPDATE reporter_report SET status = 'in_progress' WHERE id = %s", [first.pk])
                    mine.set()
                    other.wait(10)
                    cursor.execute("UPDATE reporter_report SET status = 'in_progress' WHERE id = %s", [second.pk])
        except Exception as exc:  # noqa: BLE001 (the test reports any database error)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    a = threading.Thread(target=writer, args=(r1, r2, a_first_done, b_first_done))
    b = threading.Thread(target=writer, args=(r2, r3, b_first_done, a_first_done))
    a.start(), b.start()
    # B's second statement does not wait for A; B commits, then A's second statement proceeds.
    a.join(60), b.join(60)
    assert errors == []
    statuses = set(type(r1).objects.filter(pk__in=[r1.pk, r2.pk, r3.pk]).values_list("status", flat=True))
    assert statuses == {"in_progress"}


def _geojson(names: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("sperrungen.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [12.02 + i / 1000, 50.87]},
         "properties": {"name": name}} for i, name in enumerate(names)]}).encode())


def _resource_with_a_new_file(dataset) -> Resource:
    """A resource of `dataset` ingested once ("alt"), then given a new file not read yet
    ("neu", "neu 2"): the ingest a test runs is a re-ingest."""
    resource = Resource(package=dataset, name="Sperrungen", format="GeoJSON")
    with transaction.atomic():  # the ingest queued on commit runs (eager Celery)
        resource_file_store(resource=resource, upload=_geojson(["alt"]))
        resource.save()
    resource.upload.save("sperrungen-neu.geojson", _geojson(["neu", "neu 2"]), save=False)
    Resource.objects.filter(pk=resource.pk).update(upload=resource.upload.name)
    return resource


def _edit(*, editor, dataset, title: str, lock_timeout: str) -> str:
    """package_patch of `dataset` in a transaction that waits at most `lock_timeout` for a lock."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
        dataset_patch(actor=Actor(user=editor), data={"id": str(dataset.pk), "title": title})
    return "ok"


def _feature_names(resource) -> list[str]:
    return sorted(ResourceFeature.objects.filter(resource=resource).values_list("properties__name", flat=True))


def test_an_ingest_holding_its_write_does_not_block_an_edit_of_another_dataset():
    """The ingest of a resource of dataset A has written its features and has not committed
    (an ingest takes minutes); meanwhile an editor changes dataset B through package_patch.
    With one `resources` version row bumped by a trigger, the edit waited for the ingest's
    commit (here: lock_timeout)."""
    org = OrganizationFactory(name="tiefbauamt")
    editor = UserFactory(username="root", is_superuser=True)
    resource = _resource_with_a_new_file(DatasetFactory(name="sperrungen", owner_org=org))
    other = DatasetFactory(name="baumkataster", title="Baumkataster", owner_org=org)
    ingest_written, edit_done = threading.Event(), threading.Event()

    def ingest():
        try:
            with transaction.atomic():
                status = geo_ingest_run(resource_id=resource.pk)
                ingest_written.set()
                edit_done.wait(30)  # the ingest transaction stays open while the edit runs
            return status
        finally:
            ingest_written.set()

    def edit():
        try:
            ingest_written.wait(30)
            return _edit(editor=editor, dataset=other, title="Bäume", lock_timeout="3s")
        finally:
            edit_done.set()

    assert run_in_threads(ingest=ingest, edit=edit) == {"ingest": "ok", "edit": "ok"}
    other.refresh_from_db()
    assert other.title == "Bäume"
    assert _feature_names(resource) == ["neu", "neu 2"]


def test_an_ingest_and_an_edit_of_the_same_dataset_do_not_deadlock(monkeypatch):
    """The ingest holds the resource row and has written its features; an editor's package_patch
    of the same dataset takes the dataset row and waits for the resource row. The ingest then
    finishes: it must not need the dataset row inside its transaction (the extent of a dataset
    without one is filled after the ingest's commit), else PostgreSQL breaks a deadlock. And the
    edit, which read the resource before the ingest committed, must not save that old row over
    the ingest's result and features version (it re-reads its resources under lock)."""
    editor = UserFactory(username="root", is_superuser=True)
    dataset = DatasetFactory(name="sperrungen", owner_org=OrganizationFactory(name="tiefbauamt"))
    resource = _resource_with_a_new_file(dataset)
    Dataset.objects.filter(pk=dataset.pk).update(spatial=None)
    resource.refresh_from_db()
    assert resource.geo_ingest["feature_count"] == 1  # of the first file, "alt"
    old_version = resource.features_version
    features_written, edit_waits = threading.Event(), threading.Event()
    extent = geo_services._features_extent

    def extent_after_the_edit_waits(**kwargs):
        features_written.set()
        edit_waits.wait(30)
        return extent(**kwargs)

    monkeypatch.setattr(geo_services, "_features_extent", extent_after_the_edit_waits)

    def ingest():
        try:
            return geo_ingest_run(resource_id=resource.pk)
        finally:
            features_written.set()

    def edit():
        features_written.wait(30)
        return _edit(editor=editor, dataset=dataset, title="Neue Sperrungen", lock_timeout="20s")

    # The ingest goes on when the edit waits (for the ingest's resource row).
    results, waited = run_until_a_lock_wait(ready=features_written, release=edit_waits, ingest=ingest, edit=edit)
    assert waited
    assert results == {"ingest": "ok", "edit": "ok"}
    dataset.refresh_from_db()
    assert dataset.title == "Neue Sperrungen"
    assert dataset.spatial.extent == pytest.approx((12.02, 50.87, 12.021, 50.87), abs=1e-6)
    assert _feature_names(resource) == ["neu", "neu 2"]
    resource.refresh_from_db()
    assert (resource.geo_ingest["status"], resource.geo_ingest["feature_count"]) == ("ok", 2)
    assert resource.features_version != old_version
