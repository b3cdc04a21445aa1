"""The open data portal's entry in the header navigation (every page of its `portal`
URL namespace belongs to it)."""
from django.utils.translation import gettext_lazy as _

from portal import hooks
from portal.catalogue import NavigationItem


@hooks.register("register_navigation_item")
def opendata_navigation_item():
    return NavigationItem(label=_("Offene Daten"), url_name="portal:dataset-search", order=90, section=("portal",))
