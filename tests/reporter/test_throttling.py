"""The report-filing limit (reporter.throttling): one count per client address for the API and
the no-JavaScript form, no way around it with a forged X-Forwarded-For, and a cache outage
lets reports through instead of failing them. The "me too" key uses the same client address."""
import pytest
from django.core.cache import cache

from reporter.models import Report, Support
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PAYLOAD = {"category": "schlagloch", "lon": 12.05, "lat": 50.875, "description": "Tiefes Loch"}
FORM = {"step": "senden", "category": "schlagloch", "lon": "12.05", "lat": "50.875", "description": "Loch"}
CLOSED_PORT_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                 "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def limited(settings):
    settings.STADTMELDER = {**settings.STADTMELDER, "REPORT_CREATE_RATE": "2/hour"}
    cache.clear()
    yield
    cache.clear()


def api_post(api_client, capture, forwarded: str):
    with capture(execute=True):
        return api_client.post("/api/v1/reports/", PAYLOAD, format="json", HTTP_X_FORWARDED_FOR=forwarded)


def test_rotating_x_forwarded_for_does_not_bypass_the_api_limit(city, api_client, limited,
                                                                 django_capture_on_commit_callbacks):
    codes = [api_post(api_client, django_capture_on_commit_callbacks, f"198.51.100.{i}").status_code
             for i in range(3)]
    assert codes == [201, 201, 429]
    assert Report.objects.count() == 2


def test_behind_a_trusted_proxy_clients_are_counted_apart(city, api_client, limited, settings,
                                                          django_capture_on_commit_callbacks):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR
    codes = [api_post(api_client, django_capture_on_commit_callbacks, f"198.51.100.{i}").status_code
             for i in (1, 1, 1, 2)]
    assert codes == [201, 201, 429, 201]


def test_the_form_has_the_same_limit_shared_with_the_api(city, client, api_client, limited,
                                                         django_capture_on_commit_callbacks):
    assert api_post(api_client, django_capture_on_commit_callbacks, "198.51.100.1").status_code == 201
    first = client.post("/melden/", {**FORM, "submission_key": "a" * 32}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert first.status_code == 302
    refused = client.post("/melden/", {**FORM, "submission_key": "b" * 32}, HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert refused.status_code == 429
    assert ("Zu viele Meldungen von diesem Anschluss. Bitte versuchen Sie es in 60 Minuten erneut."
            in refused.content.decode())
    assert Report.objects.count() == 2


def test_form_steps_before_sending_are_not_counted(city, client, limited):
    for _ in range(3):
        assert client.post("/melden/", {"step": "ort", "category": "schlagloch", "lon": "12.05",
                                        "lat": "50.875"}).status_code == 200
    assert client.post("/melden/", {**FORM, "submission_key": "c" * 32}).status_code == 302


def test_cache_outage_lets_reports_through(city, api_client, client, settings, django_capture_on_commit_callbacks,
                                           caplog):
    settings.STADTMELDER = {**settings.STADTMELDER, "REPORT_CREATE_RATE": "2/hour"}
    settings.CACHES = CLOSED_PORT_CACHE
    assert api_post(api_client, django_capture_on_commit_callbacks, "198.51.100.1").status_code == 201
    assert client.post("/melden/", {**FORM, "submission_key": "d" * 32}).status_code == 302
    assert Report.objects.count() == 2
    assert "Rate limit report_create not checked, cache unavailable" in caplog.text


def test_supporters_are_told_apart_by_client_address(city, api_client, settings):
    report = ReportFactory(category=city.category, status="open")
    url = f"/api/v1/reports/{report.pk}/support"
    # No trusted proxy: a forged X-Forwarded-For does not make a second supporter.
    assert api_client.post(url, {}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 201
    assert api_client.post(url, {}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    # Behind our proxy, two people are two supporters (not one proxy address).
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert api_client.post(url, {}, format="json", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 201
    assert Support.objects.filter(report=report).count() == 2
