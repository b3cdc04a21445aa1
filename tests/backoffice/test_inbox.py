"""The inbox /sachbearbeitung/: reports and cases of the clerk's departments in one list, its
tabs and counts, filters, search, paging, sorting, bulk actions (with refusal and errors),
the old case list's address; in Chromium: axe at 390 and 1280 px, keyboard only, without
JavaScript. Screenshot: office-inbox-desktop."""
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, CaseEvent, CaseMessage
from cases.services import case_create, case_message_add
from portal import hooks
from reporter.models import Report, StatusChange
from tests.cases.conftest import TEST_TYPE
from tests.factories import ReportFactory
from tests.fixtures_browser import DESKTOP, PHONE, axe_violations, screenshot

from .conftest import NORTH

pytestmark = pytest.mark.django_db
INBOX = "/sachbearbeitung/"


def keys(html: str) -> list[str]:
    """The "<kind>:<pk>" of the inbox rows, in order."""
    return re.findall(r'<tr id="row-[a-z]+-\d+" data-item="([a-z]+:\d+)"', html)


def page(client, url=INBOX, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:800]
    return response.content.decode()


@pytest.fixture(autouse=True)
def case_type():
    with hooks.register_temporarily("register_case_type", lambda: TEST_TYPE):
        yield TEST_TYPE


@pytest.fixture
def cases(office):
    """Cases next to the office's reports (today 2026-03-10; SLA 5 working days → due 17.03.)."""
    def make(department, **kwargs):
        values = {"service": "testdienst", "department": department, "title": "Lärm an der Baustelle",
                  "description": "Seit Tagen laut", "contact_name": "Hanna Beispiel",
                  "contact_email": "hanna@example.org"}
        values.update(kwargs)
        return case_create(**values)[0]

    new = make(office.roads, title="Sperrmüll im Hof")
    working = make(office.roads, title="Baulärm nachts", contact_name="Karl Kläger")
    Case.objects.filter(pk=working.pk).update(status="in_progress", due_date="2026-03-06")  # overdue
    done = make(office.roads, title="Erledigte Anfrage")
    Case.objects.filter(pk=done.pk).update(status="done", closed_at=timezone.now())
    shared = make(office.parks, title="Baum und Gehweg", participants=[office.roads])  # roads participates
    canary = make(office.parks, title="Kanarienvogel", contact_name="Greta Geheim")  # parks only
    return SimpleNamespace(new=new, working=working, done=done, shared=shared, canary=canary)


def rk(report) -> str:
    return f"meldung:{report.pk}"


def ck(case) -> str:
    return f"vorgang:{case.pk}"


# --- the list --------------------------------------------------------------------------------

def test_inbox_mixes_reports_and_cases_of_the_clerks_departments_only(client, office, cases):
    r = office.r
    client.force_login(office.staff_a)
    html = page(client, ansicht="alle")
    assert set(keys(html)) == {rk(r.new_north), rk(r.overdue_south), rk(r.light_north), rk(r.resolved),
                               ck(cases.new), ck(cases.working), ck(cases.done), ck(cases.shared)}
    assert "Kanarienvogel" not in html and "Greta" not in html and rk(r.tree) not in html
    # Bernd (Grünflächenamt) sees his report and both of his department's cases, nothing of roads.
    client.force_login(office.staff_b)
    assert set(keys(page(client, ansicht="alle"))) == {rk(r.tree), ck(cases.shared), ck(cases.canary)}


def test_rows_link_to_the_work_screens_with_status_labels_and_overdue_marks(client, office, cases):
    client.force_login(office.staff_a)
    html = page(client, ansicht="ueberfaellig")
    assert keys(html) == [ck(cases.working), rk(office.r.overdue_south)]  # longest overdue first
    assert f'<a href="/sachbearbeitung/vorgaenge/{cases.working.pk}/">{cases.working.reference}</a>' in html
    assert f'<a href="/sachbearbeitung/meldungen/{office.r.overdue_south.pk}/">#{office.r.overdue_south.pk}</a>' in html
    assert html.count('<span class="badge overdue-badge">überfällig</span>') == 2
    assert '<span class="status status-in_progress">In Bearbeitung</span>' in html
    assert "Schlagloch, Südstraße 5" in html


