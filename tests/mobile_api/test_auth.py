"""Crew tokens: app login, logout, revoking in the admin, inactive crews and users, the command,
the login limit."""
import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from mobile_api.models import CrewToken

from .conftest import crew_client, task_make

pytestmark = pytest.mark.django_db


def test_login_returns_a_token_that_works_and_is_stored_hashed(world):
    response = APIClient().post("/api/mobile/v1/auth/token",
                                {"username": "bautrupp-a", "password": "pw-12345678", "name": "Diensthandy 3"},
                                format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token_type"] == "Crew" and body["token"].startswith("smc_")
    assert body["user"] == {"username": "bautrupp-a", "name": "Anna Trupp",
                            "crews": [{"id": world.crew_a.pk, "name": "Kolonne Nord", "department": "Tiefbauamt"}]}
    token = CrewToken.objects.get()
    assert (token.user, token.name, token.token_hash, token.prefix) == (
        world.worker_a, "Diensthandy 3", CrewToken.digest(body["token"]), body["token"][:12])
    assert body["token"] not in str(CrewToken.objects.values().get())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Crew {body['token']}")
    assert client.get("/api/mobile/v1/me").json()["username"] == "bautrupp-a"


@pytest.mark.parametrize(("username", "password"), [("bautrupp-a", "falsch"), ("niemand", "pw-12345678")])
def test_wrong_credentials_are_400_without_saying_which(world, username, password):
    response = APIClient().post("/api/mobile/v1/auth/token", {"username": username, "password": password},
                                format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Benutzername oder Passwort ist falsch.",
                               "errors": {"password": ["Benutzername oder Passwort ist falsch."]}}
    assert not CrewToken.objects.exists()


def test_logout_revokes_the_current_token_only(world):
    phone, tablet = crew_client(world.worker_a), crew_client(world.worker_a)
    assert phone.delete("/api/mobile/v1/auth/token").status_code == 204
    response = phone.get("/api/mobile/v1/tasks")
    assert (response.status_code, response.json()) == (
        401, {"detail": "Das Token ist ungültig oder wurde widerrufen."})
    assert tablet.get("/api/mobile/v1/tasks").status_code == 200


def test_revoke_in_the_admin(world, client):
    crew = crew_client(world.worker_a)
    client.force_login(world.admin)
    token = CrewToken.objects.get()
    page = client.get("/admin/mobile_api/crewtoken/")
    assert page.status_code == 200 and token.prefix in page.content.decode()
    response = client.post("/admin/mobile_api/crewtoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert crew.get("/api/mobile/v1/tasks").status_code == 401


def test_inactive_crew_or_user_is_401(world, client_a):
    world.crew_a.is_active = False
    world.crew_a.save()
    response = client_a.get("/api/mobile/v1/tasks")
    assert (response.status_code, response.json()) == (401, {"detail": "Sie gehören zu keinem aktiven Trupp."})
    world.crew_a.is_active = True
    world.crew_a.save()
    assert client_a.get("/api/mobile/v1/tasks").status_code == 200
    world.worker_a.is_active = False
    world.worker_a.save()
    response = client_a.get("/api/mobile/v1/tasks")
    assert (response.status_code, response.json()) == (401, {"detail": "Das Benutzerkonto ist deaktiviert."})


def test_inactive_crew_member_cannot_log_in(world):
    world.crew_a.is_active = False
    world.crew_a.save()
    response = APIClient().post("/api/mobile/v1/auth/token", {"username": "bautrupp-a", "password": "pw-12345678"},
                                format="json")
    assert (response.status_code, response.json()) == (403, {"detail": "Sie gehören zu keinem aktiven Trupp."})


def test_malformed_authorization_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Crew a b")
    response = client.get("/api/mobile/v1/tasks")
    assert (response.status_code, response.json()) == (
        401, {"detail": "Ungültiger Authorization-Header: „Crew <Token>“ erwartet."})


def test_create_crew_token_command(world, capsys):
    task = task_make(crew=world.crew_a, category=world.cat_a)
    call_command("create_crew_token", "bautrupp-a", "--name", "Werkstatt")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("smc_") and CrewToken.objects.get().name == "Werkstatt"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Crew {raw}")
    assert [t["id"] for t in client.get("/api/mobile/v1/tasks").json()["results"]] == [task.pk]
    with pytest.raises(CommandError, match="buergerin: Sie gehören zu keinem aktiven Trupp."):
        call_command("create_crew_token", "buergerin")
    with pytest.raises(CommandError, match="User 'niemand' does not exist."):
        call_command("create_crew_token", "niemand")


def test_logins_are_limited_per_address(world, settings):
    settings.MOBILE_API = {**settings.MOBILE_API, "LOGIN_RATE": "3/minute"}
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    codes = [client.post("/api/mobile/v1/auth/token", {"username": "bautrupp-a", "password": "falsch"},
                         format="json").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    cache.clear()


def test_schema_documents_the_crew_api(world, client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in ("/api/mobile/v1/auth/token", "/api/mobile/v1/me", "/api/mobile/v1/tasks",
                 "/api/mobile/v1/tasks/{id}", "/api/mobile/v1/tasks/{id}/transitions"):
        assert path in paths, path
    assert schema["components"]["securitySchemes"]["crewToken"]["type"] == "apiKey"
    transition = paths["/api/mobile/v1/tasks/{id}/transitions"]["post"]
    assert set(transition["responses"]) >= {"200", "400", "404", "409", "412", "415", "422"}
    assert {p["name"] for p in transition["parameters"]} >= {"Idempotency-Key", "If-Match"}
    task = schema["components"]["schemas"]["Task"]["properties"]
    assert {"reporter_name", "reporter_email", "reporter_phone"}.isdisjoint(task)
    assert {"distance_m", "allowed_actions", "version", "notes", "photos"} <= set(task)
    tasks_get = paths["/api/mobile/v1/tasks"]["get"]
    assert {"near", "since", "limit", "offset"} <= {p["name"] for p in tasks_get["parameters"]}
