"""Passwordless email login: a one-time link (hash stored, single use, 15 minutes), queued
through the notification outbox, rate-limited per address and per client, never for staff."""
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import EmailLoginToken
from accounts.trust import SESSION_LEVEL
from notifications.models import Notification

pytestmark = pytest.mark.django_db
User = get_user_model()


def request_link(client, email, ip="192.0.2.10"):
    return client.post("/konto/anmelden/email/", {"email": email}, REMOTE_ADDR=ip)


def link_path(email) -> str:
    body = Notification.objects.get(recipient=email, event="account.login_link").body
    return re.search(r"http://\S+(/konto/anmelden/email/\S+/)", body).group(1)


def unique_email() -> str:
    return f"buerger-{uuid.uuid4().hex[:8]}@example.org"


def test_link_is_queued_and_logs_in_once(client):
    email = unique_email()
    response = request_link(client, email)
    assert response.status_code == 200
    assert "Bitte sehen Sie in Ihr Postfach" in response.content.decode()
    notification = Notification.objects.get(recipient=email)
    assert notification.channel == "email"
    assert notification.subject == "Ihr Anmeldelink"
    assert "15 Minuten" in notification.body
    token = EmailLoginToken.objects.get(email=email)
    path = link_path(email)
    assert path.split("/")[-2] not in token.token_hash  # only the hash is stored
    assert len(token.token_hash) == 64

    assert client.get(path).status_code == 200  # GET (a mail scanner) uses nothing up
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    user = User.objects.get(email=email)
    assert not user.is_staff and not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_LEVEL] == "basisregistrierung"
    token.refresh_from_db()
    assert token.used_at is not None

    client.post("/konto/abmelden/")
    response = client.post(path)
    assert response.status_code == 400
    assert "schon benutzt oder abgelaufen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_link_expires_after_15_minutes(client):
    email = unique_email()
    request_link(client, email)
    path = link_path(email)
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        response = client.post(path)
    assert response.status_code == 400
    assert "abgelaufen" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email=email).exists()


def test_link_within_15_minutes_works_and_reuses_the_account(client):
    email = unique_email()
    existing = User.objects.create_user("buerger-x", email=email)
    request_link(client, email)
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert client.post(link_path(email)).status_code == 302
    assert client.session["_auth_user_id"] == str(existing.pk)


def test_unknown_token_is_refused(client):
    response = client.post("/konto/anmelden/email/not-a-token/")
    assert response.status_code == 400
    assert "ungültig" in response.content.decode()


def test_rate_limit_per_address(client):
    email = unique_email()
    for i in range(5):
        assert request_link(client, email, ip=f"192.0.2.{i}").status_code == 200
    response = request_link(client, email, ip="192.0.2.99")
    assert response.status_code == 429
    assert "zu viele Anmeldelinks" in response.content.decode()
    assert EmailLoginToken.objects.filter(email=email).count() == 5


def test_rate_limit_per_client(client):
    for _ in range(5):
        assert request_link(client, unique_email(), ip="198.51.100.7").status_code == 200
    assert request_link(client, unique_email(), ip="198.51.100.7").status_code == 429


def test_staff_address_gets_no_link_and_the_same_answer(client):
    User.objects.create_user("clerk", email="clerk@example.org", is_staff=True)
    response = request_link(client, "Clerk@example.org")
    assert response.status_code == 200
    assert "Bitte sehen Sie in Ihr Postfach" in response.content.decode()
    assert not Notification.objects.exists()
    assert not EmailLoginToken.objects.exists()


def test_staff_cannot_redeem_a_link_made_before_promotion(client):
    email = unique_email()
    request_link(client, email)
    User.objects.create_user("clerk2", email=email, is_staff=True)
    response = client.post(link_path(email))
    assert response.status_code == 403
    assert "Konto der Verwaltung" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_invalid_address_is_a_400_with_message(client):
    response = request_link(client, "not-an-address")
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in response.content.decode()
    response = request_link(client, "")
    assert response.status_code == 400
    assert "Bitte geben Sie Ihre E-Mail-Adresse an." in response.content.decode()


def test_email_login_is_enough_for_basisregistrierung_only(client, settings):
    email = unique_email()
    request_link(client, email)
    client.post(link_path(email))
    page = client.get("/konto/anmelden/?stufe=substanziell")
    assert page.status_code == 200
    assert "Anmeldelink anfordern" not in page.content.decode()
    assert "Sie sind angemeldet mit" in page.content.decode()
