"""The app of the deregistration abroad (label "abmeldung")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbmeldungConfig(AppConfig):
    name = "services.abmeldung"
    label = "abmeldung"
    verbose_name = _("Abmeldung ins Ausland")
    default_auto_field = "django.db.models.BigAutoField"
