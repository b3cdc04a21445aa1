"""Case writes: reference numbers, re-sends, workflow, messages with notifications, departments,
notes, merge, reassign."""
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from cases import services
from cases.errors import CaseInputError, TransitionNotAllowed
from cases.models import Case, CaseDepartment, CaseEvent, CaseMessage, ReferenceCounter
from notifications.models import Notification

BERLIN = ZoneInfo("Europe/Berlin")


def test_reference_numbers_count_per_prefix_and_year(make_case, time_machine):
    time_machine.move_to(datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN), tick=False)
    first, second = make_case(), make_case()
    assert first.reference == "TD-2026-000001"
    assert second.reference == "TD-2026-000002"
    assert ReferenceCounter.objects.get(prefix="TD", year=2026).last == 2
    time_machine.move_to(datetime(2027, 1, 4, 12, 0, tzinfo=BERLIN), tick=False)
    assert make_case().reference == "TD-2027-000001"


def test_create_writes_lead_department_event_and_due_date(make_case, org, time_machine):
    # Tuesday 10 March 2026 + 5 working days = Tuesday 17 March.
    time_machine.move_to(datetime(2026, 3, 10, 12, 0, tzinfo=BERLIN), tick=False)
    case = make_case(participants=[org.parks])
    assert case.status == "new"
    assert case.due_date == date(2026, 3, 17)
    assert len(case.tracking_token) >= 20
    assert case.form_version == "testdienst@1"
    roles = dict(CaseDepartment.objects.filter(case=case).values_list("department__slug", "role"))
    assert roles == {"tiefbau": "lead", "gruen": "participant"}
    assert list(case.events.values_list("kind", "to_status")) == [("created", "new")]


def test_unknown_service_is_refused(org):
    with pytest.raises(CaseInputError) as exc:
        services.case_create(service="gibtsnicht", department=org.roads)
    assert exc.value.status_code == 400
    assert exc.value.message == "Diese Leistung nimmt keine Vorgänge an."
    assert Case.objects.count() == 0


def test_resend_with_same_submission_key_returns_the_stored_case(make_case, org):
    first = make_case(submission_key="abc-123")
    again, created = services.case_create(service="testdienst", department=org.roads, submission_key="abc-123")
    assert created is False
    assert again.pk == first.pk
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_resends_store_one_case(case_type):
    from tests.factories import DepartmentFactory

    department = DepartmentFactory()
    barrier = threading.Barrier(20)
    results, errors = [], []

    def send():
        try:
            barrier.wait()
            case, created = services.case_create(service="testdienst", department=department,
                                                 submission_key="same-key", title="x")
            results.append((case.pk, created))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Case.objects.count() == 1
    assert {pk for pk, _created in results} == {Case.objects.get().pk}
    assert sum(created for _pk, created in results) == 1


def test_status_change_follows_the_workflow(make_case, org):
    case = make_case()
    case = services.case_status_change(case=case, status="in_progress", actor=org.anna, note_public="Wir prüfen.")
    assert case.status == "in_progress"
    assert case.version == 2
    case = services.case_status_change(case=case, status="done", actor=org.anna)
    assert case.closed_at is not None
    event = case.events.filter(kind="status").first()
    assert (event.from_status, event.to_status, event.note_public) == ("new", "in_progress", "Wir prüfen.")


def test_status_change_not_in_workflow_is_409_and_writes_nothing(make_case, org):
    case = make_case()
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_status_change(case=case, status="done", actor=org.anna)
    assert exc.value.status_code == 409
    assert exc.value.message == "Der Status „Eingegangen“ kann nicht zu „Erledigt“ geändert werden."
    case.refresh_from_db()
    assert case.status == "new"
    assert case.events.count() == 1


def test_message_to_citizen_notifies_by_email_with_tracking_link(make_case, org, django_capture_on_commit_callbacks):
    case = make_case()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_message_add(case=case, body="Bitte senden Sie ein Foto.", direction="to_citizen",
                                  author=org.anna)
    assert len(callbacks) == 1  # the send task is queued on commit only
    note = Notification.objects.get(event="case.message_to_citizen")
    assert note.recipient == "erika@example.org"
    assert f"/vorgang/{case.tracking_token}/" in note.body
    assert "Bitte senden Sie ein Foto." not in note.body  # the text stays behind the link
    assert case.events.filter(kind="message").count() == 1


def test_message_from_citizen_notifies_the_lead_department(make_case, org):
    case = make_case()
    message = services.case_message_add_by_token(token=case.tracking_token, body="Foto anbei.")
    assert message.direction == CaseMessage.Direction.FROM_CITIZEN
    note = Notification.objects.get(event="case.message_from_citizen")
    assert note.recipient == "tiefbau@stadt.example"
    assert f"/sachbearbeitung/vorgaenge/{case.pk}/" in note.body


