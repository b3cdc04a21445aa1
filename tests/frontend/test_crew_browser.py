"""The crew web app in a real phone browser (Debian's Chromium via Playwright, live server):
login, nearest task first, closing it with an after-photo while offline, exactly one transition
once online; a 412 conflict is shown and not overwritten; photos are downscaled on the phone (HEIC
sent as it is); a sync token the server no longer serves (410) leads to a full reload; axe-core finds
no WCAG 2.1 AA problems."""
from datetime import datetime, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from playwright.sync_api import expect

from mobile_api.models import IdempotencyKey
from reporter.models import Crew, Report, ReportPhoto, StatusChange
from reporter.services import report_status_change
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory, UserFactory
from tests.fixtures_browser import axe_violations, screenshot, wait_for
from tests.reporter.images import jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

GPS = {"longitude": 12.07, "latitude": 50.88}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def crew_world():
    department = DepartmentFactory(slug="tiefbau", name="Tiefbauamt", email="tiefbau@stadt.example")
    category = CategoryFactory(slug="schlagloch", name="Schlagloch", default_department=department)
    worker = UserFactory(username="bautrupp", first_name="Bernd", last_name="Bau")
    crew = Crew.objects.create(department=department, name="Kolonne Nord")
    crew.members.add(worker)
    other_crew = Crew.objects.create(department=department, name="Kolonne Süd")

    def task(lon, lat, crew=crew, **kwargs):
        return ReportFactory(category=category, department=department, crew=crew, assigned_at=timezone.now(),
                             status="open", location=Point(lon, lat, srid=4326), reporter_email="erika@example.org",
                             address=f"Straße bei {lon:.4f}", **kwargs)

    far, nearest, middle = task(12.09, 50.87), task(12.0705, 50.8801), task(12.075, 50.882)
    task(12.07, 50.88, crew=other_crew)  # nearer than all, but not ours
    return worker, [nearest, middle, far]


def login(page):
    page.goto("/crew/")
    page.wait_for_url("**/crew/anmelden/")
    page.get_by_label("Benutzername").fill("bautrupp")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/crew/")


def test_crew_member_closes_the_nearest_task_offline_with_an_after_photo(new_context):
    worker, tasks = crew_world()
    context = new_context(geolocation=GPS, permissions=["geolocation"])
    page = context.new_page()
    login(page)
    expect(page.locator("#position-status")).to_contain_text("Sortiert nach Entfernung von Ihrem Standort")
    expect(page.locator(".task-link")).to_have_text([f"Schlagloch #{t.pk}" for t in tasks])
    expect(page.locator(".task-item").first).to_contain_text("37 m entfernt")
    expect(page.locator("#crew-user")).to_have_text("Bernd Bau")
    screenshot(page, "crew-tasks")
    # The crew service worker controls the /crew/ pages from the next load on.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    expect(page.locator(".task-link")).to_have_count(3)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/crew/sw.js")

    context.set_offline(True)
    page.locator(".task-link").first.click()
    page.wait_for_url(f"**/crew/aufgabe/?id={tasks[0].pk}")
    expect(page.locator("h1")).to_have_text(f"Schlagloch #{tasks[0].pk}")
    expect(page.locator("#task-navigate")).to_have_attribute("href", "geo:50.880100,12.070500?q=50.880100,12.070500")
    expect(page.locator("#connection-status")).to_be_visible()
    page.set_input_files("#id_photos_after", files=[{"name": "nachher.jpg", "mimeType": "image/jpeg",
                                                     "buffer": jpeg_bytes(size=(400, 300))}])
    page.get_by_label("Notiz für die meldende Person (öffentlich, freiwillig)").fill("Loch verfüllt.")
    page.get_by_role("button", name="Erledigt").click()
    expect(page.locator("#action-status")).to_have_text("Gespeichert. Wird gesendet, sobald eine Verbindung besteht.")
    expect(page.locator("#crew-outbox")).to_have_text("1 Änderung wartet auf Übertragung.")
    screenshot(page, "crew-task-offline")
    page.wait_for_timeout(500)
    assert not StatusChange.objects.filter(report=tasks[0]).exists()

    context.set_offline(False)
    assert wait_for(page, lambda: StatusChange.objects.filter(report=tasks[0], to_status="resolved").exists())
    expect(page.locator("#action-status")).to_have_text("Übertragen: Erledigt.")
    expect(page.locator("#crew-outbox")).to_be_hidden()
    page.reload()  # a second load flushes the (empty) outbox again: nothing is sent twice
    page.wait_for_timeout(1000)
    change = StatusChange.objects.get(report=tasks[0])
    assert (change.from_status, change.to_status, change.note_public, change.actor) == (
        "open", "resolved", "Loch verfüllt.", worker)
    assert list(ReportPhoto.objects.filter(report=tasks[0]).values_list("kind", flat=True)) == ["after"]
    assert IdempotencyKey.objects.filter(user=worker).count() == 1
    assert Report.objects.get(pk=tasks[0].pk).status == "resolved"
    page.goto("/crew/")
    expect(page.locator(".task-link")).to_have_text([f"Schlagloch #{t.pk}" for t in tasks[1:]])


