"""Template filters of the portal pages.

`web_url` guards links to addresses that publishers typed in: a resource URL, a dataset's
source or an organisation's homepage are free text in CKAN (clients may send any string),
so only http(s) and ftp URLs become links; anything else (`javascript:`, `data:`) is
shown as text, never as an `href`.

`group_title` shows a group's title in the active language when it is one of the EU data
themes with its stock title (see `opendata.vocabularies.group_title_display`).
"""
from urllib.parse import urlsplit

from django import template

from ..vocabularies import DATA_THEMES, data_theme_title, group_title_display

register = template.Library()

__all__ = ["group_title", "theme_title", "web_url"]

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


@register.filter
def group_title(group) -> str:
    """The title of a group for pages (theme groups in the active language)."""
    return group_title_display(name=group.name, title=group.title)


@register.filter
def theme_title(code) -> str:
    """The EU title of a data theme code in the active language; unknown codes as they are."""
    return data_theme_title(code) if str(code or "").upper() in DATA_THEMES else str(code or "")