def test_tabs_show_counts_over_every_source(client, office, cases):
    client.force_login(office.staff_a)
    html = page(client)
    counts = dict(re.findall(r'ansicht=(\w+)"[^>]*>[^<]+<span class="count">\((\d+)\)', html))
    # Reports of roads: new_north (new), overdue_south, light_north open, resolved closed.
    # Cases of roads: new, shared (both new), working (open, overdue), done (closed).
    assert counts == {"offen": "6", "neu": "3", "ueberfaellig": "2", "alle": "8"}
    assert set(keys(page(client, ansicht="neu"))) == {rk(office.r.new_north), ck(cases.new), ck(cases.shared)}
    assert len(keys(html)) == 6  # "offen" is the default tab


def test_tab_counts_read_the_items_without_the_page_joins(client, office, cases):
    client.force_login(office.staff_a)
    with CaptureQueriesContext(connection) as ctx:
        page(client)
    counts = [q["sql"] for q in ctx.captured_queries if 'AS "ueberfaellig"' in q["sql"]]
    assert len(counts) == 2  # one per source
    # Names and titles are the page's: no join to categories, nor to departments beyond the scope.
    assert not any("routing_rules_category" in sql for sql in counts)
    case_count = next(sql for sql in counts if 'FROM "cases_case"' in sql)
    assert "JOIN" not in case_count
    # Lead OR participating department as a BitmapOr of two indexes (routing_rules.access.InArray).
    assert '"cases_case"."id" = ANY(ARRAY(SELECT' in case_count


@pytest.mark.parametrize("params, expected", [
    ({"art": "vorgang"}, ["new", "working", "shared", "canary"]),
    ({"art": "meldung"}, ["r:new_north", "r:overdue_south", "r:light_north", "r:tree"]),
    ({"leistung": "testdienst", "art": "vorgang"}, ["new", "working", "shared", "canary"]),
    ({"leistung": "maengelmelder"}, ["r:new_north", "r:overdue_south", "r:light_north", "r:tree"]),
    ({"leistung": "maengelmelder", "art": "vorgang"}, []),
    ({"fachbereich": "tiefbau", "art": "vorgang", "ansicht": "alle"}, ["new", "working", "done"]),
    ({"fachbereich": "gruen"}, ["r:tree", "shared", "canary"]),  # the lead department
])
def test_filters(client, office, cases, params, expected):
    client.force_login(office.admin)  # a superuser sees every department
    found = set(keys(page(client, **params)))
    assert found == {rk(getattr(office.r, name[2:])) if name.startswith("r:") else ck(getattr(cases, name))
                     for name in expected}


def test_service_filter_lists_the_services_with_their_catalogue_titles(client, office, cases):
    client.force_login(office.staff_a)
    html = page(client)
    assert ('<option value="maengelmelder">Mängelmelder: Schaden oder Gefahr im öffentlichen Raum melden</option>'
            in html)
    assert '<option value="testdienst">testdienst</option>' in html  # a case type without catalogue entry


