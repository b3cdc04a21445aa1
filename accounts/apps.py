"""The citizen account: identity from OpenID Connect or an email link, trust levels, `/konto/`."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Bürgerkonto")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
