"""`{% portal_navigation as items %}`: the header navigation from the `register_navigation_item`
hooks, each item with its path and its `aria-current` value for the page being shown."""
from django import template
from django.urls import reverse

from portal.selectors import navigation_item_list

register = template.Library()


def _current(item, match) -> str:
    """"page" on the item's own page, "true" elsewhere in its section, "" otherwise."""
    if match is None:
        return ""
    if match.view_name == item.url_name:
        return "page"
    if match.namespace in item.section or match.view_name in item.section:
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def portal_navigation(context) -> list[dict]:
    """[{"label", "href", "current", "primary"}] in navigation order."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return [{"label": item.label, "href": reverse(item.url_name), "current": _current(item, match),
             "primary": item.primary} for item in navigation_item_list()]
