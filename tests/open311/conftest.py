"""Fixtures of the Open311 tests: a frozen clock, a client key, a category with questions,
and a helper that files reports at a given time."""
from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point

from open311.services import client_create
from reporter.models import Report, ReportPhoto, StatusChange
from tests.factories import CategoryFactory, ReportFactory

# Monday, 2 March 2026, 10:00 UTC (11:00 in Berlin).
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

QUESTIONS = [
    {"key": "groesse", "label": "Größe", "label_en": "Size", "type": "choice",
     "choices": ["klein", "mittel", "groß"], "required": True},
    {"key": "anzahl", "label": "Anzahl", "label_en": "Count", "type": "integer"},
    {"key": "gefahr", "label": "Gefahr für Radfahrer?", "label_en": "Danger for cyclists?", "type": "boolean"},
    {"key": "hinweis", "label": "Hinweis", "type": "text"},
]


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def api_key(db):
    _client, raw = client_create(name="Stadt-App")
    return raw


@pytest.fixture
def pothole(city):
    """The city's category `schlagloch` with typed questions (choice, integer, boolean, text)."""
    city.category.questions = QUESTIONS
    city.category.save()
    return city.category


@pytest.fixture
def report_make(city):
    """File a report directly (not through a service): `at` sets created_at/updated_at."""
    def make(*, at=NOW, lon=12.05, lat=50.875, category=None, status=Report.Status.SUBMITTED,
             moderation=Report.Moderation.APPROVED, public_description="", **fields):
        report = ReportFactory(category=category or city.category, location=Point(lon, lat, srid=4326),
                               status=status, moderation=moderation, public_description=public_description,
                               **fields)
        Report.objects.filter(pk=report.pk).update(created_at=at, updated_at=fields.get("updated_at", at))
        report.refresh_from_db()
        return report
    return make


def photo_add(report, *, image="", processing=ReportPhoto.Processing.DONE,
              moderation=ReportPhoto.Moderation.APPROVED) -> ReportPhoto:
    return ReportPhoto.objects.create(report=report, original=f"originals/{report.pk}/x", content_type="image/jpeg",
                                      original_bytes=100, image=image, processing=processing, moderation=moderation)


def note_add(report, *, note_public="", note_internal="", to_status=None, kind="status", at=NOW) -> StatusChange:
    change = StatusChange.objects.create(report=report, from_status=report.status,
                                         to_status=to_status or report.status, note_public=note_public,
                                         note_internal=note_internal, kind=kind)
    StatusChange.objects.filter(pk=change.pk).update(created_at=at)
    return change


@pytest.fixture
def other_category(city):
    return CategoryFactory(slug="laterne", name="Straßenlaterne defekt", name_en="Street light out", group="licht",
                           default_department=city.department, sla_days=5, order=2)
