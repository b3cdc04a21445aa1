"""The account page: sections from hooks, "Meine Daten", the JSON export (DSGVO Art. 15),
the deletion with the erase hook (DSGVO Art. 17); logins without the citizen level are none."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from accounts.identity import identity_for
from accounts.models import Identity
from accounts.sections import AccountSection
from portal import hooks

from .conftest import citizen_login

pytestmark = pytest.mark.django_db
User = get_user_model()


def make_identity(user, **claims):
    return Identity.objects.create(user=user, issuer="https://id.example", subject="abc-1", trust_level="hoch",
                                   claims=claims, last_login_at="2026-05-01T10:00:00Z")


def test_account_page_needs_a_citizen_login(client, citizen):
    response = client.get("/konto/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/anmelden/?stufe=basisregistrierung&next=%2Fkonto%2F"
    client.force_login(citizen)  # a login without the citizen account's level counts as none
    assert client.get("/konto/").status_code == 302


def test_staff_session_is_no_citizen_login(client):
    staff = User.objects.create_user("clerk", is_staff=True)
    citizen_login(client, staff, level="hoch")
    assert client.get("/konto/").status_code == 302


def test_account_page_shows_sections_in_order_and_my_data(client, citizen):
    citizen_login(client, citizen, claims={"given_name": "Erika", "family_name": "Mustermann",
                                           "birthdate": "1964-08-12"})

    def cases_section(request):
        return AccountSection(title="Meine Vorgänge", template_name="accounts/sections/links.html",
                              context={"items": [{"label": "ANL-2026-1", "url": "/anliegen/1/", "detail": "offen"}]},
                              order=10)

    def hidden_section(request):
        return None

    def documents_section(request):
        return AccountSection(title="Meine Dokumente", template_name="accounts/sections/links.html",
                              context={"items": [], "empty": "Keine Dokumente."}, order=20)

    with hooks.register_temporarily("register_account_section", documents_section), \
            hooks.register_temporarily("register_account_section", hidden_section), \
            hooks.register_temporarily("register_account_section", cases_section):
        response = client.get("/konto/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Meine Vorgänge") < html.index("Meine Dokumente") < html.index("Meine Daten")
    assert '<a href="/anliegen/1/">ANL-2026-1</a> – offen' in html
    assert "Keine Dokumente." in html
    assert "Erika Mustermann" in html and "1964-08-12" in html
    html = client.get("/konto/").content.decode()  # hooks gone: the services' own sections and "Meine Daten"
    assert "Meine Vorgänge" not in html and "Meine Dokumente" not in html
    assert html.count('class="account-section"') == 3


def test_identity_for_gives_values_and_their_source(client, citizen, rf):
    citizen_login(client, citizen, level="substanziell", claims={"given_name": "Erika", "postal_code": "07545"})
    request = rf.get("/")
    request.user = citizen
    request.session = client.session
    data = identity_for(request)
    assert data.values == {"given_name": "Erika", "postal_code": "07545"}
    assert data.from_identity == frozenset({"given_name", "postal_code"})
    assert data.get("family_name") == ""
    request.user = AnonymousUser()
    assert identity_for(request).values == {}


def test_data_export_contains_identity_and_hook_data(client, citizen):
    make_identity(citizen, given_name="Erika", family_name="Mustermann")
    citizen_login(client, citizen)
    with hooks.register_temporarily("register_account_export", lambda user: ("anliegen", [{"ref": "ANL-1"}])):
        response = client.get("/konto/daten.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meine-daten.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "erika@example.org"
    assert data["identities"] == [{
        "issuer": "https://id.example", "subject": "abc-1", "trust_level": "hoch",
        "claims": {"given_name": "Erika", "family_name": "Mustermann"},
        "created_at": data["identities"][0]["created_at"], "last_login_at": "2026-05-01T10:00:00+00:00",
    }]
    assert data["anliegen"] == [{"ref": "ANL-1"}]


def test_data_export_needs_login(client):
    response = client.get("/konto/daten.json")
    assert response.status_code == 302


def test_deletion_needs_confirmation(client, citizen):
    citizen_login(client, citizen)
    assert client.get("/konto/loeschen/").status_code == 200
    response = client.post("/konto/loeschen/", {})
    assert response.status_code == 400
    assert "Bitte bestätigen Sie, dass Ihr Konto gelöscht werden soll." in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()


def test_deletion_calls_the_erase_hook_then_removes_identity_and_user(client, citizen):
    make_identity(citizen)
    citizen_login(client, citizen)
    erased = []

    def erase(user):
        # Called before the user goes: a service can still find and anonymise its cases.
        assert User.objects.filter(pk=user.pk).exists()
        erased.append(user.pk)

    with hooks.register_temporarily("register_account_erase", erase):
        response = client.post("/konto/loeschen/", {"confirm": "on"})
    assert response.status_code == 200
    assert "Ihr Konto ist gelöscht" in response.content.decode()
    assert erased == [citizen.pk]
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert not Identity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_failing_erase_hook_deletes_nothing(client, citizen):
    make_identity(citizen)
    citizen_login(client, citizen)

    def erase(user):
        raise RuntimeError("case store down")

    with hooks.register_temporarily("register_account_erase", erase), pytest.raises(RuntimeError):
        client.post("/konto/loeschen/", {"confirm": "on"})
    assert User.objects.filter(pk=citizen.pk).exists()
    assert Identity.objects.count() == 1


def test_logout_needs_post(client, citizen):
    citizen_login(client, citizen)
    assert client.get("/konto/abmelden/").status_code == 405
    response = client.post("/konto/abmelden/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_page_offers_both_ways(client, settings):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "OIDC_ISSUER": "https://id.example", "OIDC_CLIENT_ID": "x"}
    html = client.get("/konto/anmelden/?next=/anliegen/").content.decode()
    assert 'name="next" value="/anliegen/"' in html
    assert "Mit Servicekonto anmelden" in html and "Anmeldelink anfordern" in html
    assert client.get("/konto/anmelden/?stufe=bogus").status_code == 200


@pytest.mark.parametrize("url", ["/", "/melden/", "/meine-meldungen/", "/statistik/", "/leistungen/", "/dataset/",
                                 "/vorgang/unbekannt/", "/verfolgen/unbekannt/"])
def test_every_citizen_page_links_my_account_in_the_header(client, url):
    html = client.get(url).content.decode()
    assert '<li><a href="/konto/">Mein Konto</a></li>' in html


def test_my_account_is_marked_current_on_the_account_pages(client, citizen):
    citizen_login(client, citizen)
    assert '<li><a href="/konto/" aria-current="page">Mein Konto</a></li>' in client.get("/konto/").content.decode()
    for url in ("/konto/loeschen/", "/konto/anmelden/"):
        html = client.get(url).content.decode()
        assert '<li><a href="/konto/" aria-current="true">Mein Konto</a></li>' in html


def test_my_account_link_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/konto/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/anmelden/")
