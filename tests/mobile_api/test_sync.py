"""Delta sync (`?since=<sync_token>`): exactly the tasks changed or new since then, and exactly the
ids of the tasks that were in the list since then and are not any more — whoever made the change
(services, the admin's plain saves, `QuerySet.update()`)."""
import pytest

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
    """The SQL rule of the triggers (migration 0002) and the ORM filter of the list are the same."""
    import random

    from django.db import connection

    from mobile_api.selectors import task_list_for_user

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
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT ti.report_id FROM mobile_api_tasklistinterval ti "
                "JOIN mobile_api_crewmemberinterval mi ON mi.crew_id = ti.crew_id AND mi.user_id = %s "
                "WHERE ti.left_at IS NULL AND mi.left_at IS NULL "
                "ORDER BY 1", [user.pk])
            logged = [row[0] for row in cursor.fetchall()]
        assert logged == listed and listed  # (both users have tasks at the end)
