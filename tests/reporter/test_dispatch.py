"""Dispatch services: accept, assign (one or many), unassign, duplicate with supporter merge, refer.

Every write bumps `version`, leaves a history row and queues its messages after commit; a
refused request writes nothing."""
import pytest

from notifications.models import Notification
from reporter import dispatch
from reporter.models import Crew, Report, StatusChange, Support
from reporter.services import ReportInputError, supporter_key_make
from reporter.workflow import TransitionNotAllowed
from tests.factories import CategoryFactory, DepartmentFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roads():
    return DepartmentFactory(name="Tiefbauamt")


@pytest.fixture
def category(roads):
    return CategoryFactory(name="Schlagloch", default_department=roads)


@pytest.fixture
def crew(roads):
    crew = Crew.objects.create(department=roads, name="Kolonne 3")
    crew.members.add(UserFactory(email="kolonne3@stadt.example"), UserFactory(email=""))
    return crew


@pytest.fixture
def actor(roads):
    user = UserFactory(is_staff=True, username="sachbearbeiterin")
    roads.members.add(user)
    return user


def test_assign_many_at_once(category, crew, actor, django_capture_on_commit_callbacks, mailoutbox):
    reports = [ReportFactory(category=category, status=s, address=f"Weg {i}")
               for i, s in enumerate(["submitted", "open", "in_progress"])]
    with django_capture_on_commit_callbacks(execute=True):
        changed = dispatch.report_assign(reports=reports, crew=crew, actor=actor)

    assert sorted(r.pk for r in changed) == sorted(r.pk for r in reports)
    rows = Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk")
    assert [(r.crew_id, r.version, r.assigned_at is not None) for r in rows] == [(crew.pk, 2, True)] * 3
    history = StatusChange.objects.filter(kind="assignment").order_by("report_id")
    assert [(h.report_id, h.details, h.actor_id) for h in history] == [
        (r.pk, {"crew": crew.pk, "crew_name": "Kolonne 3", "previous_crew": None}, actor.pk) for r in reports]
    # One email to the one member with an address, listing the three tasks.
    assert [m.to for m in mailoutbox] == [["kolonne3@stadt.example"]]
    assert mailoutbox[0].subject == "[Stadtmelder] 3 neue Aufgaben für Kolonne 3"
    assert all(f"#{r.pk} Schlagloch – Weg {i}" in mailoutbox[0].body for i, r in enumerate(reports))

    # Again to the same crew: nothing changes, nothing is sent.
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch.report_assign(reports=[r.pk for r in reports], crew=crew, actor=actor) == []
    assert Report.objects.filter(version=2).count() == 3 and len(mailoutbox) == 1


def test_crew_of_another_department_is_refused_and_nothing_written(category, crew, actor):
    other_crew = Crew.objects.create(department=DepartmentFactory(name="Grünflächenamt"), name="Baumtrupp")
    mine = ReportFactory(category=category, status="open")
    also_mine = ReportFactory(category=category, status="open")

    with pytest.raises(ReportInputError) as exc:
        dispatch.report_assign(reports=[mine, also_mine], crew=other_crew, actor=actor)

    assert exc.value.errors == {"crew": [
        f"Der Trupp „Baumtrupp“ gehört zu Grünflächenamt; diese Meldungen gehören zu einem anderen Fachbereich: "
        f"#{mine.pk}, #{also_mine.pk}"]}
    assert set(Report.objects.values_list("crew_id", "version")) == {(None, 1)}
    assert not StatusChange.objects.exists() and not Notification.objects.exists()


def test_one_foreign_report_in_a_batch_refuses_the_whole_batch(category, crew, actor):
    mine = ReportFactory(category=category, status="open")
    foreign = ReportFactory(status="open")  # its own factory department
    with pytest.raises(ReportInputError):
        dispatch.report_assign(reports=[mine, foreign], crew=crew, actor=actor)
    assert Report.objects.filter(crew__isnull=False).count() == 0


def test_closed_reports_and_inactive_crews_are_refused(category, crew, actor):
    closed = ReportFactory(category=category, status="resolved")
    with pytest.raises(ReportInputError) as exc:
        dispatch.report_assign(reports=[closed], crew=crew, actor=actor)
    assert exc.value.errors == {"reports": [
        f"Abgeschlossene Meldungen können keinem Trupp zugewiesen werden: #{closed.pk}"]}
    crew.is_active = False
    crew.save()
    with pytest.raises(ReportInputError) as exc:
        dispatch.report_assign(reports=[ReportFactory(category=category)], crew=crew, actor=actor)
    assert exc.value.errors == {"crew": ["Der Trupp „Kolonne 3“ ist nicht aktiv."]}
    with pytest.raises(ReportInputError) as exc:
        dispatch.report_assign(reports=[], crew=crew, actor=actor)
    assert exc.value.errors == {"reports": ["Bitte mindestens eine Meldung auswählen."]}


def test_unassign(category, crew, actor):
    report = ReportFactory(category=category, status="open")
    dispatch.report_assign(reports=[report], crew=crew, actor=actor)
    dispatch.report_unassign(report=report, actor=actor)
    report.refresh_from_db()
    assert (report.crew_id, report.assigned_at, report.version) == (None, None, 3)
    assert StatusChange.objects.get(kind="unassignment").details == {"previous_crew": crew.pk}
    with pytest.raises(ReportInputError) as exc:
        dispatch.report_unassign(report=report, actor=actor)
    assert exc.value.errors == {"crew": ["Die Meldung ist keinem Trupp zugewiesen."]}


