"""Topic rules: routing order and matching, export and import as versioned YAML (round trip,
all or nothing), and the admin scoped to the clerk's departments."""
import io

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from routing_rules.services import RulesFileError
from services.anliegen.models import TopicRule
from services.anliegen.routing import department_for
from services.anliegen.rules_file import topic_rules_export, topic_rules_load

pytestmark = pytest.mark.django_db


def test_first_matching_active_rule_wins(org):
    assert department_for(topic="ordnung", text="Laub vor der Tür").rule == org.rules.order  # order 10 first
    assert department_for(topic="umwelt", text="Viel laub auf dem Weg").department == org.parks
    assert department_for(topic="verkehr", text="Ampel").is_triage  # the only verkehr rule is inactive
    org.parks.is_active = False
    org.parks.save()
    assert department_for(topic="umwelt", text="Laub").department == org.triage


def test_misconfigured_triage_department_fails_loudly(org, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.ANLIEGEN = {"TRIAGE_DEPARTMENT": "gibtsnicht"}
    with pytest.raises(ImproperlyConfigured, match="gibtsnicht"):
        department_for(topic="sonstiges", text="x")


def test_export_and_import_round_trip(org, tmp_path):
    data = topic_rules_export()
    assert data["version"] == 1
    assert data["rules"][2] == {"name": "Müll → Grün", "order": 20, "topic": "", "keywords": ["Sperrmüll", "Laub"],
                                "department": "gruen", "active": True}
    path = tmp_path / "themenregeln.yaml"
    call_command("export_topic_rules", str(path), stdout=io.StringIO())
    TopicRule.objects.all().delete()
    out = io.StringIO()
    call_command("load_topic_rules", str(path), stdout=out)
    assert out.getvalue().strip() == "loaded 3 rules"
    assert topic_rules_export() == data
    stdout = io.StringIO()
    call_command("export_topic_rules", stdout=stdout)
    assert yaml.safe_load(stdout.getvalue()) == data


@pytest.mark.parametrize(("change", "message"), [
    ({"department": "gibtsnicht"}, "Regel 1: unbekannter Fachbereich „gibtsnicht“."),
    ({"topic": "erfunden"}, "Regel 1: unbekanntes Thema „erfunden“."),
    ({"topic": "", "keywords": []}, "Regel 1: „topic“ oder „keywords“ angeben."),
    ({"keywords": "Lärm"}, "Regel 1: „keywords“ muss eine Liste von Wörtern sein."),
    ({"order": "eins"}, "Regel 1: „order“ muss eine ganze Zahl von 0 bis 32767 sein."),
    ({"farbe": "rot"}, "Regel 1: unbekannte Felder farbe."),
])
def test_a_bad_file_changes_nothing(org, change, message):
    data = topic_rules_export()
    data["rules"][0].update(change)
    with pytest.raises(RulesFileError, match=message):
        topic_rules_load(data=data)
    assert TopicRule.objects.count() == 3


def test_the_load_command_reports_errors(org, tmp_path):
    path = tmp_path / "kaputt.yaml"
    path.write_text("version: 2\nrules: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Regeldatei: „version: 1“ erwartet."):
        call_command("load_topic_rules", str(path))
    assert TopicRule.objects.count() == 3


def test_routing_rules_commands_still_work(db, tmp_path):
    path = tmp_path / "regeln.yaml"
    call_command("export_rules", str(path), stdout=io.StringIO())
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"version": 1, "rules": []}
    out = io.StringIO()
    call_command("load_rules", str(path), stdout=out)
    assert out.getvalue().strip() == "loaded 0 rules"


@pytest.fixture
def clerk_admin(client, org):
    org.otto.user_permissions.set(Permission.objects.filter(content_type__app_label="anliegen"))
    client.force_login(org.otto)
    return client


def test_admin_is_scoped_to_the_clerks_departments(clerk_admin, org):
    changelist = reverse("admin:anliegen_topicrule_changelist")
    html = clerk_admin.get(changelist).content.decode()
    assert "Ordnung → Ordnungsamt" in html and "Müll → Grün" not in html
    other = reverse("admin:anliegen_topicrule_change", args=[org.rules.waste.pk])
    assert clerk_admin.get(other).status_code == 302  # Django's admin: a missing object goes to the index
    response = clerk_admin.post(other, {"name": "gekapert", "topic": "", "keywords": "x", "department": org.order.pk,
                                        "order": 1, "is_active": "on"})
    assert response.status_code == 302
    assert TopicRule.objects.get(pk=org.rules.waste.pk).name == "Müll → Grün"
    add = clerk_admin.get(reverse("admin:anliegen_topicrule_add")).content.decode()
    assert "Ordnungsamt" in add and "Grünflächenamt" not in add
    response = clerk_admin.post(reverse("admin:anliegen_topicrule_add"), {
        "name": "fremd", "topic": "umwelt", "keywords": "", "department": org.parks.pk, "order": 1,
        "is_active": "on"})
    assert response.status_code == 200  # the department is not among the choices
    assert not TopicRule.objects.filter(name="fremd").exists()
    response = clerk_admin.post(reverse("admin:anliegen_topicrule_add"), {
        "name": "leer", "topic": "", "keywords": "", "department": org.order.pk, "order": 1, "is_active": "on"})
    assert "Bitte geben Sie ein Thema oder Stichwörter an." in response.content.decode()
    response = clerk_admin.post(reverse("admin:anliegen_topicrule_add"), {
        "name": "Lärm", "topic": "", "keywords": "Lärm, Musik", "department": org.order.pk, "order": 1,
        "is_active": "on"})
    assert response.status_code == 302
    assert TopicRule.objects.get(name="Lärm").department == org.order


def test_superuser_sees_every_rule(admin_client, org):
    html = admin_client.get(reverse("admin:anliegen_topicrule_changelist")).content.decode()
    assert "Ordnung → Ordnungsamt" in html and "Müll → Grün" in html
