"""Delivery routes (`cases.delivery`): a route configured for the lead department takes a new
case on commit and the history names it; without one the case stays in the back office; a
rolled-back case is never handed over."""
import pytest
from django.db import transaction

from cases.delivery import DeliveryRoute, delivery_route_for
from cases.models import Case, CaseEvent
from portal import hooks


class RecordingRoute(DeliveryRoute):
    """Takes the cases of the roads department and records what it was given on commit."""

    key = "probe"
    label = "Probe"
    delivered: list = []

    def takes(self, *, department, service):
        return department.slug == "tiefbau" and service == "testdienst"

    def enqueue(self, *, case):
        transaction.on_commit(lambda: RecordingRoute.delivered.append(case.reference))


@pytest.fixture
def route():
    RecordingRoute.delivered = []
    with hooks.register_temporarily("register_delivery_route", RecordingRoute):
        yield RecordingRoute


def test_the_configured_route_takes_the_case_on_commit(route, make_case, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case()
    assert route.delivered == [case.reference]
    event = case.events.get(kind=CaseEvent.Kind.DELIVERY)
    assert event.details == {"route": "probe"}
    assert event.note_public == ""


def test_a_department_without_a_route_stays_in_the_back_office(route, make_case, org,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(department=org.parks)
    assert route.delivered == []
    assert not case.events.filter(kind=CaseEvent.Kind.DELIVERY).exists()
    assert delivery_route_for(department=org.parks, service="testdienst") is None
    assert isinstance(delivery_route_for(department=org.roads, service="testdienst"), RecordingRoute)


def test_a_rolled_back_case_is_never_delivered(route, make_case, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                make_case(title="wird zurückgerollt")
                raise RuntimeError("abort")
    assert route.delivered == []
    assert not Case.objects.filter(title="wird zurückgerollt").exists()


def test_a_resent_case_is_not_delivered_twice(route, make_case, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_case(submission_key="4b1f0c1e-resend")
        again = make_case(submission_key="4b1f0c1e-resend")
    assert again.pk == first.pk
    assert route.delivered == [first.reference]
    assert first.events.filter(kind=CaseEvent.Kind.DELIVERY).count() == 1
