"""Delta sync (`?since=<sync_token>`): exactly the tasks changed or new since then, and exactly the
ids of the tasks that were in the list since then and are not any more — whoever made the change
(services, the admin's plain saves, `QuerySet.update()`)."""
import pytest
from django.utils import timezone

from reporter.models import Report
from reporter.services import report_status_change
from tests.factories import CategoryFactory

from .conftest import task_make
from .factories import CrewFactory

pytestmark = pytest.mark.django_db


def sync(client, since=None):
    response = client.get("/api/mobile/v1/tasks", {"since": since} if since else {})
    assert response.status_code == 200, response.content
    body = response.json()
    return sorted(t["id"] for t in body["results"]), body["removed"], body["sync_token"]


def test_delta_has_exactly_the_changed_and_removed_tasks(world, client_a):
    second_crew = CrewFactory(department=world.dep_a, name="Kolonne Süd")
    unchanged = task_make(crew=world.crew_a, category=world.cat_a)
    noted = task_make(crew=world.crew_a, category=world.cat_a)
    reassigned = task_make(crew=world.crew_a, category=world.cat_a)
    closed = task_make(crew=world.crew_a, category=world.cat_a)
    rerouted = task_make(crew=world.crew_a, category=world.cat_a)
    assigned_later = task_make(crew=None, category=world.cat_a)
    others = task_make(crew=world.crew_b, category=world.cat_b)
    ids, removed, token = sync(client_a)
    assert ids == sorted([unchanged.pk, noted.pk, reassigned.pk, closed.pk, rerouted.pk]) and removed == []

    report_status_change(report=noted, to_status="open", note_internal="Absperrung nötig")
    Report.objects.filter(pk=reassigned.pk).update(crew=second_crew)  # no signal, no updated_at
    report_status_change(report=closed, to_status="resolved")
    Report.objects.filter(pk=rerouted.pk).update(department=world.dep_b)
    Report.objects.filter(pk=assigned_later.pk).update(crew=world.crew_a)
    report_status_change(report=others, to_status="in_progress")
    created = task_make(crew=world.crew_a, category=world.cat_a)

    ids, removed, token2 = sync(client_a, token)
    assert ids == sorted([noted.pk, assigned_later.pk, created.pk])
    assert removed == sorted([reassigned.pk, closed.pk, rerouted.pk])
    assert token2 > token
    # Nothing happened since: an empty delta.
    assert sync(client_a, token2)[:2] == ([], [])


def test_crew_deactivated_and_membership_changes(world, client_a):
    second_crew = CrewFactory(department=world.dep_a, name="Kolonne Süd", members=[world.worker_a])
    first = task_make(crew=world.crew_a, category=world.cat_a)
    second = task_make(crew=second_crew, category=world.cat_a)
    _ids, _removed, token = sync(client_a)

    world.crew_a.is_active = False
    world.crew_a.save()
    ids, removed, token = sync(client_a, token)
    assert (ids, removed) == ([], [first.pk])

    world.crew_a.is_active = True
    world.crew_a.save()
    ids, removed, token = sync(client_a, token)
    assert (ids, removed) == ([first.pk], [])

    second_crew.members.remove(world.worker_a)
    ids, removed, token = sync(client_a, token)
    assert (ids, removed) == ([], [second.pk])

    second_crew.members.add(world.worker_a)
    ids, removed, token = sync(client_a, token)
    assert (ids, removed) == ([second.pk], [])


def test_a_task_that_left_and_came_back_is_changed_not_removed(world, client_a):
    task = task_make(crew=world.crew_a, category=world.cat_a)
    _ids, _removed, token = sync(client_a)
    Report.objects.filter(pk=task.pk).update(crew=None)
    Report.objects.filter(pk=task.pk).update(crew=world.crew_a)
    assert sync(client_a, token)[:2] == ([task.pk], [])


def test_a_task_that_came_and_went_since_is_reported_removed(world, client_a):
    """Defined as "was in the list at some moment since": the app may have fetched it meanwhile."""
    _ids, _removed, token = sync(client_a)
    task = task_make(crew=world.crew_a, category=world.cat_a)
    Report.objects.filter(pk=task.pk).update(status="resolved")
    assert sync(client_a, token)[:2] == ([], [task.pk])


