"""POST tasks/{id}/transitions: the actions, photos, idempotency, If-Match, errors that write nothing."""
import pytest

from mobile_api.models import IdempotencyKey
from notifications.models import Notification
from reporter.models import Report, ReportPhoto, StatusChange
from tests.reporter.images import jpeg_bytes, upload

from .conftest import task_make

pytestmark = pytest.mark.django_db

ALL = ["accept", "start", "done", "cannot_fix", "needs_other_department"]


def post(client, task, data, *, fmt="json", **headers):
    return client.post(f"/api/mobile/v1/tasks/{task.pk}/transitions", data, format=fmt, **headers)


def nothing_written(task):
    task_row = Report.objects.get(pk=task.pk)
    return (StatusChange.objects.filter(report=task).count(), ReportPhoto.objects.filter(report=task).count(),
            Notification.objects.count(), IdempotencyKey.objects.count(), task_row.status, task_row.version) == (
        0, 0, 0, 0, task.status, task.version)


@pytest.fixture
def task(world):
    return task_make(crew=world.crew_a, category=world.cat_a, status="submitted")


def test_accept_opens_with_internal_note_and_tells_the_reporter(world, client_a, task):
    response = post(client_a, task, {"action": "accept", "note": "Wir kümmern uns.", "note_internal": "Bagger"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["version"], response["ETag"]) == ("open", 2, '"2"')
    assert body["allowed_actions"] == ALL
    change = StatusChange.objects.get(report=task)
    assert (change.from_status, change.to_status, change.note_public, change.note_internal, change.actor) == (
        "submitted", "open", "Wir kümmern uns.", "Vom Trupp „Kolonne Nord“ angenommen.\nBagger", world.worker_a)
    [mail] = Notification.objects.all()
    assert (mail.recipient, mail.event, mail.subject) == ("erika@example.org", "report.status.reporter",
                                                          f"Ihre Meldung #{task.pk}: offen")
    assert "Wir kümmern uns." in mail.body and "Bagger" not in mail.body


def test_accept_of_an_open_task_is_an_internal_note_only(world, client_a):
    task = task_make(crew=world.crew_a, category=world.cat_a, status="open")
    response = post(client_a, task, {"action": "accept"})
    assert response.status_code == 200
    change = StatusChange.objects.get(report=task)
    assert (change.from_status, change.to_status, change.note_internal) == (
        "open", "open", "Vom Trupp „Kolonne Nord“ angenommen.")
    assert Notification.objects.count() == 0


def test_start_then_accept_is_409_with_the_allowed_actions(world, client_a, task):
    assert post(client_a, task, {"action": "start"}).json()["status"] == "in_progress"
    response = post(client_a, task, {"action": "accept"})
    assert response.status_code == 409
    assert response.json() == {"detail": "Die Aktion „accept“ ist im Status „in_progress“ nicht möglich.",
                               "current": "in_progress", "allowed": ["done", "cannot_fix", "needs_other_department"]}
    assert StatusChange.objects.filter(report=task).count() == 1


def test_done_with_before_and_after_photos(world, client_a, task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client_a, task, {
            "action": "done", "note": "Loch verfüllt.",
            "photos_before": [upload(jpeg_bytes(lon=12.05, lat=50.875), name="vorher.jpg")],
            "photos_after": [upload(jpeg_bytes(), name="nachher.jpg"), upload(jpeg_bytes(), name="n2.jpg")],
        }, fmt="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"
    assert response.json()["allowed_actions"] == []
    photos = list(ReportPhoto.objects.filter(report=task).order_by("id"))
    assert [(p.kind, p.processing, p.moderation) for p in photos] == [
        ("before", "done", "pending"), ("after", "done", "pending"), ("after", "done", "pending")]
    task.refresh_from_db()
    assert (task.status, task.closed_at is not None) == ("resolved", True)
    # Closed: no longer in the crew's list.
    assert client_a.get(f"/api/mobile/v1/tasks/{task.pk}").status_code == 404


def test_cannot_fix_needs_a_reason(world, client_a, task):
    response = post(client_a, task, {"action": "cannot_fix"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Bitte eine Begründung angeben.",
                               "errors": {"note": ["Bitte eine Begründung angeben."]}}
    assert nothing_written(task)
    response = post(client_a, task, {"action": "cannot_fix", "note": "Privatgrundstück."})
    assert (response.status_code, response.json()["status"]) == (200, "not_fixable")
    assert Notification.objects.get().subject == f"Ihre Meldung #{task.pk}: nicht behebbar"


def test_needs_other_department_goes_back_to_the_queue_without_crew(world, client_a):
    task = task_make(crew=world.crew_a, category=world.cat_a, status="in_progress")
    response = post(client_a, task, {"action": "needs_other_department", "note_internal": "Ist ein Gasleck."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["crew"], body["allowed_actions"]) == ("open", None, [])
    task.refresh_from_db()
    assert (task.status, task.crew_id, task.assigned_at, task.department_id) == ("open", None, None, world.dep_a.pk)
    assert list(StatusChange.objects.filter(report=task).values_list("kind", "to_status", "note_internal")) == [
        ("status", "open", "Vom Trupp „Kolonne Nord“ zurückgegeben: anderer Fachbereich nötig.\nIst ein Gasleck."),
        ("unassignment", "open", ""),
    ]
    assert body["version"] == task.version == 3
    events = sorted(Notification.objects.values_list("event", "recipient"))
    assert events == [("report.crew_handback", "tiefbau@stadt.example"),
                      ("report.status.reporter", "erika@example.org")]
    assert client_a.get(f"/api/mobile/v1/tasks/{task.pk}").status_code == 404


def test_idempotent_retry_changes_once_and_answers_the_same(world, client_a, task):
    data = {"action": "done", "note": "Erledigt.", "photos_after": [upload(jpeg_bytes(), name="n.jpg")]}
    first = post(client_a, task, data, fmt="multipart", HTTP_IDEMPOTENCY_KEY="0f5a2c9e-8d7b-4b1a-9c3e-1d2f3a4b5c6d")
    data["photos_after"] = [upload(jpeg_bytes(), name="n.jpg")]
    again = post(client_a, task, data, fmt="multipart", HTTP_IDEMPOTENCY_KEY="0f5a2c9e-8d7b-4b1a-9c3e-1d2f3a4b5c6d")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert (again["Idempotent-Replayed"], again["ETag"]) == ("true", first["ETag"])
    assert StatusChange.objects.filter(report=task).count() == 1
    assert ReportPhoto.objects.filter(report=task, kind="after").count() == 1
    assert Notification.objects.count() == 1
    # The task has left the list, the replay still answers (the app's retry after a lost reply).
    assert client_a.get(f"/api/mobile/v1/tasks/{task.pk}").status_code == 404


def test_same_key_with_other_content_is_422_and_writes_nothing(world, client_a, task):
    key = {"HTTP_IDEMPOTENCY_KEY": "key-0000000001"}
    assert post(client_a, task, {"action": "start"}, **key).status_code == 200
    before = (StatusChange.objects.count(), Report.objects.get(pk=task.pk).version)
    response = post(client_a, task, {"action": "done"}, **key)
    assert response.status_code == 422
    assert response.json()["detail"] == "Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet."
    assert (StatusChange.objects.count(), Report.objects.get(pk=task.pk).version) == before
    # Keys are per user: another crew member may use the same key.
    other = task_make(crew=world.crew_b, category=world.cat_b)
    from .conftest import crew_client

    assert post(crew_client(world.worker_b), other, {"action": "start"}, **key).status_code == 200


def test_stale_if_match_is_412_with_the_current_task(world, client_a, task):
    Report.objects.filter(pk=task.pk).update(version=5)
    response = post(client_a, task, {"action": "start"}, HTTP_IF_MATCH='"4"')
    assert response.status_code == 412
    body = response.json()
    assert body["detail"] == ("Die Aufgabe wurde inzwischen geändert (Version 5, Ihre Version 4). "
                              "Bitte prüfen Sie den aktuellen Stand.")
    assert (body["current_version"], body["task"]["id"], body["task"]["version"], response["ETag"]) == (
        5, task.pk, 5, '"5"')
    task.version = 5
    assert nothing_written(task)
    response = post(client_a, task, {"action": "start"}, HTTP_IF_MATCH='"5"')
    assert (response.status_code, response.json()["version"]) == (200, 6)


def test_stale_if_match_with_idempotency_key_stores_no_key(world, client_a, task):
    response = post(client_a, task, {"action": "start"}, HTTP_IF_MATCH='"9"', HTTP_IDEMPOTENCY_KEY="key-stale-001")
    assert response.status_code == 412
    assert nothing_written(task)


def test_photo_that_is_not_an_image_is_415_and_nothing_written(world, client_a, task):
    response = post(client_a, task, {"action": "done", "photos_after": [
        upload(b"%PDF-1.4 not a photo", name="foto.jpg", content_type="image/jpeg")]}, fmt="multipart",
        HTTP_IDEMPOTENCY_KEY="key-photo-0001")
    assert response.status_code == 415
    message = "Die Datei ist kein Foto in einem unterstützten Format (JPEG, PNG, WebP oder HEIC)."
    assert response.json() == {"detail": message, "errors": {"photos": [message]}}
    assert nothing_written(task)


def test_too_many_photos_is_400(world, client_a, task):
    response = post(client_a, task, {"action": "done", "photos_after": [upload(jpeg_bytes()) for _ in range(4)]},
                    fmt="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {"photos_after": ["Höchstens 3 Fotos je Art."]}
    assert nothing_written(task)


@pytest.mark.parametrize(("data", "headers", "errors"), [
    ({"action": "explode"}, {}, {"action": ["Unbekannte Aktion „explode“. Möglich: accept, start, done, cannot_fix, "
                                            "needs_other_department."]}),
    ({}, {}, {"action": ["Dieses Feld ist zwingend erforderlich."]}),
    ({"action": "start"}, {"HTTP_IF_MATCH": "version drei"},
     {"non_field_errors": ['If-Match: die Version der Aufgabe in Anführungszeichen erwartet, z. B. "3".']}),
    ({"action": "start"}, {"HTTP_IDEMPOTENCY_KEY": "kurz"},
     {"non_field_errors": ["Idempotency-Key: 8 bis 200 druckbare Zeichen ohne Leerzeichen erwartet."]}),
])
def test_bad_input_is_400_and_writes_nothing(world, client_a, task, data, headers, errors):
    response = post(client_a, task, data, **headers)
    assert response.status_code == 400
    body = response.json()
    assert body.get("errors", {"non_field_errors": [body["detail"]]}) == errors
    assert nothing_written(task)


def test_other_crews_task_is_404_and_unchanged(world, client_a):
    other = task_make(crew=world.crew_b, category=world.cat_b, status="submitted")
    response = post(client_a, other, {"action": "start"})
    assert (response.status_code, response.json()) == (404, {"detail": "Aufgabe nicht gefunden."})
    assert nothing_written(other)


def test_a_json_list_is_400(world, client_a, task):
    response = post(client_a, task, ["done"])
    assert (response.status_code, response.json()) == (400, {"detail": "Ein JSON-Objekt oder Formular wird erwartet."})
    assert nothing_written(task)


def test_unknown_action_in_english_names_the_allowed_actions(world, client_a, task):
    """The message is one catalogue text with placeholders, so it is translated (it once was built at run time)."""
    response = post(client_a, task, {"action": "explode"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "action": ["Unknown action “explode”. Possible: accept, start, done, cannot_fix, needs_other_department."]}
    assert nothing_written(task)


def test_internal_notes_stay_in_the_site_language_when_the_crew_app_is_english(world, client_a, task):
    response = post(client_a, task, {"action": "accept"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    response = post(client_a, task, {"action": "needs_other_department", "note_internal": "Gasleck"},
                    HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    notes = list(StatusChange.objects.filter(report=task, kind="status").order_by("pk")
                 .values_list("note_internal", flat=True))
    assert notes == ["Vom Trupp „Kolonne Nord“ angenommen.",
                     "Vom Trupp „Kolonne Nord“ zurückgegeben: anderer Fachbereich nötig.\nGasleck"]
    handback = Notification.objects.get(event="report.crew_handback")
    assert handback.subject == f"[Stadtmelder] Trupp gibt Meldung zurück: #{task.pk} Schlagloch"
