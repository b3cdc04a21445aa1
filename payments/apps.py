"""The app of fee payments (label "payments")."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    label = "payments"
    verbose_name = _("Bezahlung")
    default_auto_field = "django.db.models.BigAutoField"