def test_deleted_and_moved_category_tasks(world, client_a):
    gone = task_make(crew=world.crew_a, category=world.cat_a)
    moved = task_make(crew=world.crew_a, category=world.cat_a)
    _ids, _removed, token = sync(client_a)
    gone_id = gone.pk
    gone.delete()
    # A category change within the department keeps the task in the list; it is changed.
    other_category = CategoryFactory(default_department=world.dep_a)
    moved.category = other_category
    moved.save()
    assert sync(client_a, token)[:2] == ([moved.pk], [gone_id])


def test_other_users_changes_do_not_show(world, client_a, client_b):
    _ids, _removed, token = sync(client_a)
    theirs = task_make(crew=world.crew_b, category=world.cat_b)
    Report.objects.filter(pk=theirs.pk).update(status="resolved")
    assert sync(client_a, token)[:2] == ([], [])
    assert sync(client_b, token)[:2] == ([], [theirs.pk])


def test_the_trigger_log_and_the_task_list_agree(world):
    """The SQL rule of the triggers (migration 0002), the SQL of the list and the ORM accessor agree."""
    import random

    from django.db import connection

    from mobile_api.selectors import task_get_for_user, task_list_for_user

    rng = random.Random(7)
    second_crew = CrewFactory(department=world.dep_a, name="Kolonne Süd", members=[world.worker_a])
    crews = [world.crew_a, world.crew_b, second_crew, None]
    tasks = [task_make(crew=rng.choice(crews), category=rng.choice([world.cat_a, world.cat_b])) for _ in range(30)]
    for _ in range(200):
        task = rng.choice(tasks)
        change = rng.choice(["crew", "status", "department"])
        if change == "crew":
            Report.objects.filter(pk=task.pk).update(crew=rng.choice(crews))
        elif change == "status":
            Report.objects.filter(pk=task.pk).update(status=rng.choice(Report.Status.values))
        else:
            Report.objects.filter(pk=task.pk).update(department=rng.choice([world.dep_a, world.dep_b]))
        if rng.random() < 0.05:
            crew = rng.choice(crews[:3])
            crew.is_active = not crew.is_active
            crew.save()
    for crew in crews[:3]:
        crew.is_active = True
        crew.save()
    Report.objects.filter(pk=tasks[0].pk).update(crew=world.crew_a, status="open", department=world.dep_a)
    Report.objects.filter(pk=tasks[1].pk).update(crew=world.crew_b, status="in_progress", department=world.dep_b)
    for user in (world.worker_a, world.worker_b):
        listed = sorted(pk for pk, _d in task_list_for_user(user=user))
        # The ORM accessor of the transitions applies the same rule.
        assert sorted(t.pk for t in tasks if task_get_for_user(user=user, pk=t.pk) is not None) == listed
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT ti.report_id FROM mobile_api_tasklistinterval ti "
                "JOIN mobile_api_crewmemberinterval mi ON mi.crew_id = ti.crew_id AND mi.user_id = %s "
                "WHERE ti.left_at IS NULL AND mi.left_at IS NULL "
                "ORDER BY 1", [user.pk])
            logged = [row[0] for row in cursor.fetchall()]
        assert logged == listed and listed  # (both users have tasks at the end)


def test_a_photo_processed_by_the_worker_marks_its_task_changed(world, client_a):
    """The worker's `processing`/`image` update (reporter.photos) sends no signal and leaves the
    report's updated_at alone: the trigger of migration 0005 logs it."""
    from django.core.files.base import ContentFile

    from reporter.models import ReportPhoto
    from reporter.tasks import photo_process_task
    from tests.reporter.images import jpeg_bytes

    task = task_make(crew=world.crew_a, category=world.cat_a)
    untouched = task_make(crew=world.crew_a, category=world.cat_a)
    photo = ReportPhoto(report=task, kind="before", content_type="image/jpeg", original_bytes=100)
    photo.original.save("original", ContentFile(jpeg_bytes(size=(80, 60))), save=False)
    photo.save()
    _ids, _removed, token = sync(client_a)
    photo_process_task(photo.pk)
    photo.refresh_from_db()
    assert photo.processing == "done"
    response = client_a.get("/api/mobile/v1/tasks", {"since": token})
    [item] = response.json()["results"]
    assert item["id"] == task.pk and item["id"] != untouched.pk
    assert [(p["id"], p["kind"]) for p in item["photos"]] == [(photo.pk, "before")]
    assert item["photos"][0]["url"] == f"http://testserver/media/{photo.image.name}"


