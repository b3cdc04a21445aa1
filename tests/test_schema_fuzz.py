"""Schemathesis against /api/schema/: generated requests to every documented operation of the
citizen/staff and crew APIs, through the WSGI application (no server, the test database).
Fails on any 5xx and on any answer the schema does not describe (status code, content type,
body). Bounded: a few examples per operation, no shrinking, no deadline."""
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reporter.models import Report

MAX_EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]




def _served_schema() -> dict:
    """The document /api/schema/ serves (made by the same generator and renderer; read at
    collection, where pytest-django allows no database access, which a request would need)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """The WSGI handler closes the database connection after each request (as in production);
    the test's transaction must survive it, as Django's test client arranges too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_as_documented(case, city):
    case.call_and_validate(checks=CHECKS)


CSRF_SECRET = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: a valid unmasked CSRF secret


@pytest.fixture
def staff_session(city, staff_user, department):
    """A department clerk's session cookie (and CSRF pair) and a report of their department."""
    from django.test import Client

    from tests.factories import ReportFactory

    client = Client()
    client.force_login(staff_user)
    report = ReportFactory(category=city.category, department=department)
    return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET},
            "headers": {"X-CSRFToken": CSRF_SECRET}, "report": report}


@pytest.mark.django_db
@schema.include(path_regex=r"^/api/v1/staff/").parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_staff_api_answers_as_documented(case, staff_session):
    """As a signed-in clerk, on a report of their own department (the generated body is what varies)."""
    case.path_parameters = {**(case.path_parameters or {}), "id": staff_session["report"].pk}
    case.call_and_validate(checks=CHECKS, headers=staff_session["headers"], cookies=staff_session["cookies"])


@pytest.fixture
def crew_session(city):
    """A crew member's token and an open task of their crew."""
    from django.utils import timezone

    from mobile_api.services import crew_token_create
    from tests.factories import ReportFactory, UserFactory
    from tests.mobile_api.factories import CrewFactory

    worker = UserFactory(username="fuzz-trupp")
    crew = CrewFactory(department=city.department, name="Kolonne Fuzz", members=[worker])
    _token, raw = crew_token_create(user=worker, name="fuzz")
    task = ReportFactory(category=city.category, department=city.department, crew=crew, status=Report.Status.OPEN,
                         assigned_at=timezone.now())
    return {"headers": {"Authorization": f"Crew {raw}"}, "task": task}


@pytest.mark.django_db
@schema.include(path_regex=r"^/api/mobile/v1/(me|tasks)").parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_crew_api_answers_as_documented(case, crew_session):
    """As a signed-in crew member, on a task of their own crew."""
    if case.path_parameters and "id" in case.path_parameters:
        case.path_parameters = {**case.path_parameters, "id": crew_session["task"].pk}
    case.call_and_validate(checks=CHECKS, headers=crew_session["headers"])
