"""Case reads: the citizen's view holds no internal data, the account's list, the overall
status, the inbox's query count."""
from dataclasses import fields

from cases import services
from cases.selectors import (
    CitizenCaseView,
    case_get_by_token,
    case_get_for_staff,
    case_list_for_owner,
    case_list_for_staff,
    case_overall_status,
)
from tests.factories import UserFactory


def test_citizen_view_has_only_citizen_fields(make_case, org):
    case = make_case()
    services.case_status_change(case=case, status="in_progress", actor=org.anna, note_public="Öffentlich",
                                note_internal="Geheim")
    view = case_get_by_token(token=case.tracking_token)
    assert {f.name for f in fields(CitizenCaseView)} == {
        "tracking_token", "reference", "service", "title", "description", "contact_name", "created_at", "closed",
        "overall_status", "events", "messages", "notify_citizen"}
    assert [(e.kind, e.status_label, e.note_public) for e in view.events] == [
        ("created", "Eingegangen", ""), ("status", "In Bearbeitung", "Öffentlich")]
    assert not any(hasattr(e, "note_internal") for e in view.events)


def test_overall_status_uses_the_public_label(make_case, org):
    case = make_case()
    services.case_status_change(case=case, status="in_progress", actor=org.anna)
    services.case_status_change(case=case, status="waiting", actor=org.anna)
    assert case_overall_status(case_get_for_staff(user=org.anna, pk=case.pk)) == "In Bearbeitung"


def test_list_for_owner_shows_only_their_cases(make_case):
    erika, other = UserFactory(), UserFactory()
    mine = make_case(owner=erika)
    make_case(owner=other)
    assert [v.reference for v in case_list_for_owner(user=erika)] == [mine.reference]


def test_staff_list_has_each_case_once_for_lead_and_participant(make_case, org):
    org.parks.members.add(org.anna)  # anna in both departments: lead and participant
    case = make_case(participants=[org.parks])
    assert list(case_list_for_staff(user=org.anna, tab="all")) == [case]


def test_staff_detail_query_count(make_case, org, django_assert_max_num_queries):
    case = make_case(participants=[org.parks])
    for n in range(5):
        services.case_message_add(case=case, body=f"Nachricht {n}", direction="to_citizen", author=org.anna)
    with django_assert_max_num_queries(8):
        loaded = case_get_for_staff(user=org.anna, pk=case.pk)
        assert len(loaded.messages.all()) == 5
        assert len(loaded.events.all()) == 6
