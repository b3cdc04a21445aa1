"""config.client_ip: X-Forwarded-For is believed only from configured proxies."""
from django.test import RequestFactory

from config.client_ip import client_ip


def request(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    # The client wrote "1.2.3.4" itself; our proxies appended 198.51.100.9 and 10.1.1.1.
    assert client_ip(request("192.0.2.10", "1.2.3.4, 198.51.100.9, 10.1.1.1")) == "198.51.100.9"


def test_malformed_hop_stops_at_the_last_sure_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.2", "198.51.100.9, nonsense")) == "10.0.0.2"
    assert client_ip(request("10.0.0.2", "")) == "10.0.0.2"


def test_ipv6_proxy_network(settings):
    settings.TRUSTED_PROXIES = ["fd00::/8"]
    assert client_ip(request("fd00::1", "2001:db8::5")) == "2001:db8::5"