def test_a_conflict_is_shown_and_the_office_change_is_kept(new_context):
    _worker, tasks = crew_world()
    context = new_context(geolocation=GPS, permissions=["geolocation"])
    page = context.new_page()
    login(page)
    page.goto(f"/crew/aufgabe/?id={tasks[0].pk}")
    expect(page.get_by_role("button", name="Arbeit beginnen")).to_be_visible()
    context.set_offline(True)
    page.get_by_role("button", name="Arbeit beginnen").click()
    expect(page.locator("#action-status")).to_contain_text("Gespeichert")
    # Meanwhile the office writes a note: the task's version moves on.
    report_status_change(report=tasks[0], to_status="open", note_internal="Material fehlt noch")
    context.set_offline(False)
    conflict = page.locator("#task-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Konflikt: Die Aufgabe wurde inzwischen im Büro geändert (jetzt: offen). "
                                     "Ihre Änderung „Arbeit beginnen“ wurde nicht übertragen.")
    expect(conflict).to_be_focused()
    assert axe_violations(page) == []
    screenshot(page, "crew-task-conflict")
    assert list(StatusChange.objects.filter(report=tasks[0]).values_list("to_status", "note_internal")) == [
        ("open", "Material fehlt noch")]
    page.get_by_role("button", name="Meine Änderung verwerfen").click()
    expect(conflict).to_be_hidden()
    expect(page.locator("#task-notes")).to_contain_text("Material fehlt noch")
    assert Report.objects.get(pk=tasks[0].pk).status == "open"


def test_without_position_the_list_is_sorted_by_due_date(new_context):
    from datetime import date

    _worker, tasks = crew_world()
    Report.objects.filter(pk=tasks[2].pk).update(due_date=date(2027, 1, 1))
    Report.objects.filter(pk=tasks[0].pk).update(due_date=date(2027, 2, 1))
    page = new_context().new_page()  # no geolocation permission
    login(page)
    expect(page.locator("#position-status")).to_have_text("Ohne Standort: sortiert nach Fälligkeit.")
    expect(page.locator(".task-link")).to_have_text([f"Schlagloch #{t.pk}" for t in (tasks[2], tasks[0], tasks[1])])


def test_crew_pages_have_no_axe_violations(new_context):
    _worker, tasks = crew_world()
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    page.goto("/crew/anmelden/")
    assert axe_violations(page) == []
    login(page)
    expect(page.locator(".task-link")).to_have_count(3)
    assert axe_violations(page) == []
    page.goto(f"/crew/aufgabe/?id={tasks[0].pk}")
    expect(page.get_by_role("button", name="Erledigt")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "crew-task")


def test_photos_are_downscaled_on_the_phone_and_heic_is_sent_as_it_is(new_context):
    import io

    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    heic = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 40)).save(heic, "HEIF")
    heic = heic.getvalue()
    _worker, tasks = crew_world()
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    login(page)
    page.goto(f"/crew/aufgabe/?id={tasks[0].pk}")
    expect(page.get_by_role("button", name="Erledigt")).to_be_visible()
    page.set_input_files("#id_photos_before", files=[{"name": "IMG_0001.HEIC", "mimeType": "image/heic",
                                                      "buffer": heic}])
    page.set_input_files("#id_photos_after", files=[{"name": "nachher.jpg", "mimeType": "image/jpeg",
                                                     "buffer": jpeg_bytes(size=(4000, 3000))}])  # 12 MP
    page.get_by_role("button", name="Erledigt").click()
    expect(page.locator("#action-status")).to_have_text("Übertragen: Erledigt.")
    after = ReportPhoto.objects.get(report=tasks[0], kind="after")
    # The original as the server received it: about 2 MP, JPEG (sqrt(2 MP / 12 MP) × 4000 × 3000).
    assert (after.width, after.height, after.content_type) == (1633, 1225, "image/jpeg")
    before = ReportPhoto.objects.get(report=tasks[0], kind="before")
    assert (before.content_type, before.original_bytes) == ("image/heic", len(heic))
    with before.original.open("rb") as original:
        assert original.read() == heic
    assert Report.objects.get(pk=tasks[0].pk).status == "resolved"


def test_a_sync_token_older_than_the_server_keeps_loads_everything_again(new_context):
    _worker, tasks = crew_world()
    page = new_context(geolocation=GPS, permissions=["geolocation"]).new_page()
    login(page)
    expect(page.locator(".task-link")).to_have_count(3)
    # The app was last synced long ago (beyond MOBILE_API["SYNC_LOG_RETENTION_DAYS"]) and knows one task.
    page.evaluate("""() => {
      const data = JSON.parse(localStorage.getItem("stadtmelder.crew.tasks"));
      const keep = Object.keys(data.tasks)[0];
      data.tasks = {[keep]: data.tasks[keep]};
      data.sync_token = "2020-01-01T00:00:00Z";
      localStorage.setItem("stadtmelder.crew.tasks", JSON.stringify(data));
    }""")
    before = timezone.now()
    page.reload()  # the delta sync answers 410 Gone: the app drops its token and loads the whole list
    expect(page.locator(".task-link")).to_have_text([f"Schlagloch #{t.pk}" for t in tasks])
    token = page.evaluate("JSON.parse(localStorage.getItem('stadtmelder.crew.tasks')).sync_token")
    assert datetime.fromisoformat(token.replace("Z", "+00:00")) > before - timedelta(minutes=1)
