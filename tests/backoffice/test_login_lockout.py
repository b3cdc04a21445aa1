"""Login lockout (django-axes) on the back-office and admin logins: after too many wrong
passwords even the right one is refused, with a clear message and HTTP 429."""
import pytest
from axes.models import AccessAttempt, AccessLog

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = ("Zu viele fehlgeschlagene Anmeldeversuche. Die Anmeldung ist für 15 Minuten gesperrt; "
          "bitte versuchen Sie es danach erneut.")


@pytest.fixture
def clerk(db):
    return UserFactory(username="sachbearbeiterin", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("url", ["/sachbearbeitung/anmelden/", "/admin/login/"])
def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, clerk, settings, url):
    settings.AXES_FAILURE_LIMIT = 10
    codes = [client.post(url, {"username": "sachbearbeiterin", "password": f"falsch-{i}"}).status_code
             for i in range(20)]
    assert codes == [200] * 9 + [429] * 11
    right = client.post(url, {"username": "sachbearbeiterin", "password": "pw-12345678"})
    assert right.status_code == 429
    assert right["Retry-After"] == "900"
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name_and_forged_forwarding_does_not_help(client, clerk, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = "/sachbearbeitung/anmelden/"
    codes = [client.post(url, {"username": "sachbearbeiterin", "password": "falsch"},
                         HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    UserFactory(username="kollege", is_staff=True)
    response = client.post(url, {"username": "kollege", "password": "pw-12345678"})
    assert response.status_code == 302


def test_english_lockout_message(client, clerk, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = client.post("/admin/login/", {"username": "sachbearbeiterin", "password": "falsch"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert ("Too many failed login attempts. Login is locked for 15 minutes; please try again afterwards."
            in response.content.decode())


def test_successful_logins_are_not_logged(client, clerk):
    client.post("/sachbearbeitung/anmelden/", {"username": "sachbearbeiterin", "password": "falsch"})
    assert AccessAttempt.objects.count() == 1
    assert client.post("/sachbearbeitung/anmelden/", {"username": "sachbearbeiterin",
                                                      "password": "pw-12345678"}).status_code == 302
    assert AccessLog.objects.count() == 0
    assert AccessAttempt.objects.count() == 0  # the success reset the count
