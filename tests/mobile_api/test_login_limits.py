"""The crew login (/api/mobile/v1/auth/token, used by the crew app /crew/): lockout after
too many wrong passwords (django-axes), the per-address limit cannot be dodged with a forged
X-Forwarded-For, and a cache outage does not fail logins."""
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from mobile_api.models import CrewToken

pytestmark = pytest.mark.django_db

URL = "/api/mobile/v1/auth/token"
LOCKED = ("Zu viele fehlgeschlagene Anmeldeversuche. Die Anmeldung ist für 15 Minuten gesperrt; "
          "bitte versuchen Sie es danach erneut.")


def login(client, password: str, **headers):
    return client.post(URL, {"username": "bautrupp-a", "password": password}, format="json", **headers)


def test_twenty_wrong_passwords_lock_the_login(world, settings):
    settings.AXES_FAILURE_LIMIT = 10
    client = APIClient()
    codes = [login(client, f"falsch-{i}").status_code for i in range(20)]
    assert codes == [400] * 9 + [429] * 11
    right = login(client, "pw-12345678")
    assert right.status_code == 429
    assert right.json() == {"detail": LOCKED}
    assert right["Retry-After"] == "900"
    assert not CrewToken.objects.exists()


def test_a_success_before_the_limit_resets_the_count(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    assert [login(client, "falsch").status_code for _ in range(2)] == [400, 400]
    assert login(client, "pw-12345678").status_code == 201
    assert [login(client, "falsch").status_code for _ in range(2)] == [400, 400]


def test_rotating_x_forwarded_for_does_not_dodge_the_lockout_or_the_rate(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    codes = [login(client, "falsch", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(4)]
    assert codes == [400, 400, 429, 429]
    settings.AXES_FAILURE_LIMIT = 100
    settings.MOBILE_API = {**settings.MOBILE_API, "LOGIN_RATE": "2/minute"}
    cache.clear()
    other = {"username": "bautrupp-b", "password": "falsch"}
    codes = [client.post(URL, other, format="json", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
             for i in range(3)]
    assert codes == [400, 400, 429]
    cache.clear()


def test_cache_outage_does_not_fail_the_login(world, settings, caplog):
    settings.MOBILE_API = {**settings.MOBILE_API, "LOGIN_RATE": "3/minute"}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    assert login(APIClient(), "pw-12345678").status_code == 201
    assert "Rate limit crew_login not checked, cache unavailable" in caplog.text
