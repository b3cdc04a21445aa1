"""Shared fixtures: eager Celery, throw-away media directories, API clients."""
import pytest
from rest_framework.test import APIClient

from config.celery import app as celery_app

# The outside world (SMTP server, webhook receiver), a real Celery worker, a headless
# browser and a real S3 server (SeaweedFS), for any test.
pytest_plugins = ["tests.fixtures_worker", "tests.fixtures_browser", "tests.fixtures_s3", "tests.fixtures_replica",
                  "tests.fixtures_pooler", "tests.fixtures_sentinel"]


@pytest.fixture(autouse=True)
def _eager_celery_and_tmp_media(settings, tmp_path, monkeypatch):
    """Run tasks in-process (the worker test starts a real one) and keep files in tmp."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    # Local-memory caches outlive the settings change: rate-limit counters of one test
    # (crew logins, report filing from 127.0.0.1) must not refuse the next one.
    cache.clear()
    settings.STADTMELDER = {**settings.STADTMELDER, "REPORT_CREATE_RATE": ""}
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "media")}},
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None}},
    }
    from django.core.files.storage import storages

    from reporter.models import ReportPhoto

    # The FileField resolved its storage callable at import time: point it at tmp too.
    monkeypatch.setattr(ReportPhoto._meta.get_field("original"), "storage", storages["private"])
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: the test client leaves its last request's active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_user(db, department):
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    department.members.add(user)
    return user


@pytest.fixture
def staff_client(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def department(db):
    from tests.factories import DepartmentFactory

    return DepartmentFactory()


@pytest.fixture
def city(db):
    """A small city: boundary square 12.00–12.10 x 50.85–50.90 (lon/lat, EPSG:4326),
    a neighbour authority ring around it, and one category routed by default."""
    from tests.factories import city_build

    return city_build()


@pytest.fixture
def public_precision(settings):
    """Set STADTMELDER["PUBLIC_COORDINATE_DECIMALS"] and rebuild the public views (`reporter.public`).

    For tests in a transaction only: the rebuilt views roll back with the test."""
    from django.db import connection

    from reporter.public import public_views_sync

    def apply(decimals: int) -> None:
        settings.STADTMELDER = {**settings.STADTMELDER, "PUBLIC_COORDINATE_DECIMALS": decimals}
        with connection.cursor() as cursor:
            # Rows written earlier in the test leave deferred FK checks, which CREATE INDEX refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        public_views_sync()

    return apply


@pytest.fixture
def eu_theme_groups(db):
    """The EU data-theme groups of the data migration `opendata.0002`, for transactional tests
    (a flush removes them). Used instead of `serialized_rollback`, which collides with content
    types re-created by an earlier transactional test's flush."""
    import importlib

    from django.apps import apps

    importlib.import_module("opendata.migrations.0002_load_eu_data_theme_groups").groups_create(apps, None)