@pytest.mark.parametrize("params, message", [
    ({"fachbereich": "gruen"}, "Fachbereich: Bitte eine gültige Auswahl treffen."),
    ({"leistung": "gibtsnicht"}, "Leistung: Bitte eine gültige Auswahl treffen."),
    ({"art": "brief"}, "Art: Bitte eine gültige Auswahl treffen."),
    ({"sortierung": "kategorie"}, "Sortierung: Bitte eine gültige Auswahl treffen."),
])
def test_invalid_filters_answer_400_with_a_summary(client, office, cases, params, message):
    client.force_login(office.staff_a)
    response = client.get(INBOX, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Kanarienvogel" not in response.content.decode()


def test_a_nul_character_in_the_search_answers_400(client, office):
    client.force_login(office.staff_a)
    assert client.get(INBOX, {"suche": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("query, expected", [
    ("{working_ref}", ["working"]), ("{working_ref_lower}", ["working"]), ("#{new_north}", ["r:new_north"]),
    ("{new_north}", ["r:new_north"]), ("Karl Kläger", ["working"]), ("Erika Muster", ["r:new_north"]),
    ("sperrmüll", ["new"]), ("herrn x", ["r:new_north"]), ("Greta", []), ("Kanarienvogel", []),
])
def test_search_by_reference_name_and_text(client, office, cases, query, expected):
    client.force_login(office.staff_a)
    query = query.format(working_ref=cases.working.reference, working_ref_lower=cases.working.reference.lower(),
                         new_north=office.r.new_north.pk)
    html = page(client, suche=query, ansicht="alle")
    assert keys(html) == [rk(getattr(office.r, n[2:])) if n.startswith("r:") else ck(getattr(cases, n))
                          for n in expected]
    assert f'value="{query}"' in html


def test_paging_over_both_sources(client, office, cases, time_machine):
    client.force_login(office.staff_a)
    for _i in range(14):
        ReportFactory(category=office.light, status="open", location=NORTH)
        case_create(service="testdienst", department=office.roads, title="Noch einer")
    first, second = keys(page(client)), keys(page(client, seite=2))
    assert (len(first), len(second)) == (25, 9)  # 6 + 28 open items
    assert not set(first) & set(second)
    assert "Seite 1 von 2" in page(client) and keys(page(client, seite=99)) == second  # the last page
    assert keys(page(client, seite="x")) == first


def test_sorting(client, office, cases):
    client.force_login(office.staff_a)
    by_number = keys(page(client, sortierung="nummer"))
    assert by_number[:3] == sorted([rk(office.r.new_north), rk(office.r.overdue_south), rk(office.r.light_north)],
                                   key=lambda k: "#" + k.split(":")[1])
    by_due = keys(page(client, sortierung="faellig"))
    assert by_due[0] == ck(cases.working)  # due 06.03.
    html = page(client, sortierung="faellig")
    assert '<th scope="col" aria-sort="ascending"><a href="?sortierung=-faellig">Fällig</a></th>' in html
    newest = keys(page(client))
    assert newest == list(reversed(keys(page(client, sortierung="eingang"))))


def test_query_count_does_not_grow_with_rows(client, office, cases):
    client.force_login(office.staff_a)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            page(client, ansicht="alle")
        return len(ctx.captured_queries)

    few = queries()
    for _i in range(10):
        ReportFactory(category=office.light, status="open", location=NORTH)
        case = case_create(service="testdienst", department=office.roads, title="Mehr")[0]
        case_message_add(case=case, body="Hallo", direction=CaseMessage.Direction.FROM_CITIZEN)
    # 11: the two sources' page and counts, the clerk's department ids read once for all of them
    # (literal ids: routing_rules.access.department_ids_of), the badges, session and user.
    assert queries() == few <= 11
    with CaptureQueriesContext(connection) as ctx:
        page(client, ansicht="alle")
    department_reads = [q for q in ctx.captured_queries
                        if q["sql"].startswith('SELECT "routing_rules_department"."id" AS "pk"')]
    assert len(department_reads) == 1


def test_unread_messages_of_cases_show_as_a_badge(client, office, cases):
    client.force_login(office.staff_a)
    for body in ("Eins", "Zwei"):
        case_message_add(case=cases.new, body=body, direction=CaseMessage.Direction.FROM_CITIZEN)
    assert '<span class="badge">2 neue Nachrichten</span>' in page(client)
    client.get(f"/sachbearbeitung/vorgaenge/{cases.new.pk}/")
    assert "neue Nachricht" not in page(client)


# --- bulk actions -----------------------------------------------------------------------------

def test_accept_reports_and_cases_together(client, office, cases, django_capture_on_commit_callbacks):
    client.force_login(office.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{INBOX}aktion/?ansicht=neu",
                               {"auswahl": [rk(office.r.new_north), ck(cases.new), ck(cases.shared)],
                                "aktion": "annehmen"})
    assert (response.status_code, response["Location"]) == (303, f"{INBOX}?ansicht=neu")
    assert Report.objects.get(pk=office.r.new_north.pk).status == "open"
    assert list(Case.objects.filter(pk__in=[cases.new.pk, cases.shared.pk]).values_list("status", flat=True)) == [
        "in_progress", "in_progress"]
    assert CaseEvent.objects.filter(kind="status", to_status="in_progress", actor=office.staff_a).count() == 2
    assert StatusChange.objects.filter(report=office.r.new_north, to_status="open", actor=office.staff_a).exists()
    html = page(client, ansicht="neu")
    assert "„Annehmen“: 3 Einträge erledigt." in html and keys(html) == []


def test_an_item_the_action_fails_on_rolls_everything_back(client, office, cases):
    client.force_login(office.staff_a)
    response = client.post(f"{INBOX}aktion/", {"auswahl": [ck(cases.new), rk(office.r.light_north), ck(cases.working)],
                                               "aktion": "annehmen"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a href="#select-meldung-{office.r.light_north.pk}">Meldung #{office.r.light_north.pk}: ' \
           f'Nicht mehr neu (Status „in Bearbeitung“).</a>' in html
    assert f'<a href="#select-vorgang-{cases.working.pk}">Vorgang {cases.working.reference}: ' \
           f'Nicht mehr neu (Status „In Bearbeitung“).</a>' in html
    assert Case.objects.get(pk=cases.new.pk).status == "new"  # the good one was rolled back too
    assert not CaseEvent.objects.filter(kind="status").exists()
    assert f'value="{ck(cases.new)}" id="select-vorgang-{cases.new.pk}" checked' in html  # selection kept


def test_items_outside_the_clerks_departments_are_refused_with_404(client, office, cases):
    client.force_login(office.staff_a)
    for foreign in (ck(cases.canary), rk(office.r.tree), "vorgang:999999"):
        response = client.post(f"{INBOX}aktion/", {"auswahl": [ck(cases.new), foreign], "aktion": "annehmen"})
        assert response.status_code == 404
        assert f"Diesen Eintrag gibt es nicht in Ihren Fachbereichen: {foreign}." in response.content.decode()
    assert Case.objects.get(pk=cases.new.pk).status == "new"
    assert Case.objects.get(pk=cases.canary.pk).status == "new"
    assert not CaseEvent.objects.filter(kind="status").exists()


@pytest.mark.parametrize("data, messages", [
    ({"aktion": "annehmen"}, ["Auswahl: Bitte mindestens einen Eintrag auswählen."]),
    ({"auswahl": ["x"], "aktion": "annehmen"}, ["Auswahl: Unbekannter Eintrag in der Auswahl."]),
    ({"auswahl": ["brief:1"], "aktion": "annehmen"}, ["Auswahl: Unbekannter Eintrag in der Auswahl."]),
    ({"auswahl": ["vorgang:{new}"]}, ["Aktion: Bitte eine Aktion wählen."]),
    ({"auswahl": ["vorgang:{new}"], "aktion": "loeschen"},
     ["Aktion: Bitte eine gültige Auswahl treffen. loeschen ist keine"]),
    ({"auswahl": ["vorgang:{new}"], "aktion": "weiterleiten"},
     ["an Fachbereich: Bitte einen Fachbereich wählen.", "Begründung: Bitte begründen Sie die Weiterleitung."]),
])
def test_invalid_action_input_answers_400_and_writes_nothing(client, office, cases, data, messages):
    client.force_login(office.staff_a)
    data = {k: [v.format(new=cases.new.pk) for v in value] if isinstance(value, list) else value
            for k, value in data.items()}
    response = client.post(f"{INBOX}aktion/", data)
    assert response.status_code == 400
    for message in messages:
        assert message in response.content.decode()
    assert Case.objects.get(pk=cases.new.pk).status == "new"


def test_hand_reports_and_cases_to_another_department(client, office, cases, django_capture_on_commit_callbacks):
    client.force_login(office.staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{INBOX}aktion/", {
            "auswahl": [rk(office.r.light_north), ck(cases.new)], "aktion": "weiterleiten", "ziel": "gruen",
            "begruendung": "Gehört zur Grünpflege"})
    assert (response.status_code, response["Location"]) == (303, INBOX)
    assert Report.objects.get(pk=office.r.light_north.pk).department == office.parks
    assert Case.objects.get(pk=cases.new.pk).department == office.parks
    assert CaseEvent.objects.get(case=cases.new, kind="assign").note_internal == "Gehört zur Grünpflege"
    html = page(client)
    assert rk(office.r.light_north) not in keys(html) and ck(cases.new) not in keys(html)
    # Handing to the department it is already in is an error of that item; nothing is written.
    response = client.post(f"{INBOX}aktion/", {"auswahl": [rk(office.r.new_north)], "aktion": "weiterleiten",
                                               "ziel": "tiefbau", "begruendung": "x"})
    assert response.status_code == 400
    assert "Die Meldung liegt bereits bei diesem Fachbereich." in response.content.decode()


# --- plugging, old addresses, navigation -------------------------------------------------------

def test_the_old_case_list_redirects_to_the_inbox_filtered_to_cases(client, office):
    client.force_login(office.staff_a)
    response = client.get("/sachbearbeitung/vorgaenge/", {"tab": "overdue", "suche": "Lärm", "seite": "3"})
    assert (response.status_code, response["Location"]) == (
        302, "/sachbearbeitung/?art=vorgang&ansicht=ueberfaellig&suche=L%C3%A4rm")


def test_navigation_and_login_land_on_the_inbox(client, office):
    client.force_login(office.staff_a)
    html = page(client)
    assert '<a href="/sachbearbeitung/" aria-current="page">Posteingang</a>' in html
    assert '<a href="/sachbearbeitung/meldungen/">Meldungen</a>' in html
    assert '<a href="/sachbearbeitung/meldungen/" aria-current="page">Meldungen</a>' in page(
        client, "/sachbearbeitung/meldungen/")


# --- in Chromium -------------------------------------------------------------------------------

def _login(page):
    page.goto(INBOX)
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill("pw-12345678")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^[^?]*/sachbearbeitung/$"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_inbox_is_accessible_and_works_by_keyboard(new_context, office, cases, viewport):
    page = new_context(viewport=viewport).new_page()
    _login(page)
    expect(page.locator("#inbox-table tbody tr")).to_have_count(6)
    assert axe_violations(page) == []
    if viewport == DESKTOP:
        screenshot(page, "office-inbox-desktop")
    # Keyboard only: tick the new case, choose "Annehmen", run it.
    _tab_to(page, f"select-vorgang-{cases.new.pk}")
    page.keyboard.press("Space")
    _tab_to(page, "id_aktion", backwards=True)
    page.keyboard.press("ArrowDown")  # the first action: Annehmen
    expect(page.locator("#id_aktion")).to_have_value("annehmen")
    for _ in range(3):  # past the department and the reason, which only a hand-over needs
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Ausführen"
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_have_text("„Annehmen“: 1 Eintrag erledigt.")
    assert Case.objects.get(pk=cases.new.pk).status == "in_progress"
    # Nothing selected: the error summary takes the focus and passes axe.
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Bitte mindestens einen Eintrag auswählen.")
    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_inbox_hand_over_without_javascript(new_context, office, cases):
    page = new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    _login(page)
    page.get_by_label("Suche").fill(cases.working.reference)
    page.get_by_role("button", name="Filter anwenden").click()
    expect(page.locator("#inbox-table tbody tr")).to_have_count(1)
    page.get_by_label(f"Vorgang {cases.working.reference} auswählen").check()
    page.get_by_label("Aktion").select_option("weiterleiten")
    page.get_by_label("an Fachbereich").select_option(label="Grünflächenamt")
    page.get_by_label("Begründung").fill("Grünpflege")
    page.get_by_role("button", name="Ausführen").click()
    expect(page.locator(".messages")).to_have_text("„An Fachbereich weiterleiten“: 1 Eintrag erledigt.")
    expect(page.locator("#inbox-table")).to_have_count(0)  # it left anna's departments
    assert Case.objects.get(pk=cases.working.pk).department == office.parks


def _tab_to(page, element_id: str, *, backwards: bool = False, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} not reached with Tab")