@pytest.mark.django_db(transaction=True)
def test_rolled_back_message_sends_nothing(case_type, monkeypatch):
    from tests.factories import DepartmentFactory

    sent = []
    monkeypatch.setattr("notifications.services.notification_enqueue", lambda **kw: sent.append(kw))
    case, _created = services.case_create(service="testdienst", department=DepartmentFactory(),
                                          contact_email="erika@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.case_message_add(case=case, body="Hallo", direction="to_citizen")
        raise RuntimeError("boom")
    assert Notification.objects.count() == 0
    assert CaseMessage.objects.count() == 0
    assert sent == []
    services.case_message_add(case=case, body="Hallo", direction="to_citizen")
    assert len(sent) == 1


def test_closed_case_takes_no_citizen_message(make_case, org):
    case = make_case()
    services.case_status_change(case=case, status="rejected", actor=org.anna)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_message_add_by_token(token=case.tracking_token, body="Warum?")
    assert exc.value.status_code == 409
    assert CaseMessage.objects.count() == 0


def test_empty_message_is_400(make_case):
    case = make_case()
    with pytest.raises(CaseInputError) as exc:
        services.case_message_add_by_token(token=case.tracking_token, body="   ")
    assert exc.value.message == "Bitte schreiben Sie eine Nachricht."


def test_department_add_notifies_it_and_done_sets_its_state(make_case, org):
    case = make_case()
    participation = services.case_department_add(case=case, department=org.parks, actor=org.anna, note="Baum?")
    assert participation.role == "participant" and participation.state == "open"
    note = Notification.objects.get(event="case.department_added")
    assert note.recipient == "gruen@stadt.example"
    with pytest.raises(TransitionNotAllowed):
        services.case_department_add(case=case, department=org.parks, actor=org.anna)
    services.case_department_done(case=case, department=org.parks, actor=org.bernd)
    assert CaseDepartment.objects.get(case=case, department=org.parks).state == "done"
    with pytest.raises(TransitionNotAllowed):
        services.case_department_done(case=case, department=org.parks, actor=org.bernd)


def test_internal_note_is_an_event(make_case, org):
    case = make_case()
    event = services.case_note_add(case=case, note="Anrufer war unfreundlich", actor=org.anna)
    assert (event.kind, event.note_internal, event.note_public) == ("note", "Anrufer war unfreundlich", "")


def test_merge_closes_the_duplicate_and_links_it(make_case, org):
    original, duplicate = make_case(), make_case()
    services.case_merge_into(case=duplicate, original=original, actor=org.anna)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == ("merged", original.pk)
    assert duplicate.closed_at is not None
    assert original.events.filter(kind="merge", details__duplicate=duplicate.reference).exists()
    with pytest.raises(CaseInputError):
        services.case_merge_into(case=original, original=original, actor=org.anna)
    with pytest.raises(TransitionNotAllowed):
        services.case_merge_into(case=duplicate, original=original, actor=org.anna)


def test_reassign_requires_a_reason_and_moves_the_lead(make_case, org):
    case = make_case(participants=[org.parks])
    with pytest.raises(CaseInputError) as exc:
        services.case_reassign(case=case, department=org.parks, reason=" ", actor=org.anna)
    assert exc.value.message == "Bitte geben Sie einen Grund für die Weiterleitung an."
    services.case_reassign(case=case, department=org.parks, reason="Grünfläche", actor=org.anna)
    case.refresh_from_db()
    assert case.department == org.parks
    assert list(case.participations.values_list("department__slug", "role")) == [("gruen", "lead")]
    event = case.events.get(kind=CaseEvent.Kind.ASSIGN)
    assert (event.note_internal, event.details) == ("Grünfläche", {"from": "tiefbau", "to": "gruen"})


@pytest.mark.parametrize(("field", "value"), [("title", "a\x00b"), ("title", "x" * 201), ("contact_phone", "1" * 51),
                                              ("submission_key", "k" * 101), ("description", "\x00")])
def test_bad_text_on_create_is_400_and_writes_nothing(org, field, value):
    with pytest.raises(CaseInputError) as exc:
        services.case_create(service="testdienst", department=org.roads, **{field: value})
    assert exc.value.status_code == 400
    assert exc.value.field == field
    assert Case.objects.count() == 0


def test_nul_in_message_is_400(make_case):
    case = make_case()
    with pytest.raises(CaseInputError) as exc:
        services.case_message_add_by_token(token=case.tracking_token, body="Hallo\x00")
    assert exc.value.message == "Der Text enthält ein unzulässiges Zeichen."


def test_status_change_with_a_stale_version_is_409(make_case, org):
    case = make_case()
    services.case_note_add(case=case, note="Zwischendurch", actor=org.anna)  # version 1 -> 2
    with pytest.raises(TransitionNotAllowed) as exc:
        services.case_status_change(case=case, status="in_progress", actor=org.anna, expected_version=1)
    assert exc.value.message == "Der Vorgang wurde inzwischen geändert. Bitte prüfen Sie den neuen Stand."
    changed = services.case_status_change(case=case, status="in_progress", actor=org.anna, expected_version=2)
    assert (changed.status, changed.version) == ("in_progress", 3)


def test_submission_key_of_another_service_is_409(make_case, org):
    from django.utils.translation import gettext_lazy as _

    from cases.types import CaseType
    from portal import hooks

    make_case(submission_key="k-1")
    other = CaseType(slug="anderer", reference_prefix="AD", statuses=[("new", _("Neu"))], closed_statuses=set(),
                     transitions={}, initial_status="new")
    with hooks.register_temporarily("register_case_type", lambda: other), pytest.raises(TransitionNotAllowed):
        services.case_create(service="anderer", department=org.roads, submission_key="k-1")
    assert Case.objects.count() == 1


def test_case_types_are_hashable(case_type):
    assert {case_type: 1}[case_type] == 1