def test_status_and_note_changes_by_staff_mark_the_task_changed(world, client_a):
    from rest_framework.test import APIClient

    staff = APIClient()
    staff.force_authenticate(world.staff)
    task = task_make(crew=world.crew_a, category=world.cat_a)
    task_make(crew=world.crew_a, category=world.cat_a)
    _ids, _removed, token = sync(client_a)
    response = staff.post(f"/api/v1/staff/reports/{task.pk}/status", {"status": "in_progress"}, format="json")
    assert response.status_code == 200, response.content
    body = client_a.get("/api/mobile/v1/tasks", {"since": token}).json()
    [item] = body["results"]
    assert (item["id"], item["status"], item["version"]) == (task.pk, "in_progress", 2)
    token = body["sync_token"]
    # A note only (same status): the crew sees the new history entry.
    response = staff.post(f"/api/v1/staff/reports/{task.pk}/status",
                          {"status": "in_progress", "note_internal": "Bitte Absperrung mitnehmen"}, format="json")
    assert response.status_code == 200, response.content
    [item] = client_a.get("/api/mobile/v1/tasks", {"since": token}).json()["results"]
    assert item["notes"][-1]["note_internal"] == "Bitte Absperrung mitnehmen"


def test_writes_that_leave_updated_at_alone_mark_the_task_changed(world, client_a):
    from reporter.models import ReportPhoto, StatusChange

    status = task_make(crew=world.crew_a, category=world.cat_a)
    note = task_make(crew=world.crew_a, category=world.cat_a)
    photo_task = task_make(crew=world.crew_a, category=world.cat_a)
    photo = ReportPhoto.objects.create(report=photo_task, content_type="image/jpeg", original_bytes=1,
                                       original="o", image="reports/x.jpg", processing="done")
    unchanged = task_make(crew=world.crew_a, category=world.cat_a)
    _ids, _removed, token = sync(client_a)
    Report.objects.filter(pk=status.pk).update(status="in_progress")  # stays in the list
    StatusChange.objects.create(report=note, from_status="open", to_status="open", note_internal="Eskaliert")
    ReportPhoto.objects.filter(pk=photo.pk).update(moderation="rejected")  # no longer shown
    # Writes of what the crew does not see change nothing.
    Report.objects.filter(pk=unchanged.pk).update(escalated_at=timezone.now(), supporter_count=3)
    body = client_a.get("/api/mobile/v1/tasks", {"since": token}).json()
    assert sorted(t["id"] for t in body["results"]) == sorted([status.pk, note.pk, photo_task.pk])
    by_id = {t["id"]: t for t in body["results"]}
    assert by_id[status.pk]["status"] == "in_progress"
    assert by_id[note.pk]["notes"][-1]["note_internal"] == "Eskaliert"
    assert by_id[photo_task.pk]["photos"] == []
    assert body["removed"] == []
    assert sync(client_a, body["sync_token"])[:2] == ([], [])


def test_a_since_older_than_the_kept_log_is_410_gone(world, client_a, settings):
    from datetime import timedelta

    from mobile_api.serializers import rfc3339

    settings.MOBILE_API = {**settings.MOBILE_API, "SYNC_LOG_RETENTION_DAYS": 30}
    task_make(crew=world.crew_a, category=world.cat_a)
    old = rfc3339(timezone.now() - timedelta(days=30, minutes=1))
    response = client_a.get("/api/mobile/v1/tasks", {"since": old})
    assert response.status_code == 410
    message = ("since: Der letzte Abgleich ist älter als 30 Tage; die Änderungen seitdem sind nicht mehr bekannt. "
               "Bitte die Aufgabenliste ohne since vollständig neu laden.")
    assert response.json() == {"detail": message, "errors": {"since": [message]}}
    recent = rfc3339(timezone.now() - timedelta(days=29, hours=23))
    assert client_a.get("/api/mobile/v1/tasks", {"since": recent}).status_code == 200
