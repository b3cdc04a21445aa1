"""Forms of the citizen account: the email login request and the deletion confirmation."""
from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["AccountDeleteForm", "EmailLoginForm"]


class EmailLoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"), max_length=254,
        help_text=_("Wir senden Ihnen einen Link, mit dem Sie sich einmal anmelden können."),
        error_messages={"required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
                        "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, mein Konto und meine Daten sollen gelöscht werden."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Ihr Konto gelöscht werden soll.")},
    )