def test_accept_moves_submitted_to_open_and_tells_the_reporter(category, actor, django_capture_on_commit_callbacks,
                                                               mailoutbox):
    report = ReportFactory(category=category, reporter_email="erika@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch.report_accept(report=report, actor=actor, note_public="Wir kümmern uns.")
    report.refresh_from_db()
    assert (report.status, report.version) == ("open", 2)
    assert [m.subject for m in mailoutbox] == [f"Ihre Meldung #{report.pk}: offen"]
    assert "Wir kümmern uns." in mailoutbox[0].body
    with pytest.raises(TransitionNotAllowed) as exc:
        dispatch.report_accept(report=report, actor=actor)
    assert (exc.value.current, exc.value.requested) == ("open", "open")


def test_duplicate_merges_supporters_exactly(category, actor, django_capture_on_commit_callbacks, mailoutbox):
    original = ReportFactory(category=category, status="open", supporter_count=2)
    duplicate = ReportFactory(category=category, status="submitted", supporter_count=3,
                              reporter_email="max@example.org")
    for key in ("k1", "k2"):
        Support.objects.create(report=original, supporter_key=key)
    for key in ("k2", "k3", "k4"):
        Support.objects.create(report=duplicate, supporter_key=key)

    with django_capture_on_commit_callbacks(execute=True):
        change = dispatch.report_mark_duplicate(report=duplicate, original=original, actor=actor)

    original.refresh_from_db()
    duplicate.refresh_from_db()
    # k3 and k4 move over, k2 was there already, and the duplicate's reporter counts as one more.
    reporter_key = supporter_key_make(client_token=f"reporter-of-report:{duplicate.pk}")
    assert sorted(original.supports.values_list("supporter_key", flat=True)) == sorted(
        ["k1", "k2", "k3", "k4", reporter_key])
    assert (original.supporter_count, original.version, original.status) == (5, 2, "open")
    assert (duplicate.status, duplicate.duplicate_of_id, duplicate.version) == ("duplicate", original.pk, 2)
    assert duplicate.closed_at is not None
    assert change.details == {"duplicate_of": original.pk, "supporters_added": 3}
    merge = StatusChange.objects.get(report=original, kind="merge")
    assert merge.details == {"duplicate": duplicate.pk, "supporters_added": 3}
    # The reporter of the duplicate is told, publicly, where it goes on.
    assert [m.to for m in mailoutbox] == [["max@example.org"]]
    assert (f"Dieser Mangel wurde bereits gemeldet (Meldung #{original.pk}). Wir bearbeiten ihn dort weiter. "
            f"Stand: http://127.0.0.1:8000/meldungen/{original.pk}/") in mailoutbox[0].body
    assert change.note_public.startswith("Vielen Dank!")


def test_duplicate_refusals_write_nothing(category, actor):
    report = ReportFactory(category=category, status="open")
    root = ReportFactory(category=category, status="open")
    chained = ReportFactory(category=category, status="duplicate", duplicate_of=root)
    with pytest.raises(ReportInputError) as exc:
        dispatch.report_mark_duplicate(report=report, original=report, actor=actor)
    assert exc.value.errors == {"duplicate_of": ["Bitte die Originalmeldung angeben."]}
    with pytest.raises(ReportInputError) as exc:
        dispatch.report_mark_duplicate(report=report, original=chained, actor=actor)
    assert exc.value.errors == {"duplicate_of": [
        f"Meldung #{chained.pk} ist selbst eine Dublette von #{root.pk}; bitte diese angeben."]}
    closed = ReportFactory(category=category, status="resolved")
    with pytest.raises(TransitionNotAllowed):
        dispatch.report_mark_duplicate(report=closed, original=root, actor=actor)
    assert not StatusChange.objects.exists()
    assert set(Report.objects.values_list("version", flat=True)) == {1}


def test_refer_names_the_authority_to_the_reporter(category, actor, django_capture_on_commit_callbacks, mailoutbox):
    report = ReportFactory(category=category, status="open", reporter_email="erika@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        change = dispatch.report_refer(report=report, authority="Landratsamt Greiz", note="Die Straße ist eine "
                                       "Kreisstraße.", actor=actor)
    report.refresh_from_db()
    assert (report.status, report.version) == ("referred", 2)
    assert change.details == {"authority": "Landratsamt Greiz"}
    assert change.note_public == ("Für Ihr Anliegen ist eine andere Stelle zuständig. Wir haben Ihre Meldung "
                                  "abgegeben an: Landratsamt Greiz.\n\nDie Straße ist eine Kreisstraße.")
    assert [m.subject for m in mailoutbox] == [f"Ihre Meldung #{report.pk}: an andere Behörde abgegeben"]
    assert "abgegeben an: Landratsamt Greiz." in mailoutbox[0].body
    with pytest.raises(ReportInputError) as exc:
        dispatch.report_refer(report=ReportFactory(category=category), authority="  ", actor=actor)
    assert exc.value.errors == {"authority": ["Bitte die zuständige Stelle angeben."]}


def test_reroute_to_another_department_takes_the_crew_away(city, crew, actor):
    report = ReportFactory(category=city.category, department=crew.department, status="open")
    dispatch.report_assign(reports=[report], crew=crew, actor=actor)
    from django.contrib.gis.geos import Point

    from reporter.services import report_reroute

    report_reroute(report=report, point=Point(12.05, 50.87, srid=4326), reason="Zuständigkeit", actor=actor)
    report.refresh_from_db()
    assert report.department_id == city.department.pk != crew.department_id
    assert (report.crew_id, report.assigned_at) == (None, None)
