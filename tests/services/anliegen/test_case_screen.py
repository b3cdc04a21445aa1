"""The case work screen for Anliegen: triage staff reassign with a reason, answer templates of
the case's service and department ("Vorlage einfügen" without JavaScript), linked cases on both
screens (added by reference, removable); report templates stay apart."""
import pytest

from backoffice.answers import answer_render_case
from backoffice.models import AnswerTemplate
from cases.models import CaseEvent, CaseLink
from services.anliegen.services import anliegen_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def triage_case(org):
    case, _created = anliegen_file(topic="verwaltung", description="Wann ist das Bürgeramt offen?",
                                   contact_name="Erika Muster", contact_email="erika@example.org")
    return case


def url(case, action=""):
    return f"/sachbearbeitung/vorgaenge/{case.pk}/" + (f"{action}/" if action else "")


def test_triage_reassigns_with_a_reason(client, org, triage_case):
    client.force_login(org.tina)
    html = client.get(url(triage_case)).content.decode()
    assert triage_case.reference in html and '<option value="ordnungsamt">Ordnungsamt</option>' in html
    response = client.post(url(triage_case, "weiterleiten"), {"department": "ordnungsamt", "reason": ""})
    assert response.status_code == 400
    assert "Bitte geben Sie einen Grund für die Weiterleitung an." in response.content.decode()
    response = client.post(url(triage_case, "weiterleiten"), {"department": "ordnungsamt",
                                                             "reason": "Öffnungszeiten: Ordnungsamt"})
    assert (response.status_code, response["Location"]) == (303, "/sachbearbeitung/vorgaenge/")
    triage_case.refresh_from_db()
    assert triage_case.department == org.order
    assert triage_case.events.get(kind="assign").note_internal == "Öffnungszeiten: Ordnungsamt"
    client.force_login(org.otto)
    assert client.get(url(triage_case)).status_code == 200


def test_templates_of_the_service_and_department_are_offered_and_inserted(client, org, triage_case):
    mine = AnswerTemplate.objects.create(service="anliegen", department=org.triage, title="Eingang",
                                         body="Ihr Anliegen {nummer} ({betreff}) bearbeitet {fachbereich} bis {frist}.")
    shared = AnswerTemplate.objects.create(service="anliegen", title="Erledigt", status="done",
                                           body="Erledigt am {heute}, eingegangen am {datum}.")
    AnswerTemplate.objects.create(service="anliegen", department=org.order, title="Fremd", body="x")
    AnswerTemplate.objects.create(title="Schlagloch", body="Meldung #{nummer}")  # a report template
    client.force_login(org.tina)
    html = client.get(url(triage_case)).content.decode()
    assert f'<option value="{mine.pk}">Eingang</option>' in html and "Erledigt</option>" in html
    assert "Fremd" not in html and "Schlagloch" not in html
    expected = answer_render_case(body=mine.body, case=triage_case)
    assert expected == (f"Ihr Anliegen {triage_case.reference} (Verwaltung und Service) bearbeitet Bürgerservice "
                        f"bis {triage_case.due_date:%d.%m.%Y}.")
    response = client.post(url(triage_case, "nachricht"), {"template": mine.pk, "apply_template": "1", "body": ""})
    assert response.status_code == 200
    assert f'name="body" rows="4">{expected}</textarea>' in response.content.decode()
    assert triage_case.messages.count() == 0  # inserting saves nothing
    response = client.post(url(triage_case, "status"), {"template": shared.pk, "apply_template": "1",
                                                        "status": "in_progress"})
    filled = response.content.decode()
    assert response.status_code == 200 and '<option value="done" selected>' in filled
    assert "Erledigt am " in filled and triage_case.events.count() == 1
    response = client.post(url(triage_case, "nachricht"), {"template": "", "apply_template": "1"})
    assert response.status_code == 400
    assert '<a href="#id_template_message">Bitte eine Vorlage auswählen.</a>' in response.content.decode()
    other = AnswerTemplate.objects.get(title="Fremd")
    assert client.post(url(triage_case, "nachricht"), {"template": other.pk, "apply_template": "1"}).status_code == 400


