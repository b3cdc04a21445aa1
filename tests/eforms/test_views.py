"""The staff preview: only staff may enter; it renders a definition read-only and as a test
form that validates without storing anything. The admin checks definitions on save and is
for superusers only."""
import json

import pytest
from django.urls import reverse

from eforms.models import FormDefinition
from tests.factories import UserFactory

from .conftest import definition_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_web(client, staff_user):
    client.force_login(staff_user)
    return client


def test_anonymous_users_are_sent_to_the_login(client, anliegen):
    for url in ["/sachbearbeitung/formulare/", "/sachbearbeitung/formulare/anliegen/1/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/sachbearbeitung/anmelden/?next={url}"


def test_citizens_are_refused(client, citizen, anliegen):
    client.force_login(citizen)
    response = client.post("/sachbearbeitung/formulare/anliegen/1/", {"topic": "umwelt"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sachbearbeitung/anmelden/")


def test_the_list_shows_every_version(staff_web, anliegen, haushalt):
    response = staff_web.get(reverse("eforms:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/sachbearbeitung/formulare/anliegen/1/">Allgemeines Anliegen</a>' in html
    assert '<a href="/sachbearbeitung/formulare/demo-haushalt/1/">Demo: Angaben zum Haushalt</a>' in html


def test_the_preview_shows_the_definition_and_a_test_form(staff_web, haushalt):
    response = staff_web.get("/sachbearbeitung/formulare/demo-haushalt/1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vorschau: Demo: Angaben zum Haushalt</h1>" in html
    assert '<th scope="row"><code>family_name</code></th><td>F60000227</td>' in html
    assert "<td>heating = andere</td>" in html
    assert 'class="eform"' in html and "Testweise prüfen" in html
    assert "aus Ihrem Konto übernommen" not in html
    prefilled = staff_web.get("/sachbearbeitung/formulare/demo-haushalt/1/?identitaet=beispiel").content.decode()
    assert 'name="family_name" value="Mustermann"' in prefilled
    assert "aus Ihrem Konto übernommen" in prefilled


def test_a_test_submission_with_errors_answers_400_with_the_summary(staff_web, anliegen):
    response = staff_web.post("/sachbearbeitung/formulare/anliegen/1/", {"contact_wanted": "ja"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<h2 id="error-summary-title">Bitte prüfen Sie Ihre Angaben</h2>' in html
    assert '<li><a href="#id_topic_0">Bitte wählen Sie bei „Worum geht es?“ eine Antwort aus.</a></li>' in html
    assert '<li><a href="#id_contact_email">Bitte füllen Sie „E-Mail-Adresse“ aus.</a></li>' in html


def test_a_valid_test_submission_stores_nothing(staff_web, anliegen, settings, tmp_path):
    response = staff_web.post("/sachbearbeitung/formulare/anliegen/1/", {
        "topic": "umwelt", "description": "Der Spielplatz ist verschmutzt.", "contact_wanted": "nein",
        "declaration": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Die Eingaben sind gültig. Gespeichert wurde nichts." in html
    assert "<dt>Worum geht es?</dt>\n  <dd>Umwelt und Grünflächen</dd>" in html
    assert "<dt>Möchten Sie eine Antwort?</dt>\n  <dd>Nein</dd>" in html
    assert FormDefinition.objects.count() == 1
    assert not (tmp_path / "private").exists()


def test_adding_a_household_member_in_the_preview(staff_web, haushalt):
    response = staff_web.post("/sachbearbeitung/formulare/demo-haushalt/1/", {
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0", "members-0-name": "Max", "_add_members": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>Person 2</legend>" in html and "error-summary" not in html


def test_an_unknown_version_is_404(staff_web, anliegen):
    assert staff_web.get("/sachbearbeitung/formulare/anliegen/7/").status_code == 404


def test_the_preview_in_english(staff_web, anliegen):
    staff_web.cookies["django_language"] = "en"
    html = staff_web.get("/sachbearbeitung/formulare/anliegen/1/").content.decode()
    assert "<h1>Preview: General request</h1>" in html
    assert "What is it about?" in html and "Check as a test" in html


@pytest.fixture
def superuser_web(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_adds_a_checked_definition_as_a_new_version(superuser_web, anliegen):
    url = reverse("admin:eforms_formdefinition_add")
    broken = superuser_web.post(url, {"slug": "anliegen", "title": "X", "is_active": "on",
                                      "definition": json.dumps({"title": {"de": "X"}, "sections": []})})
    assert broken.status_code == 200
    assert "/sections: [] should be non-empty" in broken.content.decode()
    response = superuser_web.post(url, {"slug": "anliegen", "title": "Anliegen 2", "is_active": "on",
                                        "definition": json.dumps(definition_json("anliegen"))})
    assert response.status_code == 302
    assert list(FormDefinition.objects.values_list("version", "title")) == [(2, "Anliegen 2"),
                                                                            (1, "Allgemeines Anliegen")]


def test_the_admin_changes_only_is_active_of_an_existing_version(superuser_web, anliegen):
    url = reverse("admin:eforms_formdefinition_change", args=[anliegen.pk])
    response = superuser_web.post(url, {"definition": "{}", "title": "Neu"})
    assert response.status_code == 302
    anliegen.refresh_from_db()
    assert (anliegen.is_active, anliegen.title, anliegen.definition) == (
        False, "Allgemeines Anliegen", definition_json("anliegen"))


def test_the_admin_is_closed_to_staff_without_superuser_rights(client, staff_user, anliegen):
    staff_user.is_superuser = False
    staff_user.save()
    client.force_login(staff_user)
    assert client.get(reverse("admin:eforms_formdefinition_changelist")).status_code == 403


@pytest.mark.parametrize(("payload", "status"), [
    ({"members-TOTAL_FORMS": "abc", "members-INITIAL_FORMS": "x"}, 400),
    ({"members-TOTAL_FORMS": "100000", "members-INITIAL_FORMS": "0", "_add_members": "1"}, 200),
    ({"members-TOTAL_FORMS": "-5", "members-INITIAL_FORMS": "0", "_add_members": "1"}, 200),
    ({"_add_nothing": "1", "heating": ["gas", "andere"], "benefits": "nix", "birthdate": "31.02.1999"}, 400),
    ({"living_space": "1e9999", "rooms": "NaN", "move_in": "0000-00-00", "nationality": "ZZ",
      "rent_contract": "not a file", "address__postcode": "x" * 5000, "declaration": "maybe"}, 400),
])
def test_no_input_makes_the_preview_fail(staff_web, haushalt, payload, status):
    response = staff_web.post("/sachbearbeitung/formulare/demo-haushalt/1/", payload)
    assert response.status_code == status
    if status == 200:  # an item was added: between one and max_items (6) items, no errors
        items = response.content.decode().count('<fieldset class="eform-item">')
        assert 1 <= items <= 6
        assert "error-summary" not in response.content.decode()
