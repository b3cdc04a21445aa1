"""Staff endpoints: status workflow, re-routing, moderation, permissions, notifications."""
import pytest
from rest_framework.test import APIClient

from notifications.models import Notification
from reporter.models import Report, StatusChange
from tests.factories import (
    AreaFactory,
    CategoryFactory,
    DepartmentFactory,
    LayerFactory,
    ReportFactory,
    RuleFactory,
    UserFactory,
    square,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(city):
    return ReportFactory(category=city.category, department=city.department, reporter_email="erika@example.org")


@pytest.fixture
def staff(city):
    user = UserFactory(is_staff=True, username="sachbearbeiter")
    city.department.members.add(user)
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_status_change_with_public_note_notifies_reporter(report, staff, django_capture_on_commit_callbacks,
                                                          mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/v1/staff/reports/{report.pk}/status",
                              {"status": "in_progress", "note_public": "Trupp ist unterwegs",
                               "note_internal": "Kolonne 3"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    change = StatusChange.objects.get(report=report, kind="status")
    assert (change.from_status, change.to_status, change.note_internal) == ("submitted", "in_progress", "Kolonne 3")
    assert change.actor.username == "sachbearbeiter"
    assert [m.to for m in mailoutbox] == [["erika@example.org"]]
    assert mailoutbox[0].subject == f"Ihre Meldung #{report.pk}: in Bearbeitung"
    assert "Trupp ist unterwegs" in mailoutbox[0].body and "Kolonne 3" not in mailoutbox[0].body


def test_internal_note_only_does_not_notify(report, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/v1/staff/reports/{report.pk}/status",
                              {"status": "submitted", "note_internal": "nur intern"}, format="json")
    assert response.status_code == 200
    assert Notification.objects.count() == 0


def test_illegal_transition_is_409_with_allowed(report, staff):
    Report.objects.filter(pk=report.pk).update(status="resolved")
    response = staff.post(f"/api/v1/staff/reports/{report.pk}/status", {"status": "in_progress"}, format="json")
    assert response.status_code == 409
    assert response.json()["allowed"] == ["open"]
    assert StatusChange.objects.filter(report=report).count() == 0


def test_resolve_sets_closed_at_and_reopen_clears(report, staff):
    staff.post(f"/api/v1/staff/reports/{report.pk}/status", {"status": "resolved"}, format="json")
    report.refresh_from_db()
    assert report.closed_at is not None
    staff.post(f"/api/v1/staff/reports/{report.pk}/status", {"status": "open"}, format="json")
    report.refresh_from_db()
    assert (report.status, report.closed_at) == ("open", None)


def test_duplicate_needs_original(report, staff, city):
    response = staff.post(f"/api/v1/staff/reports/{report.pk}/status", {"status": "duplicate"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"duplicate_of": ["Bitte die Originalmeldung angeben."]}
    original = ReportFactory(category=city.category)
    response = staff.post(f"/api/v1/staff/reports/{report.pk}/status",
                          {"status": "duplicate", "duplicate_of": original.pk}, format="json")
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.duplicate_of_id == original.pk


def test_reporter_reopens_by_token(report, api_client):
    url = f"/api/v1/reports/track/{report.tracking_token}/reopen"
    assert api_client.post(url, {"note": "Loch ist noch da"}, format="json").status_code == 409
    Report.objects.filter(pk=report.pk).update(status="resolved")
    response = api_client.post(url, {"note": "Loch ist noch da"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"  # back under "neu" in the department's queue
    assert "Loch ist noch da" in StatusChange.objects.get(report=report).note_internal


def test_reroute_notifies_new_department(report, staff, city, django_capture_on_commit_callbacks, mailoutbox):
    layer = LayerFactory(slug="parks")
    AreaFactory(layer=layer, geom=square(12.0, 50.85, 12.1, 50.9))
    gruen = DepartmentFactory(slug="gruen", name="Grünflächenamt", email="gruen@stadt.example")
    RuleFactory(layer=layer, category_group="gruen", department=gruen)
    baum = CategoryFactory(slug="baum", group="gruen")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/v1/staff/reports/{report.pk}/reroute",
                              {"category": "baum", "reason": "ist ein Baum"}, format="json")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert (report.category_id, report.department_id) == (baum.pk, gruen.pk)
    entry = StatusChange.objects.get(report=report, kind="reroute")
    assert entry.details["from"]["department"] == "tiefbau" and entry.details["to"]["department"] == "gruen"
    assert [m.to for m in mailoutbox] == [["gruen@stadt.example"]]
    assert "Meldung weitergeleitet von Tiefbauamt" in mailoutbox[0].subject


def test_reroute_to_a_chosen_department(report, staff, city, django_capture_on_commit_callbacks, mailoutbox):
    ordnung = DepartmentFactory(slug="ordnung", name="Ordnungsamt", email="ordnung@stadt.example")
    unknown = staff.post(f"/api/v1/staff/reports/{report.pk}/reroute", {"department": "nix", "reason": "x"},
                         format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"]["department"] == ["Unbekannter Fachbereich „nix“."]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/v1/staff/reports/{report.pk}/reroute",
                              {"department": "ordnung", "reason": "Sperrmüll, kein Schlagloch"}, format="json")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.department_id == ordnung.pk
    assert StatusChange.objects.get(report=report, kind="reroute").details["to"]["department"] == "ordnung"
    assert [m.to for m in mailoutbox] == [["ordnung@stadt.example"]]


def test_reroute_outside_city_is_400_and_changes_nothing(report, staff):
    response = staff.post(f"/api/v1/staff/reports/{report.pk}/reroute",
                          {"lon": 12.15, "lat": 50.87, "reason": "verschoben"}, format="json")
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.location.x == 12.05
    assert not StatusChange.objects.filter(report=report).exists()


def test_moderation_publishes_text_and_hides(report, staff, api_client):
    response = staff.post(f"/api/v1/staff/reports/{report.pk}/moderate",
                          {"moderation": "approved", "public_description": "Schlagloch, ca. 20 cm"}, format="json")
    assert response.status_code == 200
    assert response.json()["original_description"] == "Schlagloch vor dem Haus"
    features = api_client.get("/api/v1/reports/").json()["features"]
    assert features[0]["properties"]["description"] == "Schlagloch, ca. 20 cm"
    staff.post(f"/api/v1/staff/reports/{report.pk}/moderate", {"moderation": "hidden"}, format="json")
    assert api_client.get("/api/v1/reports/").json()["features"] == []
    assert StatusChange.objects.filter(report=report, kind="moderation").count() == 2
    bad = staff.post(f"/api/v1/staff/reports/{report.pk}/moderate", {"photos": [{"id": 999, "moderation": "approved"}]},
                     format="json")
    assert bad.status_code == 400


def test_staff_detail_shows_contact(report, staff):
    body = staff.get(f"/api/v1/staff/reports/{report.pk}/").json()
    assert body["reporter"]["email"] == "erika@example.org"


@pytest.mark.parametrize("who, expected", [("anonymous", 401), ("citizen", 403), ("other_staff", 403)])
def test_staff_endpoints_permissions(report, who, expected):
    client = APIClient()
    if who == "citizen":
        client.force_authenticate(UserFactory())
    elif who == "other_staff":
        user = UserFactory(is_staff=True)
        DepartmentFactory().members.add(user)
        client.force_authenticate(user)
    for path, data in [("", None), ("status", {"status": "open"}),
                       ("reroute", {"reason": "x", "category": "schlagloch"}),
                       ("moderate", {"moderation": "approved"})]:
        url = f"/api/v1/staff/reports/{report.pk}/{path}"
        response = client.get(url) if data is None else client.post(url, data, format="json")
        assert response.status_code == expected, (path, response.content)
    report.refresh_from_db()
    assert (report.status, report.moderation) == ("submitted", "pending")


def test_superuser_may_work_any_report(report):
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/api/v1/staff/reports/{report.pk}/").status_code == 200
    assert client.get("/api/v1/staff/reports/999999/").status_code == 404
