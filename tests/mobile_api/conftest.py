"""Fixtures of the field-crew API tests: two departments, each with a crew, plus a citizen,
staff and an admin; clients that send a crew token."""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from rest_framework.test import APIClient

from mobile_api.services import crew_token_create
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory, UserFactory

from .factories import CrewFactory


@pytest.fixture(autouse=True)
def _mobile_settings(settings):
    # Exact delta sync in tests (no safety margin) and no login limit unless a test sets one.
    settings.MOBILE_API = {"SYNC_MARGIN_SECONDS": 0, "LOGIN_RATE": ""}
    # Six users per test: a fast hasher (the login checks still run the real code path).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def crew_client(user) -> APIClient:
    """An API client that sends a fresh crew token of `user`."""
    _token, raw = crew_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Crew {raw}")
    client.raw_token = raw
    return client


@pytest.fixture
def world(db):
    """Departments A and B with a category and a crew each; users of every kind."""
    dep_a = DepartmentFactory(slug="tiefbau", name="Tiefbauamt", email="tiefbau@stadt.example")
    dep_b = DepartmentFactory(slug="gruen", name="Grünflächenamt", email="gruen@stadt.example")
    cat_a = CategoryFactory(slug="schlagloch", name="Schlagloch", icon="pothole", default_department=dep_a)
    cat_b = CategoryFactory(slug="baum", name="Baum", icon="tree", default_department=dep_b)
    worker_a = UserFactory(username="bautrupp-a", first_name="Anna", last_name="Trupp")
    worker_b = UserFactory(username="bautrupp-b")
    crew_a = CrewFactory(department=dep_a, name="Kolonne Nord", members=[worker_a])
    crew_b = CrewFactory(department=dep_b, name="Baumpflege", members=[worker_b])
    citizen = UserFactory(username="buergerin")
    staff = UserFactory(username="sachbearbeitung", is_staff=True)
    dep_a.members.add(staff)
    admin = UserFactory(username="chefin", is_staff=True, is_superuser=True)
    return SimpleNamespace(dep_a=dep_a, dep_b=dep_b, cat_a=cat_a, cat_b=cat_b, crew_a=crew_a, crew_b=crew_b,
                           worker_a=worker_a, worker_b=worker_b, citizen=citizen, staff=staff, admin=admin)


def task_make(*, crew, category, lon=12.05, lat=50.875, **kwargs):
    """An open report assigned to `crew`, with private contact data that must never leak."""
    defaults = {"reporter_name": "Erika Mustermann", "reporter_email": "erika@example.org",
                "reporter_phone": "+49 365 123456", "status": "open", "assigned_at": timezone.now(),
                "due_date": date.today() + timedelta(days=5), "address": "Heinrichstraße 1"}
    defaults.update(kwargs)
    return ReportFactory(category=category, department=category.default_department, crew=crew,
                         location=Point(lon, lat, srid=4326), **defaults)


@pytest.fixture
def client_a(world):
    return crew_client(world.worker_a)


@pytest.fixture
def client_b(world):
    return crew_client(world.worker_b)
