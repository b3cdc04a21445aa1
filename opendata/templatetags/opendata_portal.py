"""Template filters of the portal pages.

`web_url` guards links to addresses that publishers typed in: a resource URL, a dataset's
source or an organisation's homepage are free text in CKAN (clients may send any string),
so only http(s) and ftp URLs become links; anything else (`javascript:`, `data:`) is
shown as text, never as an `href`.
"""
from urllib.parse import urlsplit

from django import template

register = template.Library()

__all__ = ["web_url"]

LINK_SCHEMES = ("http", "https", "ftp")


@register.filter
def web_url(value) -> str:
    """The URL if it is an absolute http(s)/ftp URL with a host, else ""."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else ""
