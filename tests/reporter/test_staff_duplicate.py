"""The staff API's `duplicate_of` accepts only reports the clerk's departments can see: another
department's report answers exactly like a number that does not exist (400), and nothing changes."""
import pytest
from rest_framework.test import APIClient

from reporter.models import Report, StatusChange
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(city):
    user = UserFactory(is_staff=True, username="sachbearbeiter")
    city.department.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    return client


def mark_duplicate(client, report, original_pk):
    return client.post(f"/api/v1/staff/reports/{report.pk}/status",
                       {"status": "duplicate", "duplicate_of": original_pk}, format="json")


def test_other_departments_report_is_refused_like_a_missing_one(city, clerk_client):
    report = ReportFactory(category=city.category, department=city.department)
    other = DepartmentFactory(slug="gruen", name="Grünflächenamt")
    foreign = ReportFactory(category=CategoryFactory(slug="baum", default_department=other), department=other)
    refused = mark_duplicate(clerk_client, report, foreign.pk)
    missing = mark_duplicate(clerk_client, report, 987654321)
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["errors"]["duplicate_of"] == [
        f"Ungültiger pk \"{foreign.pk}\" - Object existiert nicht."]
    assert missing.json()["errors"]["duplicate_of"] == ["Ungültiger pk \"987654321\" - Object existiert nicht."]
    report.refresh_from_db()
    assert (report.status, report.duplicate_of_id) == ("submitted", None)
    assert not StatusChange.objects.filter(report=report).exists()


def test_own_departments_report_is_accepted(city, clerk_client):
    report = ReportFactory(category=city.category, department=city.department)
    original = ReportFactory(category=city.category, department=city.department)
    response = mark_duplicate(clerk_client, report, original.pk)
    assert response.status_code == 200, response.content
    assert Report.objects.get(pk=report.pk).duplicate_of_id == original.pk
