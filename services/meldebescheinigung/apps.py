"""The app of the registration certificate (label "meldebescheinigung")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldebescheinigungConfig(AppConfig):
    name = "services.meldebescheinigung"
    label = "meldebescheinigung"
    verbose_name = _("Meldebescheinigung")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 (connects the payment signal)
