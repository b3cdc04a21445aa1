"""The one answer to "which address is this client?", for login lockout (django-axes,
`AXES_CLIENT_IP_CALLABLE`) and every rate limit (`config.throttling`).

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the
request comes from a proxy we run: `settings.TRUSTED_PROXIES` (env `TRUSTED_PROXIES`, a
comma-separated list of addresses or CIDR networks, empty by default). Behind such proxies
the header is read from the right — each trusted proxy appends the address it saw — and
the first address that is not a trusted proxy is the client. Anything further left was
written by the client itself and is ignored. Without trusted proxies the client is
`REMOTE_ADDR`, whatever the header says.
"""
import ipaddress
from functools import lru_cache

from django.conf import settings

__all__ = ["client_ip", "from_trusted_proxy"]

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[IPNetwork, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def from_trusted_proxy(request) -> bool:
    """Whether the TCP peer of `request` is one of `settings.TRUSTED_PROXIES` (whose headers,
    such as `X-Request-ID`, may be believed)."""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    return _trusted(_address(request.META.get("REMOTE_ADDR", "") or ""), networks)


def client_ip(request) -> str:
    """The client's IP address as text (`REMOTE_ADDR`, or the nearest untrusted hop of
    `X-Forwarded-For` when the request came through a trusted proxy)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not networks or not _trusted(_address(remote), networks):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # A malformed hop was not written by a proxy of ours: stop at the last sure one.
            break
        if not _trusted(address, networks):
            return str(address)
        remote = str(address)
    return remote
