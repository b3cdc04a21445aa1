"""Authorisation matrix: who gets which status code on every field-crew endpoint, and what a crew
token opens elsewhere (nothing: not the staff API, not the admin)."""
import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from mobile_api.models import CrewToken

from .conftest import crew_client, task_make

pytestmark = pytest.mark.django_db

PASSWORD = "pw-12345678"  # tests.factories.UserFactory
WHO = ["anonymous", "citizen", "crew_a", "crew_b", "staff", "admin"]


def client_for(world, who) -> APIClient:
    if who in ("crew_a", "crew_b"):
        return crew_client(world.worker_a if who == "crew_a" else world.worker_b)
    client = APIClient()
    if who != "anonymous":
        client.force_login(getattr(world, who))  # a session: the crew API does not accept one
    return client


def login_body(world, who) -> dict:
    user = {"citizen": world.citizen, "crew_a": world.worker_a, "crew_b": world.worker_b, "staff": world.staff,
            "admin": world.admin}.get(who)
    return {"username": user.username if user else "niemand", "password": PASSWORD if user else "falsch"}


#                                   anonymous citizen crew_a crew_b staff admin
MATRIX = {
    ("POST", "auth/token"):          (400,      403,     201,   201,   403,  403),
    ("DELETE", "auth/token"):        (401,      401,     204,   204,   401,  401),
    ("GET", "me"):                   (401,      401,     200,   200,   401,  401),
    ("GET", "tasks"):                (401,      401,     200,   200,   401,  401),
    ("GET", "tasks/{a}"):            (401,      401,     200,   404,   401,  401),
    ("POST", "tasks/{a}/transitions"): (401,    401,     200,   404,   401,  401),
}


@pytest.mark.parametrize(("method", "path"), list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_matrix(world, method, path, who):
    task = task_make(crew=world.crew_a, category=world.cat_a)
    client = client_for(world, who)
    url = "/api/mobile/v1/" + path.format(a=task.pk)
    if path == "auth/token" and method == "POST":
        response = client.post(url, login_body(world, who), format="json")
    elif method == "POST":
        response = client.post(url, {"action": "start"}, format="json")
    else:
        response = getattr(client, method.lower())(url)
    expected = MATRIX[(method, path)][WHO.index(who)]
    assert response.status_code == expected, response.content
    if expected == 401:
        assert response["WWW-Authenticate"] == 'Crew realm="mobile"'
        assert response.json() == {"detail": "Anmeldedaten fehlen."}


def test_crew_token_opens_no_staff_endpoint_and_not_the_admin(world):
    task = task_make(crew=world.crew_a, category=world.cat_a)
    client = crew_client(world.worker_a)
    assert client.get(f"/api/v1/staff/reports/{task.pk}/").status_code == 401
    assert client.post(f"/api/v1/staff/reports/{task.pk}/status", {"status": "resolved"},
                       format="json").status_code == 401
    # The same raw token with DRF's keyword is not a DRF token either.
    client.credentials(HTTP_AUTHORIZATION=f"Token {client.raw_token}")
    assert client.get(f"/api/v1/staff/reports/{task.pk}/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Crew {client.raw_token}")
    for url in ("/admin/", "/admin/reporter/report/", f"/admin/reporter/report/{task.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    task.refresh_from_db()
    assert task.status == "open"


def test_staff_drf_token_does_not_open_the_crew_api(world):
    task = task_make(crew=world.crew_a, category=world.cat_a)
    world.crew_a.members.add(world.staff)  # even a staff member who is also in the crew
    token = Token.objects.create(user=world.staff)
    client = APIClient()
    for header in (f"Token {token.key}", f"Crew {token.key}", f"Bearer {token.key}"):
        client.credentials(HTTP_AUTHORIZATION=header)
        assert client.get("/api/mobile/v1/tasks").status_code == 401
        assert client.get(f"/api/mobile/v1/tasks/{task.pk}").status_code == 401


def test_citizen_with_a_token_row_is_401(world):
    """Not a crew member (e.g. removed from all crews after the login): the token stops working."""
    raw = CrewToken.generate()
    CrewToken.objects.create(user=world.citizen, token_hash=CrewToken.digest(raw), prefix=raw[:12])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Crew {raw}")
    response = client.get("/api/mobile/v1/tasks")
    assert (response.status_code, response.json()) == (401, {"detail": "Sie gehören zu keinem aktiven Trupp."})
