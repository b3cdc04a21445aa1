"""The portal's own entry in the header navigation: the service catalogue."""
from django.utils.translation import gettext_lazy as _

from . import hooks
from .catalogue import NavigationItem


@hooks.register("register_navigation_item")
def catalogue_navigation_item():
    return NavigationItem(label=_("Leistungen"), url_name="service-catalogue", order=10)