def test_template_status_must_belong_to_its_service(client, org):
    org.tina.is_superuser = True
    org.tina.save()
    client.force_login(org.tina)
    base = {"title": "T", "body": "x", "order": "1", "is_active": "on", "department": ""}
    response = client.post("/sachbearbeitung/vorlagen/neu/", {**base, "service": "anliegen", "status": "resolved"})
    assert response.status_code == 400
    assert "für Status: Diesen Status gibt es bei dieser Leistung nicht." in response.content.decode()
    response = client.post("/sachbearbeitung/vorlagen/neu/", {**base, "service": "anliegen", "status": "waiting"})
    assert response.status_code == 302
    created = AnswerTemplate.objects.get()
    assert (created.service, created.status, created.status_label) == ("anliegen", "waiting", "Rückfrage")
    assert "Rückfrage" in client.get("/sachbearbeitung/vorlagen/").content.decode()


def test_a_status_two_services_share_is_one_option_and_selected_once(client, org):
    import lxml.html

    org.tina.is_superuser = True
    org.tina.save()
    client.force_login(org.tina)
    template = AnswerTemplate.objects.create(title="T", body="x", service="anliegen", status="in_progress")
    form = lxml.html.fromstring(client.get(f"/sachbearbeitung/vorlagen/{template.pk}/").content)
    options = form.xpath('//select[@name="status"]/option[@value="in_progress"]')
    # One option, naming every service with that status (other installed services may share it too).
    assert len(options) == 1 and options[0].text.startswith("in Bearbeitung (Mängelmelder, ")
    assert options[0].text.endswith(", Allgemeines Anliegen an die Stadtverwaltung)")
    assert form.xpath('//select[@name="status"]/option[@selected]/@value') == ["in_progress"]


def test_link_related_cases_on_both_screens_and_remove(client, org, triage_case):
    other, _created = anliegen_file(topic="verwaltung", description="Auch: Öffnungszeiten Bürgeramt?")
    client.force_login(org.tina)
    response = client.post(url(triage_case, "verknuepfen"), {"other": other.reference.lower()})
    assert response.status_code == 303
    link = CaseLink.objects.get()
    assert (link.first, link.second) == (triage_case, other)
    for case, linked in ((triage_case, other), (other, triage_case)):
        html = client.get(url(case)).content.decode()
        assert f'<a href="/sachbearbeitung/vorgaenge/{linked.pk}/">{linked.reference}</a>' in html
    assert CaseEvent.objects.filter(kind="link").count() == 2
    response = client.post(url(other, "verknuepfen"), {"other": triage_case.reference})
    assert response.status_code == 409
    assert "sind bereits verknüpft" in response.content.decode()
    for value, message in (("", "Einen Vorgang mit dieser Nummer gibt es nicht in Ihren Fachbereichen."),
                           (other.reference, "Ein Vorgang kann nicht mit sich selbst verknüpft werden.")):
        response = client.post(url(other, "verknuepfen"), {"other": value})
        assert response.status_code == 400
        assert f'<a href="#id_other">{message}</a>' in response.content.decode()
    response = client.post(url(other, "verknuepfung-loesen"), {"other": triage_case.reference})
    assert response.status_code == 303
    assert CaseLink.objects.count() == 0 and CaseEvent.objects.filter(kind="link").count() == 4
    assert client.post(url(other, "verknuepfung-loesen"), {"other": triage_case.reference}).status_code == 400


def test_a_case_of_another_department_cannot_be_linked_and_shows_only_its_number(client, org, triage_case):
    foreign, _created = anliegen_file(topic="ordnung", description="Laute Musik in der Nacht, bitte prüfen.",
                                      contact_name="Geheim Name")
    client.force_login(org.tina)
    response = client.post(url(triage_case, "verknuepfen"), {"other": foreign.reference})
    assert response.status_code == 400
    org.triage.members.add(org.otto)
    client.force_login(org.otto)  # works in both departments
    assert client.post(url(triage_case, "verknuepfen"), {"other": foreign.reference}).status_code == 303
    client.force_login(org.tina)
    html = client.get(url(triage_case)).content.decode()
    assert foreign.reference in html and f"/sachbearbeitung/vorgaenge/{foreign.pk}/" not in html
    assert "Geheim Name" not in html
